using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Hosting;

public static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi.json";
    public const string SwaggerUiPath = "/docs";
    public const string ReDocPath = "/redoc";

    public static WebApplicationBuilder AddOpenApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OpenApiSettings>().BindConfiguration(OpenApiSettings.Section);
        builder.Services.AddOpenApiDocument(document =>
        {
            document.Title = "GinoDemo";
            document.Description = "The GINO FastAPI tutorial's users service on ASP.NET Core, EF Core and PostgreSQL.";
            document.Version = "v1";
            document.OperationProcessors.Add(new HttpConventionsOperationProcessor());
        });
        return builder;
    }

    /// <summary>The tutorial's <c>/docs</c>, plus ReDoc and the raw document.</summary>
    public static WebApplication MapOpenApiDocs(this WebApplication app)
    {
        app.UseWhen(services => services.GetRequiredService<IOptions<OpenApiSettings>>().Value.Enabled, docs =>
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
    /// Adds middleware decided when the pipeline is built, at start, after <c>RunWithDatabaseAsync</c> has checked
    /// every setting, instead of when Program.cs runs.
    /// </summary>
    private static void UseWhen(this IApplicationBuilder app, Func<IServiceProvider, bool> enabled, Action<IApplicationBuilder> configure) =>
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

/// <summary>The <c>OpenApi</c> section. <c>Enabled</c> false hides the document and both pages (404).</summary>
public sealed class OpenApiSettings
{
    public const string Section = "OpenApi";

    public bool Enabled { get; set; }
}
