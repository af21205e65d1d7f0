using System.Globalization;
using System.Net;
using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Authentication;

/// <summary><c>/healthz/ready</c> with authentication on: not ready while the issuer's signing keys cannot be fetched, without saying where from.</summary>
public sealed class IssuerReadinessTests : DatabaseTest
{
    [Test]
    public async Task An_unreachable_issuer_makes_the_API_not_ready_without_naming_its_address()
    {
        var deadPort = ApiProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        await using var api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Auth:Authority"] = $"http://127.0.0.1:{deadPort}/tenant",
            ["Auth:Audience"] = TestIssuer.Audience,
            ["Auth:RequireHttpsMetadata"] = "false",
        });
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/healthz/ready");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("checks").GetProperty("issuer").GetProperty("status").GetString().Should().Be("Unhealthy");
        problem.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().Should().Be("Healthy");
        problem.GetRawText().Should().NotContain(deadPort).And.NotContain("127.0.0.1");
        (await client.GetAsync("/healthz/live")).StatusCode.Should().Be(HttpStatusCode.OK, "liveness does not depend on the issuer");
    }

    [Test]
    public async Task A_reachable_issuer_makes_the_API_ready()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var api = new ApiFactory(issuer.Settings());
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/healthz/ready");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"issuer\"");
        issuer.KeySetRequests.Should().Be(1);
    }
}
