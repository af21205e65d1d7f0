using System.Text;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Authentication;

/// <summary>
/// The contract with authentication on: <c>docs/openapi.auth.json</c>, checked and refreshed like
/// <c>docs/openapi.json</c> (<see cref="OpenApiSnapshotTests"/>). The default document names no scheme.
/// </summary>
public sealed class AuthOpenApiSnapshotTests
{
    private static string SnapshotPath => Path.Combine(TestDatabase.RepositoryRoot, "docs", "openapi.auth.json");

    [Test]
    public async Task The_document_with_authentication_on_is_the_committed_snapshot()
    {
        // The issuer is never contacted to serve the document: a fixed address keeps the snapshot stable.
        await using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Auth:Authority"] = "https://login.example/tenant",
            ["Auth:Audience"] = "api://gino-demo",
        });
        using var client = api.CreateClient();
        var served = OpenApiSnapshotTests.Normalize(await client.GetStringAsync("/openapi.json"));

        if (Environment.GetEnvironmentVariable(OpenApiSnapshotTests.UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(SnapshotPath, served, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            Assert.Pass($"{OpenApiSnapshotTests.UpdateVariable}=1: wrote {SnapshotPath}; review and commit it.");
        }

        var committed = (await File.ReadAllTextAsync(SnapshotPath)).ReplaceLineEndings("\n");
        if (committed != served)
        {
            Assert.Fail(OpenApiSnapshotTests.Difference(committed, served).Replace("docs/openapi.json", "docs/openapi.auth.json", StringComparison.Ordinal) +
                $"\n\nRefresh with {OpenApiSnapshotTests.UpdateVariable}=1 scripts/test.sh --filter OpenApiSnapshotTests if the change is meant.");
        }
    }

    [Test]
    public async Task The_default_document_names_no_security_scheme()
    {
        using var client = TestDatabase.Api.CreateClient();

        (await client.GetStringAsync("/openapi.json")).Should().NotContain("securitySchemes").And.NotContain("\"security\"");
    }
}
