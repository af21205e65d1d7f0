using System.Text.RegularExpressions;
using GinoDemo.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GinoDemo.Tests.Browser;

/// <summary>"Try it out" in Swagger UI sends real requests to the API from the page, and shows its answers.</summary>
public sealed class SwaggerUiTryItOutTests : BrowserTest
{
    [Test]
    public async Task Creating_a_user_from_the_page_shows_201_and_stores_the_user()
    {
        await GoToAsync("/docs");
        var create = Page.Locator(".opblock-post", new() { Has = Page.Locator(".opblock-summary-path[data-path='/users']") });
        await create.Locator(".opblock-summary").ClickAsync();
        await create.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        await create.Locator("textarea.body-param__text").FillAsync("""{"name": "Ada from the browser"}""");
        await create.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();
        var answer = create.Locator(".live-responses-table .response").First;
        await Expect(answer.Locator(".response-col_status")).ToHaveTextAsync(new Regex(@"^\s*201\b"));
        var body = await answer.Locator(".response-col_description pre").First.TextContentAsync();

        var stored = (await StoredUsers.AllAsync()).Should().ContainSingle().Subject;
        stored.Nickname.Should().Be("Ada from the browser");
        body.Should().MatchRegex($"\"id\":\\s*{stored.Id}\\b").And.Contain("\"nickname\": \"Ada from the browser\"");
    }
}
