namespace GinoDemo.Api.Standby;

public static class StandbyExtensions
{
    /// <summary>
    /// <c>DB_READ_DSN</c>: <c>GET /users/{id}</c> and <c>GET /users</c> read from a standby while it is in recovery and
    /// within <c>DB_READ_MAX_LAG</c> (<see cref="StandbyProbe"/>), else from the primary. Nothing without the setting.
    /// </summary>
    public static WebApplicationBuilder AddStandbyReads(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StandbyRouting>();
        builder.Services.AddSingleton<StandbyContexts>();
        builder.Services.AddScoped<StandbyReads>();
        builder.Services.AddHostedService<StandbyProbe>();
        return builder;
    }
}
