using System.Net.Sockets;
using System.Security.Authentication;
using GinoDemo.Data.Configuration;
using Npgsql;

namespace GinoDemo.Data.Connections;

/// <summary>
/// What a person does about a connection that could not be opened at startup: one sentence naming the setting to
/// change, for the mistakes people make when they first point the service at a database. SQLSTATEs are PostgreSQL's
/// (documentation, Appendix A "PostgreSQL Error Codes"); socket errors are what Npgsql reports underneath its own
/// "Failed to connect to host:port".
/// </summary>
public static class ConnectionFailureAdvice
{
    /// <summary>The advice for <paramref name="failure"/>, a sentence ending with a full stop; never null.</summary>
    public static string For(Exception failure, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(options);
        var target = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        var address = $"{target.Host}:{target.Port}";
        if (Find<PostgresException>(failure) is { } refused)
        {
            return refused.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword =>
                    $"Set DB_PASSWORD (or the password in DB_DSN) to the password of the PostgreSQL user \"{target.Username}\".",
                PostgresErrorCodes.InvalidAuthorizationSpecification =>
                    $"Check DB_USER (\"{target.Username}\"), and that the server's pg_hba.conf lets it connect from this machine.",
                PostgresErrorCodes.InvalidCatalogName =>
                    "Create it with the migrate step (scripts/run.sh runs it; or: dotnet GinoDemo.Api.dll migrate), or set DB_DATABASE to a database that exists.",
                PostgresErrorCodes.CannotConnectNow =>
                    "The server is starting or stopping: raise DB_RETRY_LIMIT to wait for it.",
                PostgresErrorCodes.TooManyConnections =>
                    "The server has no connection slot left: lower DB_POOL_MAX_SIZE (here and in other clients), or raise the server's max_connections.",
                _ => Otherwise,
            };
        }

        if (Find<AuthenticationException>(failure) is not null)
        {
            return "The server's TLS certificate was not accepted: with DB_SSL=verify-ca or verify-full give its CA (Root Certificate in DB_DSN), or use DB_SSL=require.";
        }

        if (failure is NpgsqlException && failure.Message.Contains("SSL", StringComparison.Ordinal))
        {
            return $"The server at {address} offers no TLS: set DB_SSL (or sslmode in DB_DSN) to disable or prefer, or enable ssl on the server.";
        }

        return Find<SocketException>(failure)?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused =>
                $"Nothing listens at {address}: start PostgreSQL there, or set DB_HOST and DB_PORT (or DB_DSN) to where it listens.",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                $"The host name \"{target.Host}\" does not resolve: correct DB_HOST (or the host in DB_DSN).",
            SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown =>
                Unanswered(address, options),
            _ when Find<TimeoutException>(failure) is not null => Unanswered(address, options),
            _ => Otherwise,
        };
    }

    private const string Otherwise = "Check the DB_* settings (or DB_DSN), and that the server accepts connections from this machine.";

    private static string Unanswered(string address, DatabaseOptions options) =>
        $"{address} did not answer within the connect timeout ({options.ConnectTimeoutSeconds} s: DB_CONNECT_TIMEOUT, or Timeout / connect_timeout in DB_DSN): check DB_HOST and DB_PORT, and that no firewall drops the connection.";

    private static T? Find<T>(Exception failure)
        where T : Exception
    {
        for (Exception? current = failure; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
