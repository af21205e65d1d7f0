using System.Text;
using GinoDemo.Data;

namespace GinoDemo.Api.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> request header of the IETF httpapi draft. The draft makes it a Structured Field string
/// (<c>"8e03978e-..."</c>, quoted); the bare token most clients send (<c>8e03978e-...</c>) is accepted too.
/// </summary>
internal static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";

    public static readonly string Syntax =
        $"must be one value of 1 to {IdempotencyKey.MaxKeyLength} printable ASCII characters: a bare token (no spaces, quotes or backslashes) or a quoted string";

    /// <summary>False when the header is present but unusable; <paramref name="key"/> is null when it is absent.</summary>
    public static bool TryRead(IHeaderDictionary headers, out string? key)
    {
        key = null;
        var values = headers[Name];
        if (values.Count == 0)
        {
            return true;
        }

        key = values.Count == 1 ? Unwrap(values[0] ?? "") : null;
        return key is { Length: > 0 and <= IdempotencyKey.MaxKeyLength };
    }

    private static string? Unwrap(string value)
    {
        if (!value.StartsWith('"'))
        {
            // A bare token: visible ASCII, no quotes or backslashes that would make it ambiguous with the quoted form.
            return value.All(c => c is > ' ' and <= '~' and not '"' and not '\\') ? value : null;
        }

        // RFC 8941 section 3.3.3: printable ASCII between quotes; only \" and \\ are escapes.
        var key = new StringBuilder();
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"')
            {
                return i == value.Length - 1 ? key.ToString() : null;
            }

            if (c == '\\')
            {
                if (++i == value.Length || value[i] is not ('"' or '\\'))
                {
                    return null;
                }

                c = value[i];
            }
            else if (c is < ' ' or > '~')
            {
                return null;
            }

            key.Append(c);
        }

        return null;
    }
}
