namespace GinoDemo.Api.Hosting;

public static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi.json";

    public static WebApplicationBuilder AddOpenApiDocs(this WebApplicationBuilder builder)
    {
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
        app.UseOpenApi(settings => settings.Path = DocumentPath);
        app.UseSwaggerUi(settings =>
        {
            settings.Path = "/docs";
            settings.DocumentPath = DocumentPath;
        });
        app.UseReDoc(settings =>
        {
            settings.Path = "/redoc";
            settings.DocumentPath = DocumentPath;
        });
        return app;
    }
}
