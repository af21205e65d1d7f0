namespace GinoDemo.Tests.HostileInput;

/// <summary>
/// The answer a hostile case must get, as data: its exact status and what else the answer must show. Whatever it is,
/// only a 201 may change what is stored, and the server must keep serving (<see cref="HostileInputTest"/>).
/// </summary>
public sealed record ExpectedAnswer
{
    private ExpectedAnswer(int status) => Status = status;

    public int Status { get; }

    /// <summary>The body is RFC 9457 problem+json with this status, a title and a trace id.</summary>
    public bool IsProblem { get; private init; }

    /// <summary>A 201's nickname, stored exactly as sent, the one user added; null when nothing may be stored.</summary>
    public string? StoredNickname { get; private init; }

    /// <summary>The body is the stored user the request named.</summary>
    public bool ReadsStoredUser { get; private init; }

    /// <summary>The methods the <c>Allow</c> header lists (in any order), when it must have one.</summary>
    public string? Allow { get; private init; }

    /// <summary>A client error answered as problem+json.</summary>
    public static ExpectedAnswer Problem(int status, string? allow = null) => new(status) { IsProblem = true, Allow = allow };

    /// <summary>
    /// A client error Kestrel answers itself, before any middleware runs: its body is empty and cannot be
    /// problem+json. Documented as such; only the status, the data and the server's health are asserted.
    /// </summary>
    public static ExpectedAnswer KestrelRejects(int status) => new(status);

    /// <summary>Harmless after all: a 201 storing exactly the nickname given.</summary>
    public static ExpectedAnswer Created(string nickname) => new(201) { StoredNickname = nickname };

    /// <summary>Harmless after all: the stored user is read (200).</summary>
    public static ExpectedAnswer Read() => new(200) { ReadsStoredUser = true };
}
