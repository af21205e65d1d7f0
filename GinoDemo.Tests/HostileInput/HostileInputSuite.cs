using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.HostileInput;

/// <summary>
/// The one API of every hostile-input class, started once for this namespace: a real Kestrel in the Production
/// environment (<see cref="KestrelApi"/>), so that Kestrel's own parsing and limits are part of what is tested, as they
/// are in production. Some requests never reach the API: Kestrel answers them itself
/// (<see cref="ExpectedAnswer.KestrelRejects"/>).
/// </summary>
[SetUpFixture]
public sealed class HostileInputSuite
{
    private static KestrelApi? _api;

    public static KestrelApi Api => _api ?? throw new InvalidOperationException("The hostile-input suite is not set up.");

    [OneTimeSetUp]
    public void StartKestrel() => _api = KestrelApi.Start();

    [OneTimeTearDown]
    public async Task StopKestrel()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
