namespace GinoDemo.Api.ConditionalRequests;

/// <summary>Which precondition of a request evaluated to false first, in the order of RFC 9110 section 13.2.2.</summary>
internal enum FailedPrecondition
{
    /// <summary>Every precondition is true (or absent): the method is performed.</summary>
    None,

    /// <summary>Step 1: <c>If-Match</c> names no current tag (strong comparison). The answer is 412.</summary>
    IfMatch,

    /// <summary>Step 3: <c>If-None-Match</c> is "*" or names the current tag (weak comparison). 304 for GET and HEAD, else 412.</summary>
    IfNoneMatch,
}
