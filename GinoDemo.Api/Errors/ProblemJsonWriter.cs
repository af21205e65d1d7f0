using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Errors;

/// <summary>
/// Writes every framework-made problem (status code pages, exception handler) as application/problem+json.
/// ASP.NET Core's own writer declines when the client's Accept header lacks JSON (a browser's text/html, say),
/// which leaves a text/plain body; a JSON-only API answers errors in JSON whatever the client asked for.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> options, IOptions<ApiBehaviorOptions> api) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        if (api.Value.ClientErrorMapping.TryGetValue(problem.Status.Value, out var mapping))
        {
            problem.Title ??= mapping.Title;
            problem.Type ??= mapping.Link;
        }

        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), JsonSerializerOptions.Web, "application/problem+json"));
    }
}
