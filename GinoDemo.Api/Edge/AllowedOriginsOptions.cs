using System.ComponentModel.DataAnnotations;
using GinoDemo.Api.Startup;

namespace GinoDemo.Api.Edge;

/// <summary>The <c>Cors</c> section: browser origins allowed to call the API. Empty: CORS is off.</summary>
public sealed class AllowedOriginsOptions : ISectionOptions, IValidatableObject
{
    public static string Section => "Cors";

    public IList<string> AllowedOrigins { get; init; } = [];

    /// <summary>An origin is a scheme, a host and a port, nothing more; "*" would let every site read the answers.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins.Where(origin => !IsOrigin(origin)))
        {
            yield return new ValidationResult($"'{origin}' is not an origin such as https://app.example or http://localhost:3000.", [nameof(AllowedOrigins)]);
        }
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && origin.Equals(uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}
