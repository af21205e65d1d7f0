namespace GinoDemo.Tests.Infrastructure;

/// <summary>Base of tests that need an empty working directory of their own (for a .env file, say).</summary>
public abstract class ScratchDirectoryTest
{
    protected string WorkingDirectory { get; private set; } = null!;

    [SetUp]
    public void CreateWorkingDirectory() => WorkingDirectory = Directory.CreateTempSubdirectory("gino-test-").FullName;

    [TearDown]
    public void DeleteWorkingDirectory() => Directory.Delete(WorkingDirectory, recursive: true);

    protected void WriteDotEnv(params string[] lines) => File.WriteAllLines(Path.Combine(WorkingDirectory, ".env"), lines);
}
