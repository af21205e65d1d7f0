using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GinoDemo.Data.Configuration;

/// <summary>
/// libpq's connection URIs (PostgreSQL 15 documentation, section 34.1.1.2 "Connection URIs"), which the tutorial's
/// <c>DB_DSN</c> uses and Npgsql does not read, converted to and from Npgsql's connection string:
/// <c>postgresql://[user[:password]@][host][:port][,...][/dbname][?param=value&amp;...]</c>, with
/// <c>postgres://</c> too. Every part is percent-decoded; a host is a name, an IP address (<c>[::1]</c> for IPv6) or
/// a percent-encoded socket directory (<c>%2Fvar%2Frun%2Fpostgresql</c>); several <c>host:port</c> pairs are
/// separated by commas. The query takes libpq's parameter key words (<see cref="LibpqParameters"/>: each mapped to
/// its Npgsql setting or refused by name) and, beyond libpq, any Npgsql keyword (<c>Max%20Auto%20Prepare=0</c>).
/// </summary>
public static class PostgresUrl
{
    private static readonly string[] Schemes = ["postgresql://", "postgres://"];

    public static bool IsUrl(string dsn) => Schemes.Any(scheme => dsn.StartsWith(scheme, StringComparison.OrdinalIgnoreCase));

    /// <exception cref="FormatException">The URL does not follow libpq's grammar, or a value is malformed; the message names the part, never the password.</exception>
    /// <exception cref="NotSupportedException">A parameter Npgsql cannot honour, or an unknown one; the message names it.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = Schemes.First(scheme => url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase));
        var rest = url[scheme.Length..];
        // libpq ends the user part at the first '/' or '?' too, so an '@' after one means a user name or password
        // with an unencoded '/' or '?'. Refused without quoting anything: each part could be a piece of the password.
        if (rest.IndexOfAny(['/', '?']) is >= 0 and var end && rest.IndexOf('@', end) >= 0)
        {
            throw new FormatException(
                "an '@' follows a '/' or '?': percent-encode '/', '?', '#', '&' and '@' in the user name, password, database and parameters (%2F, %3F, %23, %26, %40).");
        }

        var (beforeQuery, query) = SplitOnce(rest, '?');
        var (authority, path) = SplitOnce(beforeQuery, '/');

        var settings = new UrlSettings();
        // A host never holds '@', so the last one ends the user part: an unencoded '@' in a password still works.
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var (user, password) = SplitOnce(authority[..at], ':');
            if (user.Length > 0)
            {
                settings.Connection.Username = Decode(user, "user name");
            }

            if (password is { Length: > 0 })
            {
                settings.Connection.Password = Decode(password, "password");
            }
        }

        ReadHosts(authority[(at + 1)..], settings);
        if (path is { Length: > 0 })
        {
            settings.Connection.Database = Decode(path, "database name");
        }

        foreach (var pair in (query ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = SplitOnce(pair, '=');
            if (value is null || value.Contains('=', StringComparison.Ordinal))
            {
                throw new FormatException($"the query parameter '{Decode(key, "query")}' needs exactly one '=' (percent-encode others as %3D).");
            }

            Apply(settings, Decode(key, "query"), Decode(value, "query"));
        }

        return settings.Finish();
    }

    /// <summary>
    /// The URL form with the password replaced by <c>***</c>, as gino-starlette logs it: every host with its port
    /// (a socket directory percent-encoded, IPv6 in brackets) and the database.
    /// </summary>
    public static string Display(string driver, NpgsqlConnectionStringBuilder connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var user = Uri.EscapeDataString(connection.Username ?? Environment.UserName);
        var secret = string.IsNullOrEmpty(connection.Password) ? "" : ":***";
        var hosts = (connection.Host ?? "localhost").Split(',').Select(host => DisplayHost(host.Trim(), connection.Port));
        var database = Uri.EscapeDataString(connection.Database ?? connection.Username ?? Environment.UserName);
        return $"{driver}://{user}{secret}@{string.Join(',', hosts)}/{database}";
    }

    /// <summary>libpq's sslmode names, and booleans as in the tutorial's <c>DB_SSL</c>.</summary>
    public static bool TryParseSslMode(string value, out SslMode mode)
    {
        SslMode? parsed = value.ToUpperInvariant() switch
        {
            "DISABLE" or "FALSE" or "0" => SslMode.Disable,
            "ALLOW" => SslMode.Allow,
            "PREFER" => SslMode.Prefer,
            "REQUIRE" or "TRUE" or "1" => SslMode.Require,
            "VERIFY-CA" => SslMode.VerifyCA,
            "VERIFY-FULL" => SslMode.VerifyFull,
            _ => null,
        };
        mode = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }

    /// <summary><c>host[:port][,host[:port]...]</c>, where a host may be empty (the default) or <c>[IPv6]</c>.</summary>
    private static void ReadHosts(string spec, UrlSettings settings)
    {
        var hosts = new List<string>();
        var ports = new List<string>();
        foreach (var entry in spec.Split(','))
        {
            string host;
            string? port;
            if (entry.StartsWith('['))
            {
                var close = entry.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new FormatException($"the IPv6 address '{entry}' has no closing ']'.");
                }

                host = entry[1..close];
                var after = entry[(close + 1)..];
                port = after.Length == 0 ? null
                    : after.StartsWith(':') ? after[1..]
                    : throw new FormatException($"'{after}' follows the IPv6 address '{host}'; only ':port' may.");
            }
            else
            {
                (host, port) = SplitOnce(entry, ':');
                host = Decode(host, "host");
            }

            hosts.Add(host);
            ports.Add(port ?? "");
        }

        settings.Hosts = hosts;
        // One port per host as written; Finish checks them, and a query's port= replaces them all.
        settings.Ports = ports.Distinct().Count() == 1 ? [ports[0]] : ports;
    }

    private static void Apply(UrlSettings settings, string key, string value)
    {
        if (LibpqParameters.TryApply(settings, key, value))
        {
            return;
        }

        // Npgsql's own names for what the URL's authority gives: read as libpq's, so host= and Host= mean the same.
        var isHost = key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase);
        if (isHost || key.Equals("Port", StringComparison.OrdinalIgnoreCase))
        {
            LibpqParameters.TryApply(settings, isHost ? "host" : "port", value);
            return;
        }

        // Beyond libpq: an Npgsql keyword, so that a URL can say what only Npgsql has (Max Auto Prepare, Keepalive...).
        if (!settings.Connection.ContainsKey(key))
        {
            throw new NotSupportedException(
                $"unknown parameter '{key}': neither a libpq parameter key word (PostgreSQL 15, section 34.1.2) nor an Npgsql connection string keyword.");
        }

        try
        {
            settings.Connection[key] = value;
        }
        catch (ArgumentException)
        {
            // The value is left out: the keyword may be Npgsql's Password or SSL Password.
            throw new FormatException($"Npgsql's '{key}' does not take the value given.");
        }
    }

    private static string DisplayHost(string host, int port)
    {
        if (UrlSettings.IsSocketDirectory(host))
        {
            // In a list, Npgsql's entry is "directory:port" (a directory holding ':' is refused there).
            var colon = host.LastIndexOf(':');
            var (directory, ownPort) = colon > 0 && host.Length > colon + 1 && host[(colon + 1)..].All(char.IsAsciiDigit)
                ? (host[..colon], host[(colon + 1)..])
                : (host, port.ToString(CultureInfo.InvariantCulture));
            return $"{Uri.EscapeDataString(directory)}:{ownPort}";
        }

        if (host.StartsWith('[') || (host.Contains(':', StringComparison.Ordinal) && !IsIPv6(host)))
        {
            return host; // already host:port or [IPv6]:port, as a list entry of Npgsql's
        }

        var shown = IsIPv6(host) ? $"[{host}]" : host;
        return $"{shown}:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static bool IsIPv6(string host) => IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>
    /// Percent-decoding as libpq does it: a '%' must start two hex digits, and %00 is refused (34.1.1.2 asks for
    /// percent-encoding of every character with a special meaning in a URI part).
    /// </summary>
    private static string Decode(string text, string part)
    {
        for (var i = text.IndexOf('%', StringComparison.Ordinal); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
            {
                throw new FormatException($"the {part} holds a '%' that does not start two hex digits (write a '%' as %25).");
            }

            if (text[i + 1] == '0' && text[i + 2] == '0')
            {
                throw new FormatException($"the {part} holds %00, which libpq refuses.");
            }
        }

        return Uri.UnescapeDataString(text);
    }

    private static (string Head, string? Tail) SplitOnce(string text, char separator)
    {
        var index = text.IndexOf(separator, StringComparison.Ordinal);
        return index < 0 ? (text, null) : (text[..index], text[(index + 1)..]);
    }
}
