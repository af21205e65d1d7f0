using System.Diagnostics;
using System.Globalization;
using GinoDemo.Tests.Infrastructure;
using NUnit.Framework.Interfaces;

[assembly: ProgressReport]

namespace GinoDemo.Tests.Infrastructure;

/// <summary>
/// What <c>scripts/test.sh</c> shows while the tests run: one line per test class as it finishes (its counts and
/// seconds) and one per failed test at once, appended to the file named by <c>GINO_TEST_PROGRESS</c> (nothing without
/// it), which the script follows. An NUnit action on every test of the assembly (docs.nunit.org, "Action Attributes"):
/// the classes run one after another (none is <c>[Parallelizable]</c>), so a class is finished when the next one
/// starts, and the last one when the assembly is.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ProgressReportAttribute : Attribute, ITestAction
{
    private static readonly string? ProgressFile = Environment.GetEnvironmentVariable("GINO_TEST_PROGRESS");
    private static readonly Lock Gate = new();
    private static string? _class;
    private static int _passed, _failed, _skipped;
    private static readonly Stopwatch ClassTime = new();

    public ActionTargets Targets => ActionTargets.Test | ActionTargets.Suite;

    public void BeforeTest(ITest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (ProgressFile is null || test.IsSuite)
        {
            return;
        }

        lock (Gate)
        {
            var name = ClassOf(test);
            if (name != _class)
            {
                FinishClass();
                _class = name;
                ClassTime.Restart();
            }
        }
    }

    public void AfterTest(ITest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (ProgressFile is null)
        {
            return;
        }

        lock (Gate)
        {
            if (test.IsSuite)
            {
                FinishClass(); // the assembly is done
                return;
            }

            var result = TestContext.CurrentContext.Result;
            switch (result.Outcome.Status)
            {
                case TestStatus.Passed:
                    _passed++;
                    break;
                case TestStatus.Skipped or TestStatus.Inconclusive:
                    _skipped++;
                    break;
                default:
                    _failed++;
                    Write($"  FAILED {ClassOf(test)}.{test.Name}: {FirstLine(result.Message)}");
                    break;
            }
        }
    }

    private static void FinishClass()
    {
        if (_class is null)
        {
            return;
        }

        var counts = _passed.ToString(CultureInfo.InvariantCulture) + " passed"
            + (_failed > 0 ? $", {_failed} FAILED" : "")
            + (_skipped > 0 ? $", {_skipped} skipped" : "");
        Write(string.Create(CultureInfo.InvariantCulture, $"  {_class}: {counts} ({ClassTime.Elapsed.TotalSeconds:0.0} s)"));
        _class = null;
        _passed = _failed = _skipped = 0;
    }

    private static string ClassOf(ITest test) => test.ClassName?.Split('.')[^1] ?? "?";

    private static string FirstLine(string? message)
    {
        var line = (message ?? "").Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    private static void Write(string line) => File.AppendAllText(ProgressFile!, line + "\n");
}
