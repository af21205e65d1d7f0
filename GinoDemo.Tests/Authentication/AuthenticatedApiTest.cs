using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Authentication;

/// <summary>
/// Base of the tests of one API with authentication on: a <see cref="TestIssuer"/> and an API that trusts it,
/// started once per class (<see cref="Settings"/> adds the class's own), and a clean database before each test.
/// </summary>
public abstract class AuthenticatedApiTest : DatabaseTest
{
    protected TestIssuer Issuer { get; private set; } = null!;

    protected ApiFactory Api { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected virtual (string Key, string Value)[] Settings => [];

    [OneTimeSetUp]
    public async Task StartIssuerAndApi()
    {
        Issuer = await TestIssuer.StartAsync();
        Api = new ApiFactory(Issuer.Settings(Settings));
        Client = Api.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopIssuerAndApi()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}
