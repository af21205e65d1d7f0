using System.ComponentModel.DataAnnotations;
using GinoDemo.Api.ConditionalRequests;
using GinoDemo.Api.Idempotency;
using GinoDemo.Api.OpenApi;
using GinoDemo.Api.Standby;
using GinoDemo.Data;
using Microsoft.AspNetCore.Mvc;

namespace GinoDemo.Api.Users;

/// <summary>The tutorial's <c>views/users.py</c> (add, view and delete users), plus listing and renaming.</summary>
[ApiController]
[Route("users")]
[ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status504GatewayTimeout, "application/problem+json")]
public sealed class UsersController(UsersDbContext db) : ControllerBase
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    private const string ETagDescription = "The user's current version, a strong entity tag: send it back in If-None-Match or If-Match.";

    // RFC 9110 section 13.2.2 for every method: If-Match first, then If-None-Match; a missing user is a 404 whatever
    // they say (13.2.1). If-Modified-Since, If-Unmodified-Since and If-Range are ignored (see Preconditions).
    private const string IfMatchDescription =
        "Perform the request only if the user's current ETag is one of these (strong comparison: W/ tags never match); otherwise 412 with the current ETag, and nothing changes. \"*\": the user exists.";
    private const string IfNoneMatchReadDescription =
        "ETags of the copies the client has: \"*\" or the current one (weak comparison) answers 304 without a body. Evaluated after If-Match.";
    private const string IfNoneMatchWriteDescription =
        "Perform the request only if the user's current ETag is none of these (weak comparison); \"*\" never holds, since the user exists. Otherwise 412 with the current ETag, and nothing changes. Evaluated after If-Match.";
    private const string CollectionIfMatchDescription =
        "The collection has no ETag: only \"*\" matches it (it exists); a list of tags answers 412.";

    /// <summary>Lists users by id ascending, one page at a time (keyset pagination: a page never repeats or skips a user that exists throughout).</summary>
    /// <remarks>HEAD answers the same status and headers without the body (RFC 9110 section 9.3.2).</remarks>
    /// <param name="reads">Where the page is read: the standby of DB_READ_DSN, or the primary.</param>
    /// <param name="limit">Users per page, 1 to 200.</param>
    /// <param name="after">Only users with a greater id: the last id of the previous page. Absent: from the first user.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    /// <response code="200">The page; next (and the Link header) name the next page, or next is null on the last one.</response>
    /// <response code="304">If-None-Match is "*": the collection exists. No body.</response>
    /// <response code="400">limit or after is not a whole number in its range, in decimal digits, or If-Match or If-None-Match is malformed.</response>
    /// <response code="412">If-Match is a list of tags, none of which the collection (it has no ETag) can match.</response>
    [HttpGet, HttpHead]
    [RequestHeader("If-Match", CollectionIfMatchDescription)]
    [RequestHeader("If-None-Match", "\"*\" answers 304 without a body (the collection exists); tags never match it, since it has no ETag.")]
    [ProducesResponseType<UserPage>(StatusCodes.Status200OK)]
    [ResponseHeader(StatusCodes.Status200OK, "Link", "<the next page's relative URL>; rel=\"next\" (RFC 8288), when there is a next page.")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    public async Task<ActionResult<UserPage>> List(
        [FromServices] StandbyReads reads,
        [FromQuery, Range(1, MaxPageSize)] int limit = DefaultPageSize,
        [FromQuery] long? after = null,
        CancellationToken cancellationToken = default)
    {
        if (CollectionPreconditions(read: true) is { } failed)
        {
            return failed;
        }

        var users = await reads.RunAsync(db, (context, onStandby, token) => UserQueries.ListPageAsync(context, onStandby, limit, after, token), cancellationToken);
        string? next = null;
        if (users.Count > limit)
        {
            users.RemoveAt(limit);
            next = $"/users?limit={limit}&after={users[^1].Id}";
            Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        return new UserPage(users, next);
    }

    /// <summary>Adds a user. The database chooses the id.</summary>
    /// <response code="201">The user, with its id; Location is its URL. With an Idempotency-Key used before: the first answer again.</response>
    /// <response code="400">The body is not {"name": "..."}: the failing field is named. Or the Idempotency-Key, If-Match or If-None-Match header is malformed.</response>
    /// <response code="412">If-None-Match is "*" (the collection exists), or If-Match is a list of tags (the collection has no ETag): nothing was created.</response>
    /// <response code="413">The body is larger than 64 KiB.</response>
    /// <response code="415">The body is not JSON.</response>
    /// <response code="422">The Idempotency-Key was used with another request within its lifetime.</response>
    [HttpPost]
    [Consumes("application/json")]
    [RequestHeader(IdempotencyKeyHeader.Name,
        "Makes retries safe (IETF httpapi idempotency-key draft): the same key with the same body within 24 hours answers the first answer again and creates no second user; with another body it is a 422.")]
    [RequestHeader("If-Match", CollectionIfMatchDescription)]
    [RequestHeader("If-None-Match", "\"*\" answers 412 and creates nothing (the collection, the target of POST, exists); tags never match it, since it has no ETag.")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status201Created)]
    [ResponseHeader(StatusCodes.Status201Created, "ETag", ETagDescription)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Create(
        CreateUserRequest request, [FromServices] IdempotentUserCreator idempotent, CancellationToken cancellationToken)
    {
        if (!IdempotencyKeyHeader.TryRead(Request.Headers, out var key))
        {
            return InvalidHeader(IdempotencyKeyHeader.Name, IdempotencyKeyHeader.Syntax);
        }

        if (CollectionPreconditions(read: false) is { } failed)
        {
            return failed;
        }

        if (key is not null)
        {
            return await idempotent.CreateAsync(key, request.Name!, cancellationToken) is { } answer
                ? Replay(answer)
                : Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    detail: $"This {IdempotencyKeyHeader.Name} was used with another request; a new request needs a new key.");
        }

        var user = await UserQueries.AddAsync(db, request.Name!, cancellationToken);
        Response.Headers.ETag = EntityTags.For(user.Version);
        return Created($"/users/{user.Id}", UserResponse.From(user));
    }

    /// <summary>Returns one user.</summary>
    /// <remarks>HEAD answers the same status and headers, ETag included, without the body (RFC 9110 section 9.3.2).</remarks>
    /// <response code="200">The user.</response>
    /// <response code="304">If-None-Match is "*" or names the current ETag: the client's copy is current. No body.</response>
    /// <response code="400">The id is not a 64-bit integer, or If-Match or If-None-Match is malformed.</response>
    /// <response code="404">No user has this id.</response>
    /// <response code="412">If-Match does not name the user's current ETag (which this answer carries).</response>
    [HttpGet("{uid}"), HttpHead("{uid}")]
    [RequestHeader("If-Match", IfMatchDescription)]
    [RequestHeader("If-None-Match", IfNoneMatchReadDescription)]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK)]
    [ResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ResponseHeader(StatusCodes.Status304NotModified, "ETag", ETagDescription)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ResponseHeader(StatusCodes.Status412PreconditionFailed, "ETag", ETagDescription)]
    public async Task<ActionResult<UserResponse>> Get(long uid, [FromServices] StandbyReads reads, CancellationToken cancellationToken)
    {
        if (!Preconditions.TryRead(Request.Headers, out var preconditions, out var invalidHeader))
        {
            return InvalidHeader(invalidHeader, EntityTags.Syntax);
        }

        // The hot path: one compiled query, and the version is one more column of the same row. On the standby when
        // DB_READ_DSN is set, unless If-Match asks about the version: such checks stay on the primary.
        var user = Request.Headers.IfMatch.Count > 0
            ? await UserQueries.FindAsync(db, uid, cancellationToken)
            : await reads.RunAsync(db, (context, onStandby, token) =>
                (onStandby ? UserQueries.FindOnStandbyAsync : UserQueries.FindAsync)(context, uid, token), cancellationToken);
        if (user is null)
        {
            return UserNotFound(uid);
        }

        var etag = EntityTags.For(user.Version);
        Response.Headers.ETag = etag;
        return preconditions.Evaluate(etag) switch
        {
            FailedPrecondition.None => new UserResponse(user.Id, user.Nickname),
            FailedPrecondition.IfNoneMatch => StatusCode(StatusCodes.Status304NotModified),
            var failed => PreconditionFailed(uid, etag, failed),
        };
    }

    /// <summary>Renames a user.</summary>
    /// <response code="200">The user as it is now.</response>
    /// <response code="400">The body is not {"name": "..."} (the rules of POST /users), the id is not a 64-bit integer, or If-Match or If-None-Match is malformed.</response>
    /// <response code="404">No user has this id.</response>
    /// <response code="412">If-Match does not name the user's current ETag, or If-None-Match is "*" or names it (the answer carries it): nothing was changed.</response>
    /// <response code="413">The body is larger than 64 KiB.</response>
    /// <response code="415">The body is not JSON.</response>
    [HttpPatch("{uid}")]
    [Consumes("application/json", "application/merge-patch+json")]
    [RequestHeader("If-Match", IfMatchDescription)]
    [RequestHeader("If-None-Match", IfNoneMatchWriteDescription)]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK)]
    [ResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ResponseHeader(StatusCodes.Status412PreconditionFailed, "ETag", ETagDescription)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Update(long uid, UpdateUserRequest request, CancellationToken cancellationToken)
    {
        if (!Preconditions.TryRead(Request.Headers, out var preconditions, out var invalidHeader))
        {
            return InvalidHeader(invalidHeader, EntityTags.Syntax);
        }

        var updated = await UserQueries.RenameAsync(db, uid, request.Name!, preconditions, cancellationToken);
        if (updated is null)
        {
            return await PreconditionFailedOrNotFoundAsync(uid, preconditions, cancellationToken);
        }

        Response.Headers.ETag = EntityTags.For(updated.Version);
        return UserResponse.From(updated);
    }

    /// <summary>Deletes one user.</summary>
    /// <response code="200">The user was deleted; its id is returned.</response>
    /// <response code="400">The id is not a 64-bit integer, or If-Match or If-None-Match is malformed.</response>
    /// <response code="404">No user has this id.</response>
    /// <response code="412">If-Match does not name the user's current ETag, or If-None-Match is "*" or names it (the answer carries it): nothing was deleted.</response>
    [HttpDelete("{uid}")]
    [RequestHeader("If-Match", IfMatchDescription)]
    [RequestHeader("If-None-Match", IfNoneMatchWriteDescription)]
    [ProducesResponseType<DeletedUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ResponseHeader(StatusCodes.Status412PreconditionFailed, "ETag", ETagDescription)]
    public async Task<ActionResult<DeletedUserResponse>> Delete(long uid, CancellationToken cancellationToken)
    {
        if (!Preconditions.TryRead(Request.Headers, out var preconditions, out var invalidHeader))
        {
            return InvalidHeader(invalidHeader, EntityTags.Syntax);
        }

        return await UserQueries.DeleteAsync(db, uid, preconditions, cancellationToken)
            ? new DeletedUserResponse(uid)
            : await PreconditionFailedOrNotFoundAsync(uid, preconditions, cancellationToken);
    }

    /// <summary>
    /// The collection's preconditions (RFC 9110 section 13.2.2): it exists and has no ETag, so If-Match holds only as
    /// "*" and If-None-Match fails only as "*" (304 on a read, 412 on POST). Null: go on.
    /// </summary>
    private ActionResult? CollectionPreconditions(bool read)
    {
        if (!Preconditions.TryRead(Request.Headers, out var preconditions, out var invalidHeader))
        {
            return InvalidHeader(invalidHeader, EntityTags.Syntax);
        }

        return preconditions.Evaluate(currentETag: null) switch
        {
            FailedPrecondition.None => null,
            FailedPrecondition.IfNoneMatch when read => StatusCode(StatusCodes.Status304NotModified),
            FailedPrecondition.IfNoneMatch => Problem(statusCode: StatusCodes.Status412PreconditionFailed,
                detail: $"{Request.Path} exists, and If-None-Match: * asks for the request only if it did not; the request was not performed."),
            _ => Problem(statusCode: StatusCodes.Status412PreconditionFailed,
                detail: $"{Request.Path} has no entity tag, so only If-Match: * matches it; the request was not performed."),
        };
    }

    /// <summary>
    /// Nothing was changed. Without a condition the user is missing; with one, it is missing (404: a request that would
    /// fail anyway ignores its preconditions, RFC 9110 section 13.2.1) or at a version they refuse (412, with that version).
    /// </summary>
    private async Task<ObjectResult> PreconditionFailedOrNotFoundAsync(long uid, Preconditions preconditions, CancellationToken cancellationToken)
    {
        if (preconditions.IsEmpty || await UserQueries.FindAsync(db, uid, cancellationToken) is not { Version: var version })
        {
            return UserNotFound(uid);
        }

        var etag = EntityTags.For(version);
        return PreconditionFailed(uid, etag, preconditions.Evaluate(etag));
    }

    /// <summary>412 with the current ETag, and a detail naming the precondition that failed on it.</summary>
    private ObjectResult PreconditionFailed(long uid, string etag, FailedPrecondition failed)
    {
        Response.Headers.ETag = etag;
        return Problem(statusCode: StatusCodes.Status412PreconditionFailed, detail: failed switch
        {
            FailedPrecondition.IfMatch => $"User {uid} is at {etag}, a version If-Match does not name (strong comparison); nothing was changed. Read it again and retry.",
            FailedPrecondition.IfNoneMatch => $"User {uid} exists at {etag}, which If-None-Match excludes (\"*\", or the same tag, weak comparison); nothing was changed.",
            // Both hold on the version read after the write found none: another client changed the user in between.
            _ => $"User {uid} changed while this request was handled (it is now at {etag}); nothing was changed. Read it again and retry.",
        });
    }

    /// <summary>The stored answer to an idempotent request, as it was first given.</summary>
    private ContentResult Replay(StoredResponse answer)
    {
        Response.Headers.Location = answer.Location;
        Response.Headers.ETag = answer.ETag;
        return new ContentResult { StatusCode = answer.Status, Content = answer.Body, ContentType = "application/json; charset=utf-8" };
    }

    private ActionResult InvalidHeader(string header, string rule)
    {
        ModelState.AddModelError(header, $"The {header} header {rule}.");
        return ValidationProblem();
    }

    private ObjectResult UserNotFound(long uid) =>
        Problem(statusCode: StatusCodes.Status404NotFound, detail: $"User {uid} is not found");
}
