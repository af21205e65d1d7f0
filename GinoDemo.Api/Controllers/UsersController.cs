using GinoDemo.Api.Contracts;
using GinoDemo.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace GinoDemo.Api.Controllers;

/// <summary>The tutorial's <c>views/users.py</c>: add, view and delete users.</summary>
[ApiController]
[Route("users")]
[ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status504GatewayTimeout, "application/problem+json")]
public sealed class UsersController(GinoDbContext db) : ControllerBase
{
    /// <summary>Adds a user. The database chooses the id.</summary>
    /// <response code="201">The user, with its id; Location is its URL.</response>
    /// <response code="400">The body is not {"name": "..."}: the failing field is named.</response>
    /// <response code="413">The body is larger than 64 KiB.</response>
    /// <response code="415">The body is not JSON.</response>
    [HttpPost]
    [Consumes("application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Create(CreateUserRequest request, CancellationToken cancellationToken)
    {
        var user = new User { Nickname = request.Name! };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return Created($"/users/{user.Id}", UserResponse.From(user));
    }

    /// <summary>Returns one user.</summary>
    /// <response code="200">The user.</response>
    /// <response code="400">The id is not a 64-bit integer.</response>
    /// <response code="404">No user has this id.</response>
    [HttpGet("{uid}")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<UserResponse>> Get(long uid, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking()
            .Where(candidate => candidate.Id == uid)
            .Select(found => new UserResponse(found.Id, found.Nickname))
            .SingleOrDefaultAsync(cancellationToken);
        return user is null ? UserNotFound(uid) : user;
    }

    /// <summary>Deletes one user.</summary>
    /// <response code="200">The user was deleted; its id is returned.</response>
    /// <response code="400">The id is not a 64-bit integer.</response>
    /// <response code="404">No user has this id.</response>
    [HttpDelete("{uid}")]
    [ProducesResponseType<DeletedUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<DeletedUserResponse>> Delete(long uid, CancellationToken cancellationToken)
    {
        var deleted = await db.Users.Where(user => user.Id == uid).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? UserNotFound(uid) : new DeletedUserResponse(uid);
    }

    private ObjectResult UserNotFound(long uid) =>
        Problem(statusCode: StatusCodes.Status404NotFound, detail: $"User {uid} is not found");
}
