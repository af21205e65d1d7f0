using GinoDemo.Api.Authentication;
using GinoDemo.Api.Startup;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.OpenApi;

public static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi.json";
    public const string SwaggerUiPath = "/docs";
    public const string ReDocPath = "/redoc";

    /// <summary>The OpenAPI 3 document of the controllers (NSwag), completed by <see cref="ProblemJsonAndHeadersOperationProcessor"/>.</summary>
    public static WebApplicationBuilder AddOpenApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<OpenApiDocsOptions>();
        builder.Services.AddOpenApiDocument((document, services) =>
        {
            document.Title = "GinoDemo";
            document.Description = "The GINO FastAPI tutorial's users service on ASP.NET Core, EF Core and PostgreSQL.";
            document.Version = "v1";
            document.OperationProcessors.Add(new ProblemJsonAndHeadersOperationProcessor());
            document.OperationProcessors.Add(new HeadImpliedByGetOperationProcessor());
            document.AddBearerSecurityIfConfigured(services);
        });
        return builder;
    }

    /// <summary>
    /// The tutorial's <c>/docs</c>, plus ReDoc and the raw document. What they serve depends on configuration only:
    /// NSwag would otherwise build the document's server URL and the pages' links from the request's <c>Host</c>,
    /// <c>X-Forwarded-Host</c>, <c>-Proto</c> and <c>-Prefix</c> headers, whoever sent them, and cache the document
    /// per <c>Host</c>, so the first client to ask chose what every later one was told.
    /// </summary>
    public static WebApplication UseOpenApiDocs(this WebApplication app)
    {
        app.UseIfEnabledAtStart(services => services.GetRequiredService<IOptions<OpenApiDocsOptions>>().Value.Enabled, docs =>
        {
            var options = docs.ApplicationServices.GetRequiredService<IOptions<OpenApiDocsOptions>>().Value;
            var prefix = options.PathPrefix;
            // NSwag's middlewares match the path alone and would answer any method as a GET (RFC 9110 section 15.5.6).
            docs.Use(static (context, next) =>
            {
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                    || !(context.Request.Path.Equals(DocumentPath, StringComparison.OrdinalIgnoreCase) || IsDocumentationPage(context.Request.Path)))
                {
                    return next(context);
                }

                // Empty: UseProblemDetailsForErrors' status code pages write the problem+json body, as for a routed 405.
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, HEAD";
                return Task.CompletedTask;
            });
            docs.UseOpenApi(settings =>
            {
                settings.Path = DocumentPath;
                settings.CreateDocumentCacheKey = static _ => "";
                settings.PostProcess = (document, _) =>
                {
                    document.Servers.Clear();
                    if (options.ServerUrl.Length > 0)
                    {
                        document.Servers.Add(new NSwag.OpenApiServer { Url = options.ServerUrl.TrimEnd('/') });
                    }
                };
            });
            // The pages and every file they load are the app's own (DocumentationPage): no CDN, no inline script.
            var document = prefix + DocumentPath;
            DocumentationPage.SwaggerUi(SwaggerUiPath, prefix, "GinoDemo API: Swagger UI", document,
                BearerOpenApiExtensions.SwaggerUiSignInIfConfigured(docs.ApplicationServices),
                BearerOpenApiExtensions.IssuerOriginIfConfigured(docs.ApplicationServices)).Use(docs);
            DocumentationPage.ReDoc(ReDocPath, prefix, "GinoDemo API: ReDoc", document).Use(docs);
        });
        return app;
    }

    public static bool IsDocumentationPage(PathString path) =>
        path.StartsWithSegments(SwaggerUiPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(ReDocPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Adds middleware decided when the pipeline is built, at start, after the start-up check has checked
    /// every setting, instead of when Program.cs runs.
    /// </summary>
    private static void UseIfEnabledAtStart(this IApplicationBuilder app, Func<IServiceProvider, bool> enabled, Action<IApplicationBuilder> configure) =>
        app.Use(next =>
        {
            if (!enabled(app.ApplicationServices))
            {
                return next;
            }

            var branch = app.New();
            configure(branch);
            branch.Run(next);
            return branch.Build();
        });
}
