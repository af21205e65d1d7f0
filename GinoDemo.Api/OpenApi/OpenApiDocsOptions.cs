using GinoDemo.Api.Startup;

namespace GinoDemo.Api.OpenApi;

/// <summary>The <c>OpenApi</c> section. <c>Enabled</c> false hides the document and both pages (404).</summary>
public sealed class OpenApiDocsOptions : ISectionOptions
{
    public static string Section => "OpenApi";

    public bool Enabled { get; set; }
}
