namespace GinoDemo.Tests.Faults;

/// <summary>One request's status (0: no answer), how long the answer took, and whether it was problem+json.</summary>
public sealed record TimedAnswer(int Status, TimeSpan Duration, bool IsProblem);
