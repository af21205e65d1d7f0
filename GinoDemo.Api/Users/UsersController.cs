using System.ComponentModel.DataAnnotations;
using GinoDemo.Api.ConditionalRequests;
using GinoDemo.Api.Idempotency;
using GinoDemo.Api.OpenApi;
using GinoDemo.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

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
    private const string IfMatchDescription =
        "Change the user only if its current ETag is one of these (strong comparison); otherwise 412 and nothing changes. \"*\" or no header: no condition.";

    /// <summary>Lists users by id ascending, one page at a time (keyset pagination: a page never repeats or skips a user that exists throughout).</summary>
    /// <param name="limit">Users per page, 1 to 200.</param>
    /// <param name="after">Only users with a greater id: the last id of the previous page. Absent: from the first user.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    /// <response code="200">The page; next (and the Link header) name the next page, or next is null on the last one.</response>
    /// <response code="400">limit or after is not a whole number in its range, in decimal digits.</response>
    [HttpGet]
    [ProducesResponseType<UserPage>(StatusCodes.Status200OK)]
    [ResponseHeader(StatusCodes.Status200OK, "Link", "<the next page's relative URL>; rel=\"next\" (RFC 8288), when there is a next page.")]
    public async Task<ActionResult<UserPage>> List(
        [FromQuery, Range(1, MaxPageSize)] int limit = DefaultPageSize, [FromQuery] long? after = null, CancellationToken cancellationToken = default)
    {
        var users = await UserQueries.ListPageAsync(db, limit, after, cancellationToken);
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
    /// <response code="400">The body is not {"name": "..."}: the failing field is named. Or the Idempotency-Key header is malformed.</response>
    /// <response code="413">The body is larger than 64 KiB.</response>
    /// <response code="415">The body is not JSON.</response>
    /// <response code="422">The Idempotency-Key was used with another request within its lifetime.</response>
    [HttpPost]
    [Consumes("application/json")]
    [RequestHeader(IdempotencyKeyHeader.Name,
        "Makes retries safe (IETF httpapi idempotency-key draft): the same key with the same body within 24 hours answers the first answer again and creates no second user; with another body it is a 422.")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status201Created)]
    [ResponseHeader(StatusCodes.Status201Created, "ETag", ETagDescription)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Create(
        CreateUserRequest request, [FromServices] IdempotentUserCreator idempotent, CancellationToken cancellationToken)
    {
        if (!IdempotencyKeyHeader.TryRead(Request.Headers, out var key))
        {
            return InvalidHeader(IdempotencyKeyHeader.Name, IdempotencyKeyHeader.Syntax);
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
    /// <response code="200">The user.</response>
    /// <response code="304">If-None-Match names the current ETag: the client's copy is current. No body.</response>
    /// <response code="400">The id is not a 64-bit integer, or If-None-Match is malformed.</response>
    /// <response code="404">No user has this id.</response>
    [HttpGet("{uid}")]
    [RequestHeader("If-None-Match", "ETags of the copies the client has; the current one (weak comparison) or \"*\" answers 304 without a body.")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK)]
    [ResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    [ResponseHeader(StatusCodes.Status304NotModified, "ETag", ETagDescription)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Get(long uid, CancellationToken cancellationToken)
    {
        if (!EntityTags.TryParse(Request.Headers.IfNoneMatch, out var ifNoneMatch))
        {
            return InvalidHeader(HeaderNames.IfNoneMatch, EntityTags.Syntax);
        }

        // The hot path: one compiled query, and the version is one more column of the same row.
        var user = await UserQueries.FindAsync(db, uid, cancellationToken);
        if (user is null)
        {
            return UserNotFound(uid);
        }

        var etag = EntityTags.For(user.Version);
        Response.Headers.ETag = etag;
        if (EntityTags.AnyMatchesWeakly(ifNoneMatch, etag))
        {
            return StatusCode(StatusCodes.Status304NotModified);
        }

        return new UserResponse(user.Id, user.Nickname);
    }

    /// <summary>Renames a user.</summary>
    /// <response code="200">The user as it is now.</response>
    /// <response code="400">The body is not {"name": "..."} (the rules of POST /users), the id is not a 64-bit integer, or If-Match is malformed.</response>
    /// <response code="404">No user has this id.</response>
    /// <response code="412">If-Match does not name the user's current ETag (which this answer carries): nothing was changed.</response>
    /// <response code="413">The body is larger than 64 KiB.</response>
    /// <response code="415">The body is not JSON.</response>
    [HttpPatch("{uid}")]
    [Consumes("application/json", "application/merge-patch+json")]
    [RequestHeader("If-Match", IfMatchDescription)]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK)]
    [ResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ResponseHeader(StatusCodes.Status412PreconditionFailed, "ETag", ETagDescription)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Update(long uid, UpdateUserRequest request, CancellationToken cancellationToken)
    {
        if (!EntityTags.TryParse(Request.Headers.IfMatch, out var ifMatch))
        {
            return InvalidHeader(HeaderNames.IfMatch, EntityTags.Syntax);
        }

        var versions = EntityTags.AcceptedVersions(ifMatch);
        var updated = await UserQueries.RenameAsync(db, uid, request.Name!, versions, cancellationToken);
        if (updated is null)
        {
            return await PreconditionFailedOrNotFoundAsync(uid, versions, cancellationToken);
        }

        Response.Headers.ETag = EntityTags.For(updated.Version);
        return UserResponse.From(updated);
    }

    /// <summary>Deletes one user.</summary>
    /// <response code="200">The user was deleted; its id is returned.</response>
    /// <response code="400">The id is not a 64-bit integer, or If-Match is malformed.</response>
    /// <response code="404">No user has this id.</response>
    /// <response code="412">If-Match does not name the user's current ETag (which this answer carries): nothing was deleted.</response>
    [HttpDelete("{uid}")]
    [RequestHeader("If-Match", IfMatchDescription)]
    [ProducesResponseType<DeletedUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ResponseHeader(StatusCodes.Status412PreconditionFailed, "ETag", ETagDescription)]
    public async Task<ActionResult<DeletedUserResponse>> Delete(long uid, CancellationToken cancellationToken)
    {
        if (!EntityTags.TryParse(Request.Headers.IfMatch, out var ifMatch))
        {
            return InvalidHeader(HeaderNames.IfMatch, EntityTags.Syntax);
        }

        var versions = EntityTags.AcceptedVersions(ifMatch);
        return await UserQueries.DeleteAsync(db, uid, versions, cancellationToken)
            ? new DeletedUserResponse(uid)
            : await PreconditionFailedOrNotFoundAsync(uid, versions, cancellationToken);
    }

    /// <summary>
    /// Nothing matched. Without a condition the user is missing; with one, it is missing (404: a request that would
    /// fail anyway ignores its preconditions, RFC 9110 section 13.2.1) or at another version (412, with that version).
    /// </summary>
    private async Task<ObjectResult> PreconditionFailedOrNotFoundAsync(long uid, string[]? versions, CancellationToken cancellationToken)
    {
        if (versions is null)
        {
            return UserNotFound(uid);
        }

        if (await UserQueries.FindAsync(db, uid, cancellationToken) is not { Version: var version })
        {
            return UserNotFound(uid);
        }

        Response.Headers.ETag = EntityTags.For(version);
        return Problem(statusCode: StatusCodes.Status412PreconditionFailed,
            detail: $"User {uid} is not at the version If-Match names (it is at {EntityTags.For(version)}); nothing was changed. Read it again and retry.");
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
