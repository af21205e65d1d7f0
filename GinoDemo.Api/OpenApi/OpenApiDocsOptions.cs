using System.ComponentModel.DataAnnotations;
using GinoDemo.Api.Startup;

namespace GinoDemo.Api.OpenApi;

/// <summary>The <c>OpenApi</c> section. <c>Enabled</c> false hides the document and both pages (404).</summary>
public sealed class OpenApiDocsOptions : ISectionOptions, IValidatableObject
{
    public static string Section => "OpenApi";

    public bool Enabled { get; set; }

    /// <summary>
    /// The API's public base URL as clients reach it (e.g. <c>https://api.example/users-service</c>): the document's
    /// only <c>servers</c> entry, and the path prefix of the documentation pages' links. Empty: the document names no
    /// server, so clients resolve the operations against the URL they loaded it from (OpenAPI 3.0.3, section 4.7.1:
    /// no <c>servers</c> means <c>/</c>). Never taken from a request: a client's <c>Host</c> or
    /// <c>X-Forwarded-*</c> headers cannot change what other clients are told.
    /// </summary>
    public string ServerUrl { get; set; } = "";

    /// <summary>The path of <see cref="ServerUrl"/> without its trailing slash: "" when it has none or is empty.</summary>
    public string PathPrefix => ServerUrl.Length == 0 ? "" : new Uri(ServerUrl).AbsolutePath.TrimEnd('/');

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ServerUrl.Length > 0 && !IsBaseUrl(ServerUrl))
        {
            yield return new ValidationResult(
                $"'{ServerUrl}' is not an absolute http or https URL without credentials, query or fragment, such as https://api.example/users.",
                [nameof(ServerUrl)]);
        }
    }

    private static bool IsBaseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0;
}
