using System.Net;
using System.Text;
using System.Text.Json;
using GinoDemo.Api.Authentication;
using Microsoft.Extensions.FileProviders;

namespace GinoDemo.Api.OpenApi;

/// <summary>
/// One documentation page, Swagger UI at <c>/docs</c> or ReDoc at <c>/redoc</c>, served whole by the app: its
/// <c>index.html</c>, and its scripts and styles embedded in this assembly at build time from the npm packages that
/// <c>OpenApi/package-lock.json</c> pins (GinoDemo.Api.csproj, <c>EmbedDocsAssets</c>). The page's settings are JSON
/// in a data block that its start-up script reads, so the page runs no inline script, and every answer under its path
/// carries <see cref="ContentSecurityPolicy"/>, which allows nothing but the app (and the issuer Swagger UI signs in at).
/// </summary>
public sealed class DocumentationPage
{
    private const string IndexFile = "index.html";

    // Both pages: scripts, styles, images and requests from the app only (CSP Level 3, section 6); images may also be
    // data: URLs, Swagger UI's icons being SVG data URLs in its stylesheet; no font is loaded at all.
    private const string CommonPolicy = "default-src 'none'; script-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private readonly string _path;
    private readonly string _indexUrl;
    private readonly byte[] _index;
    private readonly IFileProvider _assets;

    private DocumentationPage(string path, string prefix, string html, string contentSecurityPolicy)
    {
        _path = path;
        _indexUrl = $"{prefix}{path}/{IndexFile}";
        _index = Encoding.UTF8.GetBytes(html);
        // The embedded resources named "<page>.<file>" (docs.swagger-ui-bundle.js): the page's files at <path>/<file>.
        _assets = new EmbeddedFileProvider(typeof(DocumentationPage).Assembly, path.TrimStart('/'));
        ContentSecurityPolicy = contentSecurityPolicy;
    }

    /// <summary>The <c>Content-Security-Policy</c> of every answer under the page's path.</summary>
    public string ContentSecurityPolicy { get; }

    /// <summary>
    /// Swagger UI (npm <c>swagger-ui-dist</c>) at <paramref name="path"/> on the document at <paramref name="documentUrl"/>.
    /// <paramref name="signIn"/>: what <c>initOAuth</c> is given when Swagger UI signs in at an issuer, else null;
    /// <paramref name="issuerOrigin"/>: the issuer's origin (<c>https://login.example</c>), whose discovery document and
    /// token endpoint Swagger UI calls, when authentication is on, else null.
    /// </summary>
    public static DocumentationPage SwaggerUi(string path, string prefix, string title, string documentUrl, SwaggerUiSignIn? signIn, string? issuerOrigin)
    {
        var settings = new Dictionary<string, object> { ["url"] = documentUrl, ["oauth2RedirectPath"] = $"{prefix}{path}/oauth2-redirect.html" };
        if (signIn is not null)
        {
            settings["oauth"] = signIn;
        }

        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>{WebUtility.HtmlEncode(title)}</title>
              <link rel="stylesheet" href="swagger-ui.css">
              <link rel="stylesheet" href="index.css">
              <link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
              <link rel="icon" type="image/png" href="favicon-16x16.png" sizes="16x16">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script id="swagger-ui-settings" type="application/json">{Json(settings)}</script>
              <script src="swagger-ui-bundle.js"></script>
              <script src="swagger-ui-init.js"></script>
            </body>
            </html>

            """;
        var connect = issuerOrigin is null ? "'self'" : $"'self' {issuerOrigin}";
        return new DocumentationPage(path, prefix, html, $"{CommonPolicy}; style-src 'self'; connect-src {connect}");
    }

    /// <summary>ReDoc (npm <c>redoc</c>, its standalone bundle) at <paramref name="path"/> on the document at <paramref name="documentUrl"/>.</summary>
    public static DocumentationPage ReDoc(string path, string prefix, string title, string documentUrl)
    {
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{WebUtility.HtmlEncode(title)}</title>
              <link rel="stylesheet" href="redoc.css">
              <link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
              <link rel="icon" type="image/png" href="favicon-16x16.png" sizes="16x16">
            </head>
            <body>
              <div id="redoc-container"></div>
              <script id="redoc-settings" type="application/json">{Json(new Dictionary<string, object> { ["url"] = documentUrl })}</script>
              <script src="redoc.standalone.js"></script>
              <script src="redoc-init.js"></script>
            </body>
            </html>

            """;
        // ReDoc styles itself with styled-components, which adds <style> elements at run time with no way to give them
        // a nonce from outside its bundle: inline styles must be allowed (styles only; scripts stay 'self'). Its search
        // index runs in a worker made from a blob: URL of its own bundled code.
        return new DocumentationPage(path, prefix, html, $"{CommonPolicy}; style-src 'self' 'unsafe-inline'; worker-src blob:; connect-src 'self'");
    }

    /// <summary>
    /// <c>{path}</c> redirects (302) to <c>{prefix}{path}/index.html</c>, where the relative links of the page resolve;
    /// <c>{path}/index.html</c> is the page; <c>{path}/{file}</c> one of its files (GET and HEAD, with Content-Length and
    /// ETag, as ASP.NET Core's static files serve them); anything else under the path goes on down the pipeline (a 404).
    /// </summary>
    public void Use(IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(context => context.Request.Path.StartsWithSegments(_path, StringComparison.OrdinalIgnoreCase), page =>
        {
            page.Use((context, next) =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                var file = context.Request.Path.Value![_path.Length..].Trim('/');
                if (file.Length == 0)
                {
                    context.Response.StatusCode = StatusCodes.Status302Found;
                    context.Response.Headers.Location = _indexUrl;
                    return Task.CompletedTask;
                }

                if (!file.Equals(IndexFile, StringComparison.OrdinalIgnoreCase))
                {
                    return next(context);
                }

                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength = _index.Length;
                // HEAD: the GET's status and fields, no content (RFC 9110 section 9.3.2).
                return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(_index).AsTask();
            });
            page.UseStaticFiles(new StaticFileOptions { RequestPath = _path, FileProvider = _assets });
        });
    }

    private static string Json(object value) =>
        // The default encoder escapes <, > and &, so no value can close the <script> data block.
        JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
