using System.Globalization;
using System.Net;
using Npgsql;

namespace GinoDemo.Data.Configuration;

/// <summary>
/// What a connection URI states while it is read: the hosts and ports are kept apart until every query parameter
/// is known (libpq lets <c>host=</c> and <c>port=</c> replace the URI's own), then written as Npgsql's
/// <c>Host</c> list (<c>h1:123,h2:456</c>) and <c>Port</c>.
/// </summary>
internal sealed class UrlSettings
{
    public NpgsqlConnectionStringBuilder Connection { get; } = new();

    /// <summary>Host names, IP addresses or socket directories, percent-decoded; an empty one means the default.</summary>
    public IReadOnlyList<string> Hosts { get; set; } = [""];

    /// <summary>One port for every host, or one per host; an empty one means the default.</summary>
    public IReadOnlyList<string> Ports { get; set; } = [""];

    public string? HostAddresses { get; set; }

    public string? FallbackApplicationName { get; set; }

    /// <summary>libpq's <c>keepalives</c>: <c>false</c> switches TCP keepalives off whatever the other keepalives_* say.</summary>
    public bool? TcpKeepalives { get; set; }

    public NpgsqlConnectionStringBuilder Finish()
    {
        var hosts = HostList();
        if (Ports.Count != 1 && Ports.Count != hosts.Count)
        {
            throw new FormatException($"{Ports.Count} ports for {hosts.Count} hosts; give one port, or one per host (libpq's rule).");
        }

        var ports = Ports.Select(ParsePort).ToList();
        if (hosts.Count == 1 || ports.Count == 1)
        {
            Connection.Host = string.Join(',', hosts);
            if (ports[0] is { } port)
            {
                Connection.Port = port;
            }
        }
        else
        {
            // Npgsql reads "host:port" per entry of its list; an IPv6 address needs brackets there, and a socket
            // directory must not hold a ':' that would read as a port.
            Connection.Host = string.Join(',', hosts.Select((host, i) => ports[i] is { } port ? $"{HostWithPort(host)}:{port}" : host));
        }

        if (string.IsNullOrEmpty(Connection.ApplicationName) && FallbackApplicationName is { Length: > 0 } fallback)
        {
            Connection.ApplicationName = fallback;
        }

        if (TcpKeepalives == false)
        {
            Connection.TcpKeepAlive = false;
            Connection.Remove("TCP Keepalive Time");
            Connection.Remove("TCP Keepalive Interval");
        }

        return Connection;
    }

    private List<string> HostList()
    {
        var named = Hosts.Where(host => host.Length > 0).ToList();
        if (HostAddresses is { Length: > 0 } addresses)
        {
            if (named.Count > 0)
            {
                throw new NotSupportedException(
                    "hostaddr together with host cannot be honoured: Npgsql cannot connect to one address while checking TLS and the password file against another name; give the address as host.");
            }

            var list = addresses.Split(',');
            foreach (var address in list)
            {
                if (!IPAddress.TryParse(address, out _))
                {
                    throw new FormatException($"hostaddr '{address}' is not a numeric IP address.");
                }
            }

            return [.. list];
        }

        foreach (var host in named.Where(host => host.Contains(',', StringComparison.Ordinal)))
        {
            throw new FormatException($"the host '{host}' holds a ',', which Npgsql would read as a second host.");
        }

        // libpq's default host is a Unix socket in a directory fixed when libpq was built; Npgsql has no such default,
        // and this service's DB_HOST default is localhost: an empty host means localhost.
        return [.. Hosts.Select(host => host.Length == 0 ? "localhost" : host)];
    }

    private static string HostWithPort(string host)
    {
        if (IsSocketDirectory(host))
        {
            return host.Contains(':', StringComparison.Ordinal)
                ? throw new NotSupportedException($"the socket directory '{host}' holds a ':', which Npgsql would read as a port in a list of hosts.")
                : host;
        }

        return host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
    }

    /// <summary>libpq: a host that starts with <c>/</c> is a socket directory, one with <c>@</c> an abstract socket.</summary>
    public static bool IsSocketDirectory(string host) => host.StartsWith('/') || host.StartsWith('@');

    private static int? ParsePort(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException($"port '{text}' is not a TCP port (1 to 65535).");
    }
}
