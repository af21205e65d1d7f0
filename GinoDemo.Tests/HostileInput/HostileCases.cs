namespace GinoDemo.Tests.HostileInput;

/// <summary>A hostile case as NUnit test data: its name (a sentence), what it sends and its <see cref="ExpectedAnswer"/>.</summary>
public static class HostileCases
{
    /// <inheritdoc cref="ExpectedAnswer.Problem"/>
    public static TestCaseData Problem(string name, int status, Send send, string? allow = null) =>
        Case(name, send, ExpectedAnswer.Problem(status, allow));

    /// <inheritdoc cref="ExpectedAnswer.KestrelRejects"/>
    public static TestCaseData KestrelRejects(string name, int status, Send send) => Case(name, send, ExpectedAnswer.KestrelRejects(status));

    /// <inheritdoc cref="ExpectedAnswer.Created"/>
    public static TestCaseData Created(string name, string nickname, Send send) => Case(name, send, ExpectedAnswer.Created(nickname));

    /// <inheritdoc cref="ExpectedAnswer.Read"/>
    public static TestCaseData Read(string name, Send send) => Case(name, send, ExpectedAnswer.Read());

    private static TestCaseData Case(string name, Send send, ExpectedAnswer expected) => new TestCaseData(send, expected).SetName(name);
}
