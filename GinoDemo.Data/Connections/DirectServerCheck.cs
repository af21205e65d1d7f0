using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GinoDemo.Data.Connections;

/// <summary>
/// Proves, when it can, that a data source's connections end at PostgreSQL itself, with nothing in between that could
/// share sessions, so that <see cref="SessionSharingProbe"/> (two more logins at every start) is not needed. The proof:
/// the address and port the server accepted this session on (<c>inet_server_addr()</c>, <c>inet_server_port()</c>,
/// PostgreSQL documentation, "System Information Functions") are the ones the client connected to. A pooler or proxy
/// opens its own connection to the server, on the server's address and port, never on its own: another port on the
/// same machine, another machine, a Unix socket on either side, NAT (a Kubernetes Service) all fail the proof, and the
/// probe runs.
/// </summary>
/// <remarks>
/// One layout passes the proof with a pooler in between: a tunnel that keeps the port number (<c>ssh -L
/// 5432:127.0.0.1:6432</c>) to a pooler on the server's own machine, whose server listens on 127.0.0.1:5432 too. Then
/// the first request that meets a lost prepared statement answers 503 and makes the instance unready with the line
/// naming <c>DB_SERVER_PREPARED_STATEMENTS</c> (<c>PreparedStatementAlarm</c>), as when the probe misses sharing.
/// </remarks>
public static class DirectServerCheck
{
    /// <param name="dataSource">The API's pool (one connection is borrowed, usually the one the start-up wait opened).</param>
    /// <param name="cancellationToken">Ends the check.</param>
    /// <returns>True when the connection provably reaches PostgreSQL directly; false when that cannot be proven.</returns>
    /// <exception cref="NpgsqlException">The server cannot be reached.</exception>
    public static async Task<bool> IsDirectAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        // One host only: with several (failover, load balancing) another connection of the pool may reach another one.
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        if (settings.Host is not { Length: > 0 } host || host.Contains(',', StringComparison.Ordinal) || host.StartsWith('/'))
        {
            return false;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT inet_server_addr(), inet_server_port()", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0) || reader.IsDBNull(1) || reader.GetInt32(1) != connection.Port)
        {
            return false;
        }

        var serverAddress = Plain(reader.GetFieldValue<IPAddress>(0));
        if (IPAddress.TryParse(host, out var literal))
        {
            return Plain(literal).Equals(serverAddress);
        }

        // Every address of the name must be the server's (which one this socket used is not known from outside), or
        // all of them loopback addresses of this machine, as localhost's 127.0.0.1 and ::1 are.
        using var lookupTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lookupTimeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(settings.Timeout, 1)));
        try
        {
            var addresses = (await Dns.GetHostAddressesAsync(host, lookupTimeout.Token)).Select(Plain).ToList();
            return addresses.Count > 0
                && (addresses.All(serverAddress.Equals) || (IPAddress.IsLoopback(serverAddress) && addresses.All(IPAddress.IsLoopback)));
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The name resolved a moment ago for the connection itself; without it now (or in time), nothing is proven.
            return false;
        }
    }

    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
