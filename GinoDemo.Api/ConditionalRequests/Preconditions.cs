using System.Diagnostics.CodeAnalysis;
using Microsoft.Net.Http.Headers;

namespace GinoDemo.Api.ConditionalRequests;

/// <summary>
/// A request's <c>If-Match</c> and <c>If-None-Match</c>, evaluated for every method in the order of RFC 9110 section
/// 13.2.2: step 1, <c>If-Match</c> (strong comparison, 13.1.1), then step 3, <c>If-None-Match</c> (weak comparison,
/// 13.1.2). Steps 2, 4 and 5 never apply here: <c>If-Unmodified-Since</c> and <c>If-Modified-Since</c> are ignored
/// because no resource of this API has a modification date (it sends no <c>Last-Modified</c>; sections 13.1.3 and
/// 13.1.4 say to ignore them then), and <c>If-Range</c> because the API serves no ranges (section 13.1.5: it only
/// qualifies a <c>Range</c>, which a server may ignore, section 14.2).
/// </summary>
/// <remarks>
/// A precondition is evaluated only when the request would otherwise succeed: a missing user is a 404 whatever the
/// headers say (section 13.2.1), so callers look the resource up before they call <see cref="Evaluate"/>.
/// </remarks>
internal sealed class Preconditions
{
    private static readonly Preconditions None = new([], []);

    private readonly IList<EntityTagHeaderValue> _ifMatch;
    private readonly IList<EntityTagHeaderValue> _ifNoneMatch;

    private Preconditions(IList<EntityTagHeaderValue> ifMatch, IList<EntityTagHeaderValue> ifNoneMatch)
    {
        _ifMatch = ifMatch;
        _ifNoneMatch = ifNoneMatch;
    }

    /// <summary>Neither header was sent: the method is performed whatever the resource's version.</summary>
    public bool IsEmpty => _ifMatch.Count == 0 && _ifNoneMatch.Count == 0;

    /// <summary>No <c>If-Match</c>, or <c>If-Match: *</c>: true for any version of a resource that exists.</summary>
    public bool AcceptsAnyVersion => _ifMatch.Count == 0 || _ifMatch.Any(EntityTags.IsAny);

    /// <summary>
    /// The versions <c>If-Match</c> accepts, as <c>xmin::text</c> spells them. Strong comparison: weak tags never
    /// match, so they are left out (a header of weak tags only accepts none).
    /// </summary>
    public string[] AcceptedVersions => [.. _ifMatch.Where(tag => !tag.IsWeak && !EntityTags.IsAny(tag)).Select(EntityTags.Opaque)];

    /// <summary><c>If-None-Match: *</c>: false for every version of a resource that exists.</summary>
    public bool ExcludesEveryVersion => _ifNoneMatch.Any(EntityTags.IsAny);

    /// <summary>The versions <c>If-None-Match</c> excludes. Weak comparison: <c>W/"1"</c> excludes version 1 too.</summary>
    public string[] ExcludedVersions => [.. _ifNoneMatch.Where(tag => !EntityTags.IsAny(tag)).Select(EntityTags.Opaque)];

    /// <summary>Parses both headers; on a malformed one, false and its name (a 400 names it).</summary>
    public static bool TryRead(IHeaderDictionary headers, [NotNullWhen(true)] out Preconditions? preconditions, [NotNullWhen(false)] out string? invalidHeader)
    {
        preconditions = null;
        if (!EntityTags.TryParse(headers.IfMatch, out var ifMatch))
        {
            invalidHeader = HeaderNames.IfMatch;
            return false;
        }

        if (!EntityTags.TryParse(headers.IfNoneMatch, out var ifNoneMatch))
        {
            invalidHeader = HeaderNames.IfNoneMatch;
            return false;
        }

        preconditions = ifMatch.Count + ifNoneMatch.Count == 0 ? None : new Preconditions(ifMatch, ifNoneMatch);
        invalidHeader = null;
        return true;
    }

    /// <summary>
    /// Steps 1 and 3 of RFC 9110 section 13.2.2 for a resource that exists, whose current entity tag is
    /// <paramref name="currentETag"/> (null: it has none, as the users collection: only "*" matches it).
    /// </summary>
    public FailedPrecondition Evaluate(string? currentETag)
    {
        if (IsEmpty)
        {
            return FailedPrecondition.None;
        }

        var current = currentETag is null ? null : EntityTagHeaderValue.Parse(currentETag);
        if (_ifMatch.Count > 0 && !_ifMatch.Any(tag => EntityTags.IsAny(tag) || tag.Compare(current, useStrongComparison: true)))
        {
            return FailedPrecondition.IfMatch;
        }

        if (_ifNoneMatch.Any(tag => EntityTags.IsAny(tag) || tag.Compare(current, useStrongComparison: false)))
        {
            return FailedPrecondition.IfNoneMatch;
        }

        return FailedPrecondition.None;
    }
}
