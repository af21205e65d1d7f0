namespace GinoDemo.Tests.Infrastructure;

/// <summary>Base of the tests that touch data: every test starts from empty tables.</summary>
public abstract class DatabaseTest
{
    [SetUp]
    public Task ResetDatabase() => TestDatabase.ResetAsync();
}
