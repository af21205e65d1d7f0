using GinoDemo.Client;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>Base of the HTTP tests: a clean database before each test and a client of the shared API.</summary>
public abstract class ApiTest : DatabaseTest
{
    protected HttpClient Client { get; private set; } = null!;

    /// <summary>The typed client generated from docs/openapi.json, over <see cref="Client"/>: for the happy paths.</summary>
    protected UsersClient Users { get; private set; } = null!;

    [SetUp]
    public void CreateClient()
    {
        Client = TestDatabase.Api.CreateClient();
        Users = new UsersClient(Client);
    }

    [TearDown]
    public void DisposeClient() => Client.Dispose();
}
