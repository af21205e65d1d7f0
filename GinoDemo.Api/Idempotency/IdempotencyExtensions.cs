using GinoDemo.Api.Startup;

namespace GinoDemo.Api.Idempotency;

public static class IdempotencyExtensions
{
    /// <summary><c>Idempotency-Key</c> on <c>POST /users</c>: the keys live in PostgreSQL, shared by every replica.</summary>
    public static WebApplicationBuilder AddIdempotencyKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<IdempotencyOptions>();
        builder.Services.AddScoped<IdempotentUserCreator>();
        builder.Services.AddHostedService<ExpiredIdempotencyKeyCleanupService>();
        return builder;
    }
}
