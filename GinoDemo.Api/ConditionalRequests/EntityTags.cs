using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GinoDemo.Api.ConditionalRequests;

/// <summary>
/// Strong ETags from a row's version (PostgreSQL's <c>xmin</c>), and the syntax of the two preconditions that carry
/// them back, <c>If-Match</c> and <c>If-None-Match</c> (RFC 9110 sections 13.1.1 and 13.1.2):
/// <c>"*" / #entity-tag</c>.
/// </summary>
internal static class EntityTags
{
    public const string Syntax = "must be \"*\" or a comma-separated list of entity tags, such as \"123\"";

    public static string For(uint version) => $"\"{version}\"";

    /// <summary>
    /// False when the header is present but not a valid list (or "*" among tags, which the grammar does not allow);
    /// an absent header is an empty list.
    /// </summary>
    public static bool TryParse(StringValues header, out IList<EntityTagHeaderValue> tags)
    {
        tags = Array.Empty<EntityTagHeaderValue>();
        if (header.Count == 0)
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(header, out var parsed) || parsed.Count == 0
            || (parsed.Count > 1 && parsed.Any(IsAny)))
        {
            return false;
        }

        tags = parsed;
        return true;
    }

    /// <summary>"*": any current representation.</summary>
    public static bool IsAny(EntityTagHeaderValue tag) => tag.Equals(EntityTagHeaderValue.Any);

    /// <summary>The tag's opaque value without its quotes: what <c>xmin::text</c> is compared with.</summary>
    public static string Opaque(EntityTagHeaderValue tag) => tag.Tag.Subsegment(1, tag.Tag.Length - 2).ToString();
}
