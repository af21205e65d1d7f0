using GinoDemo.Api.Errors;
using GinoDemo.Api.Startup;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Edge;

public static class RequestTimeoutExtensions
{
    /// <summary>
    /// Every request gets <c>Server:RequestTimeout</c>; past it the answer is 504 problem+json. The timeout cancels
    /// <see cref="HttpContext.RequestAborted"/>, which every database call receives, so the statement stops too.
    /// <c>app.UseRequestTimeouts()</c> applies it, after routing.
    /// </summary>
    public static WebApplicationBuilder AddRequestTimeout(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<ServerOptions>();
        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ServerOptions>>((timeouts, server) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = server.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => ProblemResponses.WriteAsync(context, StatusCodes.Status504GatewayTimeout,
                    $"{context.Request.Method} {context.Request.Path} did not finish within {server.Value.RequestTimeout.TotalSeconds:0.###} s; it was cancelled."),
            });
        return builder;
    }
}
