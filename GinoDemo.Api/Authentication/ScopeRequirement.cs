using Microsoft.AspNetCore.Authorization;

namespace GinoDemo.Api.Authentication;

/// <summary>What an endpoint needs: the read or the write scope of <see cref="BearerAuthOptions"/> (or its role).</summary>
internal sealed record ScopeRequirement(bool Write) : IAuthorizationRequirement;
