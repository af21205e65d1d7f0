using GinoDemo.Api.Validation;
using Microsoft.AspNetCore.Mvc;

namespace GinoDemo.Api.Errors;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error answer is RFC 9457 <c>application/problem+json</c> with a <c>detail</c> a person can act on and a
    /// <c>traceId</c>, whatever the client's Accept header (<see cref="ProblemJsonWriter"/>); a database that is
    /// unavailable is a 503 (<see cref="DatabaseUnavailableExceptionHandler"/>).
    /// </summary>
    public static WebApplicationBuilder AddProblemDetailsForErrors(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Registered before AddProblemDetails adds the default writer, so it is the one used.
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                ValidationErrors.Normalize(validation.Errors);
            }

            context.ProblemDetails.Detail ??= DescribeProblem(context.HttpContext, context.ProblemDetails);
        });
        return builder;
    }

    /// <summary>
    /// Exceptions (a 500, or Kestrel's complaint about a body it read: 413) and empty error responses (unknown route,
    /// 405, 415, ...) become problem+json.
    /// </summary>
    public static WebApplication UseProblemDetailsForErrors(this WebApplication app)
    {
        // Kestrel reports client mistakes found while reading (a body over the size limit: 413) as exceptions.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A client's malformed body is answered, not an error of ours: no error log with a stack trace for it.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
            StatusCodeSelector = exception => exception is BadHttpRequestException badRequest
                ? badRequest.StatusCode
                : StatusCodes.Status500InternalServerError,
        });
        // Empty error responses (unknown route, 405, 415, ...) become problem+json too.
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Every problem carries a sentence a person can act on, not only a status and a title.</summary>
    private static string DescribeProblem(HttpContext http, ProblemDetails problem)
    {
        var request = http.Request;
        var target = $"{request.Method} {request.Path}";
        return problem switch
        {
            HttpValidationProblemDetails { Errors.Count: > 0 } validation => "The request is invalid: " + string.Join("; ",
                validation.Errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}")),
            _ => problem.Status switch
            {
                StatusCodes.Status404NotFound => $"Nothing is at {request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
                StatusCodes.Status413PayloadTooLarge => $"The body of {target} is larger than the server accepts.",
                StatusCodes.Status415UnsupportedMediaType => $"{target} takes a JSON body (Content-Type: application/json).",
                StatusCodes.Status400BadRequest => $"{target} is not a valid request.",
                StatusCodes.Status414UriTooLong => "The request's URL is longer than the server accepts.",
                StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request's headers are larger than the server accepts.",
                >= 500 => "The server failed to handle the request; it has been logged.",
                _ => problem.Title ?? $"{target} failed.",
            },
        };
    }
}
