using GinoDemo.Api.Idempotency;
using GinoDemo.Api.Startup;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Edge;

public static class CorsExtensions
{
    /// <summary>
    /// A default CORS policy for the origins of the <c>Cors</c> section (<see cref="AllowedOriginsOptions"/>), with
    /// the API's methods and headers; none when the list is empty. <c>app.UseCors()</c> applies it.
    /// </summary>
    public static WebApplicationBuilder AddCorsForAllowedOrigins(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<AllowedOriginsOptions>();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<AllowedOriginsOptions>>((options, settings) =>
        {
            // Without a default policy the CORS middleware adds nothing, and browsers keep other origins out.
            if (settings.Value.AllowedOrigins.Count > 0)
            {
                options.AddDefaultPolicy(policy => policy.WithOrigins([.. settings.Value.AllowedOrigins])
                    .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Patch, HttpMethods.Delete)
                    .WithHeaders("Content-Type", "If-Match", "If-None-Match", IdempotencyKeyHeader.Name)
                    .WithExposedHeaders("Location", "Retry-After", "ETag", "Link"));
            }
        });
        return builder;
    }
}
