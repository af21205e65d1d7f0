using static Microsoft.Playwright.Assertions;

namespace GinoDemo.Tests.Browser;

/// <summary><c>/redoc</c>, ReDoc as a browser shows it, renders every operation of the OpenAPI document.</summary>
public sealed class ReDocOperationsTests : BrowserTest
{
    // ReDoc gives each operation's section the id tag/{tag}/operation/{operationId}, and shows its method in .http-verb.
    private const string Operations = "[data-section-id*='/operation/']";

    [Test]
    public async Task The_page_renders_every_operation_of_the_document()
    {
        var expected = await DocumentOperationsAsync();

        await GoToAsync("/redoc");
        await Expect(Page.Locator(Operations)).ToHaveCountAsync(expected.Count);
        var shown = await Page.Locator(Operations).EvaluateAllAsync<string[]>(
            "sections => sections.map(s => s.querySelector('.http-verb').textContent.trim().toUpperCase() + ' ' + s.dataset.sectionId.split('/operation/')[1])");
        await KeepScreenshotAsync("redoc");

        shown.Should().BeEquivalentTo(expected.Select(operation => $"{operation.Key.Split(' ')[0]} {operation.Value}"));
    }
}
