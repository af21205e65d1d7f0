using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GinoDemo.Tests.Infrastructure;
using Npgsql;

namespace GinoDemo.Tests;

/// <summary>
/// A person's mistakes at start, through serve, <c>migrate</c> and <c>healthcheck</c> on the real process: each prints
/// one line that says what to do, no exception, and exits with the README's code (1 database, 2 settings, 3 address).
/// They run in Development, the readable format <c>scripts/run.sh</c> shows, where a log entry is two lines (a
/// "level: category[event]" header and the message): the line bounds below count those entries.
/// </summary>
public sealed class StartupMistakeTests : ScratchDirectoryTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>"Connecting to the database" and the key line: two entries.</summary>
    private const int DatabaseMistakeLines = 4;

    /// <summary>"Connecting to the database", "Database connection pool created" and the key line: three entries.</summary>
    private const int ListenMistakeLines = 6;

    private static NpgsqlConnectionStringBuilder Server => new(TestDatabase.Options.ConnectionString);

    private static string Invariant(int number) => number.ToString(CultureInfo.InvariantCulture);

    private async Task<ApiProcess> RunToExitAsync(IReadOnlyDictionary<string, string> settings, int expectedExitCode, IReadOnlyList<string>? arguments = null)
    {
        var api = ApiProcess.Start(WorkingDirectory, new Dictionary<string, string>(settings) { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, arguments: arguments);
        (await api.WaitForExitAsync(Patience)).Should().Be(expectedExitCode, api.Output);
        return api;
    }

    private static Dictionary<string, string> Dsn(Action<NpgsqlConnectionStringBuilder> change)
    {
        var dsn = Server;
        change(dsn);
        return new Dictionary<string, string> { ["DB_DSN"] = dsn.ConnectionString };
    }

    [TestCase(null, TestName = "A wrong password stops the API with one line naming DB_PASSWORD")]
    [TestCase("migrate", TestName = "A wrong password stops migrate with one line naming DB_PASSWORD")]
    public async Task A_wrong_password_says_to_set_DB_PASSWORD(string? command)
    {
        await using var api = await RunToExitAsync(Dsn(dsn => dsn.Password = "not-the-password"), 1, command is null ? null : [command]);

        StartupOutput.ShouldSayOnlyWhatToDo(api.Output,
            $"Cannot connect to the database; max retries reached. (28P01: password authentication failed for user \"{Server.Username}\") "
            + $"Set DB_PASSWORD (or the password in DB_DSN) to the password of the PostgreSQL user \"{Server.Username}\".",
            DatabaseMistakeLines);
        api.Output.Should().NotContain("not-the-password");
    }

    [Test]
    public async Task A_database_that_does_not_exist_says_to_run_migrate()
    {
        await using var api = await RunToExitAsync(Dsn(dsn => dsn.Database = "gino_no_such_database"), 1);

        StartupOutput.ShouldSayOnlyWhatToDo(api.Output,
            "Cannot connect to the database; max retries reached. (3D000: database \"gino_no_such_database\" does not exist) "
            + "Create it with the migrate step (scripts/run.sh runs it; or: dotnet GinoDemo.Api.dll migrate), or set DB_DATABASE to a database that exists.",
            DatabaseMistakeLines);
    }

    [TestCase(null, TestName = "No server at the address stops the API with one line naming DB_HOST and DB_PORT")]
    [TestCase("migrate", TestName = "No server at the address stops migrate with one line naming DB_HOST and DB_PORT")]
    public async Task No_server_at_the_address_says_to_start_one_or_change_the_address(string? command)
    {
        var closedPort = ApiProcess.FreePort();
        await using var api = await RunToExitAsync(new Dictionary<string, string>
        {
            ["DB_HOST"] = "127.0.0.1",
            ["DB_PORT"] = Invariant(closedPort),
        }, 1, command is null ? null : [command]);

        StartupOutput.ShouldSayOnlyWhatToDo(api.Output,
            $"Cannot connect to the database; max retries reached. (Failed to connect to 127.0.0.1:{closedPort}) "
            + $"Nothing listens at 127.0.0.1:{closedPort}: start PostgreSQL there, or set DB_HOST and DB_PORT (or DB_DSN) to where it listens.",
            DatabaseMistakeLines);
    }

    [Test]
    public async Task A_host_name_that_does_not_resolve_says_to_correct_DB_HOST()
    {
        // .invalid never resolves (RFC 6761, section 6.4).
        await using var api = await RunToExitAsync(new Dictionary<string, string> { ["DB_HOST"] = "gino-demo-db.invalid" }, 1);

        api.Output.Should().Contain("The host name \"gino-demo-db.invalid\" does not resolve: correct DB_HOST (or the host in DB_DSN).");
        var keyLine = api.Output.Split('\n').Single(line => line.Contains("max retries reached", StringComparison.Ordinal)).Trim();
        StartupOutput.ShouldSayOnlyWhatToDo(api.Output, keyLine, DatabaseMistakeLines);
        keyLine.Should().StartWith("Cannot connect to the database; max retries reached. (").And.EndWith(
            ") The host name \"gino-demo-db.invalid\" does not resolve: correct DB_HOST (or the host in DB_DSN).",
            "the resolver's own words vary between systems; the advice does not");
    }

    [Test]
    public async Task A_host_that_never_answers_says_which_timeout_ran_out()
    {
        // Accepts the TCP connection and never says a word: a server behind a firewall that drops packets looks alike.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var api = await RunToExitAsync(new Dictionary<string, string>
        {
            ["DB_HOST"] = "127.0.0.1",
            ["DB_PORT"] = Invariant(port),
            ["DB_CONNECT_TIMEOUT"] = "1",
        }, 1);

        var keyLine = api.Output.Split('\n').Single(line => line.Contains("max retries reached", StringComparison.Ordinal)).Trim();
        StartupOutput.ShouldSayOnlyWhatToDo(api.Output, keyLine, DatabaseMistakeLines);
        keyLine.Should().StartWith("Cannot connect to the database; max retries reached. (").And.EndWith(
            $") 127.0.0.1:{port} did not answer within the connect timeout (1 s: DB_CONNECT_TIMEOUT, or Timeout / connect_timeout in DB_DSN): check DB_HOST and DB_PORT, and that no firewall drops the connection.");
    }

    [Test]
    public async Task TLS_required_of_a_server_without_it_says_to_change_DB_SSL()
    {
        Assume.That(await TestDatabase.ScalarAsync<string>("SHOW ssl"), Is.EqualTo("off"), "the test server must not offer TLS");
        await using var api = await RunToExitAsync(Dsn(dsn => dsn.SslMode = SslMode.Require), 1);

        StartupOutput.ShouldSayOnlyWhatToDo(api.Output,
            "Cannot connect to the database; max retries reached. (SSL connection requested. No SSL enabled connection from this host is configured.) "
            + $"The server at {Server.Host}:{Server.Port} offers no TLS: set DB_SSL (or sslmode in DB_DSN) to disable or prefer, or enable ssl on the server.",
            DatabaseMistakeLines);
    }

    [TestCase("127.0.0.1", TestName = "A port another program listens on exits 3 with one line")]
    [TestCase("0.0.0.0", TestName = "Every interface while the loopback port is taken exits 3 with one line")]
    public async Task A_taken_port_exits_3_with_one_line(string host)
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        await ShouldSayThePortIsTakenAsync($"http://{host}:{port}", $"http://{host}:{port}");
    }

    [Test]
    public async Task Localhost_whose_IPv6_half_is_taken_exits_3_with_one_line()
    {
        // localhost is both 127.0.0.1 and [::1]: another program on the IPv6 one alone is enough to refuse.
        using var squatter = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            squatter.DualMode = false;
            squatter.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        }
        catch (SocketException)
        {
            Assume.That(false, "this machine has no IPv6 loopback");
        }

        squatter.Listen();
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        await ShouldSayThePortIsTakenAsync($"http://localhost:{port}", $"http://[::1]:{port}");
    }

    /// <summary>Starts the API on <paramref name="urls"/>, of which <paramref name="taken"/> is taken.</summary>
    private async Task ShouldSayThePortIsTakenAsync(string urls, string taken)
    {
        await using var api = await RunToExitAsync(TestDatabase.ApiEnvironment, 3, ["--urls", urls]);

        StartupOutput.ShouldSayOnlyWhatToDo(api.Output,
            $"Cannot listen: Failed to bind to address {taken}: address already in use. "
            + "Another program listens there (ss -ltnp names it): stop it, or choose another address with --urls or ASPNETCORE_URLS.",
            ListenMistakeLines);
    }

    [Test]
    public async Task An_address_of_another_machine_exits_3_with_one_line()
    {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
        await using var api = await RunToExitAsync(TestDatabase.ApiEnvironment, 3, ["--urls", "http://192.0.2.1:8000"]);

        StartupOutput.ShouldSayOnlyWhatToDo(api.Output,
            "Cannot listen: http://192.0.2.1:8000: Cannot assign requested address "
            + "http://192.0.2.1:8000 is not an address of this machine: listen on 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).",
            ListenMistakeLines);
    }

    [Test]
    public async Task An_https_address_without_a_certificate_exits_3_with_one_line()
    {
        await using var api = await RunToExitAsync(TestDatabase.ApiEnvironment, 3, ["--urls", $"https://127.0.0.1:{ApiProcess.FreePort()}"]);

        var keyLine = api.Output.Split('\n').Single(line => line.Contains("Cannot listen", StringComparison.Ordinal)).Trim();
        StartupOutput.ShouldSayOnlyWhatToDo(api.Output, keyLine, ListenMistakeLines);
        keyLine.Should().Contain("No server certificate was specified").And.EndWith(
            "Serve plain http:// here (TLS belongs to the proxy in front), or configure a certificate for https://127.0.0.1:"
            + keyLine.Split("https://127.0.0.1:")[^1]);
    }

    [TestCase("--urls", "http://127.0.0.1:abc", "urls: 'http://127.0.0.1:abc' is not an address such as http://127.0.0.1:8000 (set by --urls, URLS or ASPNETCORE_URLS).",
        TestName = "A port that is not a number exits 2 instead of listening on port 80 of every interface")]
    [TestCase("--urls", "localhost:8000", "urls: 'localhost:8000' is not an address such as http://127.0.0.1:8000 (set by --urls, URLS or ASPNETCORE_URLS).",
        TestName = "An address without its scheme exits 2")]
    [TestCase("--http_ports", "eighty", "http_ports: 'eighty' is not a port number from 1 to 65535.",
        TestName = "HTTP_PORTS that is not a port exits 2")]
    public async Task A_malformed_address_exits_2_naming_it(string key, string value, string keyLine)
    {
        await using var api = await RunToExitAsync(TestDatabase.ApiEnvironment, 2, [key, value]);

        // "Invalid settings; not starting:" with its header, and the one bad setting.
        StartupOutput.ShouldSayOnlyWhatToDo(api.Output, keyLine, 3);
    }

    [TestCase("ftp://127.0.0.1/healthz/live", "ftp://127.0.0.1/healthz/live: The 'ftp' scheme is not supported.",
        TestName = "healthcheck of a URL HttpClient cannot ask exits 1 with one line")]
    [TestCase("not a url", "not a url: Invalid URI: The format of the URI could not be determined.",
        TestName = "healthcheck of something that is not a URL exits 1 with one line")]
    public async Task The_healthcheck_of_a_bad_url_exits_1_with_one_line(string url, string keyLine)
    {
        await using var api = await RunToExitAsync(new Dictionary<string, string>(), 1, ["healthcheck", url]);

        StartupOutput.ShouldSayOnlyWhatToDo(api.Output, keyLine, 1);
    }
}
