using Microsoft.AspNetCore.Mvc;

namespace GinoDemo.Api.Index;

/// <summary>The tutorial's <c>views/index.py</c>.</summary>
[ApiController]
[Route("")]
public sealed class IndexController : ControllerBase
{
    /// <summary>Says hello.</summary>
    /// <response code="200">The greeting.</response>
    [HttpGet]
    [ProducesResponseType<MessageResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public ActionResult<MessageResponse> Index() => new MessageResponse("Hello, world!");
}
