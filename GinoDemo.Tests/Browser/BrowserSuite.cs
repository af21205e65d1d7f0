using GinoDemo.Tests.Infrastructure;
using Microsoft.Playwright;

namespace GinoDemo.Tests.Browser;

/// <summary>
/// What every browser test of this namespace shares, started once: the API on a real Kestrel (<see cref="KestrelApi"/>,
/// Production environment, the test database), and Debian's Chromium, headless, driven by Playwright. Playwright runs
/// the browser at <see cref="ChromiumPath"/> (apt's <c>chromium</c>, which scripts/test.sh installs when missing) and
/// never downloads one of its own; its driver is the Node.js program bundled in the Microsoft.Playwright package.
/// </summary>
[SetUpFixture]
public sealed class BrowserSuite
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static KestrelApi? _api;
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    public static KestrelApi Api => _api ?? throw new InvalidOperationException("The browser suite is not set up.");

    public static IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser suite is not set up.");

    [OneTimeSetUp]
    public async Task StartApiAndBrowser()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"{ChromiumPath} is missing: install Debian's chromium (scripts/test.sh does: apt-get install chromium).");
        }

        // Generous, for two loaded cores: an assertion waits for what it expects, never a fixed time.
        Assertions.SetDefaultExpectTimeout((float)BrowserTest.PageTimeout.TotalMilliseconds);
        _api = KestrelApi.Start();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
    }

    [OneTimeTearDown]
    public async Task StopApiAndBrowser()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
