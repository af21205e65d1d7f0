using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GinoDemo.Api.ConditionalRequests;

/// <summary>
/// Strong ETags from a row's version (PostgreSQL's <c>xmin</c>), and the two preconditions that carry them back:
/// <c>If-None-Match</c> (weak comparison, RFC 9110 section 13.1.2) and <c>If-Match</c> (strong comparison, 13.1.1).
/// </summary>
internal static class EntityTags
{
    public const string Syntax = "must be \"*\" or a comma-separated list of entity tags, such as \"123\"";

    public static string For(uint version) => $"\"{version}\"";

    /// <summary>False when the header is present but not a valid list; an absent header is an empty list.</summary>
    public static bool TryParse(StringValues header, out IList<EntityTagHeaderValue> tags)
    {
        tags = Array.Empty<EntityTagHeaderValue>();
        if (header.Count == 0)
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(header, out var parsed) || parsed.Count == 0)
        {
            return false;
        }

        tags = parsed;
        return true;
    }

    /// <summary>If-None-Match: does any tag, or "*", match the current ETag? Weak comparison: the opaque tags alone.</summary>
    public static bool AnyMatchesWeakly(IList<EntityTagHeaderValue> tags, string etag)
    {
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Tag.Equals(etag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// If-Match as the versions it accepts: null when there is no condition (no header, or "*": a missing user is a
    /// 404 whatever the header says, RFC 9110 section 13.2.1). Weak tags never match strongly, so they are dropped.
    /// </summary>
    public static string[]? AcceptedVersions(IList<EntityTagHeaderValue> tags) =>
        tags.Count == 0 || tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any))
            ? null
            : [.. tags.Where(tag => !tag.IsWeak).Select(tag => tag.Tag.Subsegment(1, tag.Tag.Length - 2).ToString())];
}
