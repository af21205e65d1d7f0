using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.Authentication;

/// <summary>Malformed <c>Auth</c> settings stop the real process at start with exit code 2, naming each key.</summary>
public sealed class AuthSettingsTests : ScratchDirectoryTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Startup_refuses_malformed_auth_settings_and_names_each_key()
    {
        await using var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(TestDatabase.ApiEnvironment)
        {
            ["Auth__Authority"] = "http://login.example/tenant",
            ["Auth__ReadScope"] = "users read",
            ["Auth__WriteRole"] = "\"admin\"",
        });

        (await api.WaitForExitAsync(Patience)).Should().Be(2);
        api.Output.Should().Contain("Auth:Authority: 'http://login.example/tenant' is http")
            .And.Contain("Auth:Audience is required")
            .And.Contain("Auth:ReadScope: 'users read' is not one scope token")
            .And.Contain("Auth:WriteRole:")
            .And.NotContain("   at ", "a settings mistake is not a crash")
            .And.NotContain("Connecting to the database", "settings are checked before anything starts");
    }

    [Test]
    public async Task Startup_refuses_a_clock_skew_that_is_not_a_duration_or_too_long()
    {
        await using var bad = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(TestDatabase.ApiEnvironment)
        {
            ["Auth__Authority"] = "https://login.example/tenant",
            ["Auth__Audience"] = "api://gino",
            ["Auth__ClockSkew"] = "soon",
        });
        (await bad.WaitForExitAsync(Patience)).Should().Be(2);
        bad.Output.Should().Contain("'soon' at 'Auth:ClockSkew'");

        await using var tooLong = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(TestDatabase.ApiEnvironment)
        {
            ["Auth__Authority"] = "https://login.example/tenant",
            ["Auth__Audience"] = "api://gino",
            ["Auth__ClockSkew"] = "01:00:00",
        });
        (await tooLong.WaitForExitAsync(Patience)).Should().Be(2);
        tooLong.Output.Should().Contain("ClockSkew must be between");
    }
}
