using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace GinoDemo.Api.Hosting;

public static class ApiExtensions
{
    /// <summary>Controllers anywhere in this assembly are found as application parts: no list to maintain.</summary>
    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        // Registered before AddProblemDetails adds the default writer, so it is the one used.
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                ValidationErrors.Normalize(validation.Errors);
            }

            context.ProblemDetails.Detail ??= DescribeProblem(context.HttpContext, context.ProblemDetails);
        });
        builder.Services.AddControllers(options =>
            {
                // Validation errors name fields as clients spell them ("name", not "Name").
                options.ModelMetadataDetailsProviders.Add(new SystemTextJsonValidationMetadataProvider());
                // A body that fails to parse is reported once, as the body, not again as a missing "request".
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                options.ModelBinderProviders.Insert(0, new StrictInt64ModelBinderProvider());
            })
            .AddJsonOptions(options =>
            {
                // The body is {"name": ...} exactly: "Name" is an unknown field, and a name given twice is ambiguous.
                options.JsonSerializerOptions.PropertyNameCaseInsensitive = false;
                options.JsonSerializerOptions.AllowDuplicateProperties = false;
            });
        return builder;
    }

    public static WebApplication UseApi(this WebApplication app)
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
