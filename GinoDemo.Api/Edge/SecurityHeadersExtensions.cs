namespace GinoDemo.Api.Edge;

public static class SecurityHeadersExtensions
{
    /// <summary>
    /// HSTS (outside Development; only ever sent over HTTPS, as a TLS-terminating proxy reports it through
    /// X-Forwarded-Proto), and <c>nosniff</c>, <c>DENY</c> framing, <c>no-referrer</c>, a CSP and <c>no-store</c> on
    /// every response (the documentation pages' own CSP where they set one).
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.Use(static (context, next) =>
        {
            // At the start of the response, so error responses (whose headers the exception handler clears) get them too.
            context.Response.OnStarting(static state => AddSecurityHeaders((HttpContext)state), context);
            return next(context);
        });
        return app;
    }

    private static Task AddSecurityHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Data that must never be rendered or framed, unless the answer set its own: the documentation pages
        // (OpenApi/DocumentationPage) run scripts from the app, and allow nothing else.
        if (!headers.ContainsKey("Content-Security-Policy"))
        {
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        }

        if (!headers.ContainsKey("Cache-Control"))
        {
            headers.CacheControl = "no-store";
        }

        return Task.CompletedTask;
    }
}
