namespace GinoDemo.Tests.Infrastructure;

/// <summary>What a person sees when the service refuses to start, checked on the whole output.</summary>
public static class StartupOutput
{
    /// <summary>
    /// The output holds <paramref name="keyLine"/> as a line of its own, no exception text (no type name ending in
    /// "Exception", no "   at " stack frame, no "Unhandled"), and at most <paramref name="maxLines"/> lines.
    /// </summary>
    public static void ShouldSayOnlyWhatToDo(string output, string keyLine, int maxLines)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToList();
        output.Should().NotContain("Exception", "a person's mistake is not a crash:\n{0}", output)
            .And.NotContain("   at ", "no stack trace:\n{0}", output)
            .And.NotContain("Unhandled", "no crash:\n{0}", output);
        lines.Select(line => line.Trim()).Should().Contain(keyLine, "the one line that says what to do:\n{0}", output);
        lines.Should().HaveCountLessThanOrEqualTo(maxLines, "only the usual start-up lines and the key line:\n{0}", output);
    }
}
