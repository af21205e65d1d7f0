using GinoDemo.Tests.Infrastructure;

namespace GinoDemo.Tests.HostileInput;

/// <summary>What a case sends, given the API and the id of a stored user.</summary>
public delegate Task<HttpAnswer> Send(KestrelApi api, long storedId);
