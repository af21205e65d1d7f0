using static Microsoft.Playwright.Assertions;

namespace GinoDemo.Tests.Browser;

/// <summary><c>/docs</c>, Swagger UI as a browser shows it, lists every operation of the OpenAPI document.</summary>
public sealed class SwaggerUiOperationsTests : BrowserTest
{
    [Test]
    public async Task The_page_lists_every_operation_of_the_document()
    {
        var expected = await DocumentOperationsAsync();

        await GoToAsync("/docs");
        await Expect(Page.Locator(".opblock")).ToHaveCountAsync(expected.Count);
        var shown = await Page.Locator(".opblock").EvaluateAllAsync<string[]>(
            "operations => operations.map(o => o.querySelector('.opblock-summary-method').textContent.trim() + ' ' + o.querySelector('.opblock-summary-path').dataset.path)");
        await KeepScreenshotAsync("docs");

        shown.Should().BeEquivalentTo(expected.Keys);
        Page.Url.Should().Be(new Uri(Api.BaseAddress, "/docs/index.html").ToString());
    }
}
