using System.Text.Json;
using GinoDemo.Tests.Infrastructure;
using Microsoft.Playwright;

namespace GinoDemo.Tests.Browser;

/// <summary>
/// Base of the browser tests: each test gets a fresh browser context and page on <see cref="BrowserSuite"/>'s Chromium,
/// with every request the page makes (<see cref="Requests"/>) and every console error (<see cref="ConsoleErrors"/>,
/// where Chromium reports what a Content-Security-Policy refused) recorded from the start, and empty tables.
/// </summary>
[Category("Browser")]
public abstract class BrowserTest : DatabaseTest
{
    /// <summary>How long a page may take to show what is awaited: generous, for two loaded cores; never a sleep.</summary>
    internal static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    private IBrowserContext? _context;
    private IPage? _page;

    protected static KestrelApi Api => BrowserSuite.Api;

    protected IPage Page => _page ?? throw new InvalidOperationException("No page: the test is not set up.");

    /// <summary>The URL of every request the page made, in order.</summary>
    protected List<string> Requests { get; } = [];

    protected List<string> ConsoleErrors { get; } = [];

    [SetUp]
    public async Task OpenPage()
    {
        Requests.Clear();
        ConsoleErrors.Clear();
        _context = await BrowserSuite.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        _context.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
        _page = await _context.NewPageAsync();
        // On the context, so that requests of workers and popups are recorded too.
        _context.Request += (_, request) => Requests.Add(request.Url);
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        _page.PageError += (_, error) => ConsoleErrors.Add(error);
    }

    [TearDown]
    public async Task ClosePage()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }

    /// <summary>Opens <paramref name="path"/> of the API (<c>/docs</c>) and waits for its document to load.</summary>
    protected Task GoToAsync(string path) => Page.GotoAsync(new Uri(Api.BaseAddress, path).ToString());

    /// <summary>The <c>METHOD /path</c> of every operation of the served OpenAPI document, with its operationId.</summary>
    protected static async Task<Dictionary<string, string>> DocumentOperationsAsync()
    {
        using var document = JsonDocument.Parse(await Api.Client.GetStringAsync("/openapi.json"));
        return document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (
                Key: $"{operation.Name.ToUpperInvariant()} {path.Name}",
                Id: operation.Value.GetProperty("operationId").GetString()!)))
            .ToDictionary(operation => operation.Key, operation => operation.Id);
    }

    /// <summary>
    /// Saves a screenshot of the page as <c>TestResults/screenshots/{name}.png</c> and attaches it to the test's result.
    /// </summary>
    protected async Task<string> KeepScreenshotAsync(string name)
    {
        var path = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new() { Path = path });
        TestContext.AddTestAttachment(path, $"{name}: what the browser showed");
        return path;
    }
}
