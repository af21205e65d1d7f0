using Microsoft.AspNetCore.Mvc;

namespace GinoDemo.Api.Index;

/// <summary>The tutorial's <c>views/index.py</c>.</summary>
[ApiController]
[Route("")]
public sealed class IndexController : ControllerBase
{
    /// <summary>Says hello.</summary>
    /// <remarks>HEAD answers the same status and headers without the body (RFC 9110 section 9.3.2): what uptime monitors send.</remarks>
    /// <response code="200">The greeting.</response>
    [HttpGet, HttpHead]
    [ProducesResponseType<MessageResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public ActionResult<MessageResponse> Index() => new MessageResponse("Hello, world!");
}
