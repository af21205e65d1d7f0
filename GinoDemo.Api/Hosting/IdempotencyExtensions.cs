using GinoDemo.Api.Users;

namespace GinoDemo.Api.Hosting;

public static class IdempotencyExtensions
{
    /// <summary><c>Idempotency-Key</c> on <c>POST /users</c>: the keys live in PostgreSQL, shared by every replica.</summary>
    public static WebApplicationBuilder AddIdempotencyKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.Section).ValidateDataAnnotations();
        builder.Services.AddScoped<IdempotentCreation>();
        builder.Services.AddHostedService<ExpiredKeyCleanup>();
        return builder;
    }
}
