using Microsoft.AspNetCore.Mvc;

namespace GinoDemo.Api.Errors;

/// <summary>Problem responses written outside MVC (middleware, health checks), through the same writer as the rest.</summary>
internal static class ProblemResponses
{
    public static Task WriteAsync(HttpContext context, int status, string detail, IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Detail = detail };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }
}
