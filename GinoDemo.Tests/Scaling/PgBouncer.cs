using System.Net.Sockets;
using System.Text.RegularExpressions;
using GinoDemo.Tests.Faults;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests.Scaling;

/// <summary>
/// PgBouncer 1.18 run on the shipped <c>deploy/pgbouncer/pgbouncer.ini</c>, its <c>${NAME}</c> placeholders replaced as
/// envsubst would (addresses, ports and the auth file's path only), in a folder under /tmp of its own. As root it runs
/// as the postgres user (<c>-u postgres</c>): PgBouncer refuses root.
/// </summary>
public sealed partial class PgBouncer : IAsyncDisposable
{
    public const string PrimaryDatabase = "gino_demo";
    public const string StandbyDatabase = "gino_demo_standby";

    private readonly string _home;
    private ServiceProcess? _process;

    private PgBouncer(string home, int port)
    {
        _home = home;
        Port = port;
    }

    public static string ShippedConfiguration => Path.Combine(TestDatabase.RepositoryRoot, "deploy", "pgbouncer", "pgbouncer.ini");

    public int Port { get; }

    /// <summary>PgBouncer's own log (stderr in the foreground).</summary>
    public string Output => _process?.Output ?? "";

    private string ConfigurationFile => Path.Combine(_home, "pgbouncer.ini");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Starts PgBouncer in front of <paramref name="primary"/> and <paramref name="standby"/>, once it accepts connections.</summary>
    public static async Task<PgBouncer> StartAsync(PostgresCluster primary, PostgresCluster standby)
    {
        var home = Directory.CreateDirectory(Path.Combine("/tmp", $"gino-pgbouncer-{Guid.NewGuid():N}")).FullName;
        var bouncer = new PgBouncer(home, ApiProcess.FreePort());
        try
        {
            await RunAsync("chmod", ["755", home]);
            await bouncer.WriteUserListAsync(primary);
            await bouncer.WriteConfigurationAsync(primary, standby);
            bouncer._process = ServiceProcess.Start("/usr/sbin/pgbouncer", IsRoot ? ["-u", "postgres", bouncer.ConfigurationFile] : [bouncer.ConfigurationFile]);
            await bouncer.WaitUntilListeningAsync();
            return bouncer;
        }
        catch
        {
            await bouncer.DisposeAsync();
            throw;
        }
    }

    /// <summary>An Npgsql connection string through PgBouncer, with no server-prepared statements (transaction mode).</summary>
    public string ConnectionString(string database, string password) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = password,
        Database = database,
        MaxAutoPrepare = 0,
    }.ConnectionString;

    /// <summary>
    /// Points both databases at <paramref name="primary"/> and <paramref name="standby"/> as an operator does after a
    /// failover: the configuration file rewritten, then SIGHUP (the admin console's RELOAD). Returns once PgBouncer has
    /// re-read it.
    /// </summary>
    public async Task RepointAsync(PostgresCluster primary, PostgresCluster standby)
    {
        var reloads = CountLines("re-reading");
        await WriteConfigurationAsync(primary, standby);
        await _process!.SignalAsync("HUP");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (CountLines("re-reading") == reloads)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"PgBouncer did not re-read its configuration after SIGHUP. It printed:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    /// <summary>The shipped file with each <c>${NAME}</c> replaced; a placeholder without a value fails the test.</summary>
    internal static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, match => values.TryGetValue(match.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"{ShippedConfiguration} has ${{{match.Groups[1].Value}}}, which the Scaling tests give no value."));

    private int CountLines(string text) => Output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    private async Task WriteConfigurationAsync(PostgresCluster primary, PostgresCluster standby)
    {
        var text = Render(await File.ReadAllTextAsync(ShippedConfiguration), new Dictionary<string, string>
        {
            ["PGBOUNCER_LISTEN"] = "127.0.0.1",
            ["PGBOUNCER_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGBOUNCER_USERLIST"] = Path.Combine(_home, "userlist.txt"),
            ["PRIMARY_HOST"] = "127.0.0.1",
            ["PRIMARY_PORT"] = primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["STANDBY_HOST"] = "127.0.0.1",
            ["STANDBY_PORT"] = standby.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        // Written beside and renamed: PgBouncer never reads half a file.
        var next = ConfigurationFile + ".next";
        await File.WriteAllTextAsync(next, text);
        File.Move(next, ConfigurationFile, overwrite: true);
    }

    /// <summary>The auth file as the shipped configuration says to make it: the server's own SCRAM secret of the user.</summary>
    private async Task WriteUserListAsync(PostgresCluster primary)
    {
        await using var connection = new NpgsqlConnection(primary.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT format('\"%s\" \"%s\"', rolname, rolpassword) FROM pg_authid WHERE rolname = 'postgres'", connection);
        var line = (string)(await command.ExecuteScalarAsync())!;
        var file = Path.Combine(_home, "userlist.txt");
        await File.WriteAllTextAsync(file, "");
        await RunAsync("chmod", ["600", file]);
        await File.WriteAllTextAsync(file, line + "\n");
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:", file]);
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && _process?.HasExited == false)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                Assert.Fail($"PgBouncer did not listen on 127.0.0.1:{Port}. It printed:\n{Output}");
            }
        }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var result = await Command.RunAsync(file, arguments, "/");
        result.ExitCode.Should().Be(0, $"{file} {string.Join(' ', arguments)}: {result.Output}");
    }

    [GeneratedRegex(@"\$\{([A-Z_0-9]+)\}")]
    private static partial Regex Placeholder();
}
