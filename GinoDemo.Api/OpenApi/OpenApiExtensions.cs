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
        builder.Services.AddOpenApiDocument(document =>
        {
            document.Title = "GinoDemo";
            document.Description = "The GINO FastAPI tutorial's users service on ASP.NET Core, EF Core and PostgreSQL.";
            document.Version = "v1";
            document.OperationProcessors.Add(new ProblemJsonAndHeadersOperationProcessor());
            document.OperationProcessors.Add(new HeadImpliedByGetOperationProcessor());
        });
        return builder;
    }

    /// <summary>The tutorial's <c>/docs</c>, plus ReDoc and the raw document.</summary>
    public static WebApplication UseOpenApiDocs(this WebApplication app)
    {
        app.UseIfEnabledAtStart(services => services.GetRequiredService<IOptions<OpenApiDocsOptions>>().Value.Enabled, docs =>
        {
            docs.UseOpenApi(settings => settings.Path = DocumentPath);
            docs.UseSwaggerUi(settings =>
            {
                settings.Path = SwaggerUiPath;
                settings.DocumentPath = DocumentPath;
            });
            docs.UseReDoc(settings =>
            {
                settings.Path = ReDocPath;
                settings.DocumentPath = DocumentPath;
            });
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
