using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GinoDemo.Tests.Browser;

/// <summary>
/// The documentation pages work with no internet: every request they make goes to the app itself, and their
/// Content-Security-Policy refuses nothing that they need.
/// </summary>
public sealed class DocumentationPageRequestsTests : BrowserTest
{
    [TestCase("/docs", ".opblock")]
    [TestCase("/redoc", "[data-section-id*='/operation/']")]
    public async Task Every_request_of_the_page_goes_to_the_app_and_nothing_is_refused(string path, string operations)
    {
        await GoToAsync(path);
        await Expect(Page.Locator(operations).First).ToBeVisibleAsync();
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var origin = Api.BaseAddress.GetLeftPart(UriPartial.Authority);
        // data: and blob: URLs (Swagger UI's icons, ReDoc's search worker) are made in the page: nothing goes on the network.
        var network = Requests.Where(url => !url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("blob:", StringComparison.Ordinal)).ToList();
        network.Should().Contain(new Uri(Api.BaseAddress, "/openapi.json").ToString());
        network.Should().OnlyContain(url => new Uri(url).GetLeftPart(UriPartial.Authority) == origin, "the page needs nothing but the app ({0})", string.Join(", ", network));
        ConsoleErrors.Should().BeEmpty("Chromium reports here what the page's Content-Security-Policy refused");
    }
}
