using System.Collections.Frozen;
using System.Globalization;
using Npgsql;

namespace GinoDemo.Data.Configuration;

/// <summary>
/// Every parameter key word of libpq (PostgreSQL 15 documentation, section 34.1.2 "Parameter Key Words"), as a
/// connection URI's query may carry it (section 34.1.1.2 "Connection URIs"): one entry per key word, which either
/// sets the Npgsql setting that does the same (translating the value where the forms differ) or refuses the
/// parameter, naming it and why Npgsql cannot honour it. Refusing is the point: a DSN that asks for a check Npgsql
/// would silently skip (a CRL, a peer user) must not start as if it had been granted.
/// </summary>
internal static class LibpqParameters
{
    private static readonly FrozenDictionary<string, Action<UrlSettings, string>> Table = new Dictionary<string, Action<UrlSettings, string>>
    {
        // A comma-separated list of host names, IP addresses or socket directories; replaces the URI's hosts.
        ["host"] = (url, value) => url.Hosts = value.Split(','),
        // Numeric addresses that skip the name lookup: honoured when no host names the machine as well.
        ["hostaddr"] = (url, value) => url.HostAddresses = value,
        // One port for every host, or one per host.
        ["port"] = (url, value) => url.Ports = value.Split(','),
        ["dbname"] = (url, value) => url.Connection.Database = value,
        ["user"] = (url, value) => url.Connection.Username = value,
        ["password"] = (url, value) => url.Connection.Password = value,
        ["passfile"] = (url, value) => url.Connection.Passfile = value,
        ["channel_binding"] = (url, value) => url.Connection.ChannelBinding =
            OneOf(value, ("disable", ChannelBinding.Disable), ("prefer", ChannelBinding.Prefer), ("require", ChannelBinding.Require)),
        // Seconds; zero or negative waits indefinitely (Npgsql's 0), and 1 means 2. Npgsql's Timeout also bounds
        // the wait for a pooled connection, and allows at most 1024 s.
        ["connect_timeout"] = (url, value) => url.Connection.Timeout = Integer(value) switch
        {
            <= 0 => 0,
            1 => 2,
            > 1024 => throw new NotSupportedException("Npgsql's Timeout allows at most 1024 s."),
            var seconds => seconds,
        },
        // Npgsql reads and writes text as UTF-8 (its Encoding setting): another client encoding would garble text.
        ["client_encoding"] = (url, value) => url.Connection.ClientEncoding = value.ToUpperInvariant() is "UTF8" or "UTF-8" or "UNICODE"
            ? "UTF8"
            : throw new NotSupportedException("Npgsql exchanges text as UTF8 only."),
        ["options"] = (url, value) => url.Connection.Options = value,
        ["application_name"] = (url, value) => url.Connection.ApplicationName = value,
        ["fallback_application_name"] = (url, value) => url.FallbackApplicationName = value,
        // TCP keepalives (libpq's are on by default, Npgsql's off unless asked for); 0 also voids keepalives_idle/_interval.
        ["keepalives"] = (url, value) => url.Connection.TcpKeepAlive = (url.TcpKeepalives = Flag(value)).Value,
        ["keepalives_idle"] = (url, value) => url.Connection.TcpKeepAliveTime = NonNegative(value),
        ["keepalives_interval"] = (url, value) => url.Connection.TcpKeepAliveInterval = NonNegative(value),
        ["keepalives_count"] = Refused("Npgsql has no setting for the number of TCP keepalive probes (the operating system's applies)."),
        ["tcp_user_timeout"] = Refused("Npgsql has no setting for TCP_USER_TIMEOUT."),
        ["replication"] = Refused("a replication connection cannot run the API's queries."),
        ["gssencmode"] = (url, value) => url.Connection.GssEncryptionMode =
            OneOf(value, ("disable", GssEncryptionMode.Disable), ("prefer", GssEncryptionMode.Prefer), ("require", GssEncryptionMode.Require)),
        ["sslmode"] = (url, value) => url.Connection.SslMode = OneOf(value, ("disable", SslMode.Disable), ("allow", SslMode.Allow),
            ("prefer", SslMode.Prefer), ("require", SslMode.Require), ("verify-ca", SslMode.VerifyCA), ("verify-full", SslMode.VerifyFull)),
        // Deprecated: 1 is sslmode=require, 0 is prefer.
        ["requiressl"] = (url, value) => url.Connection.SslMode = Flag(value) ? SslMode.Require : SslMode.Prefer,
        // 34.1.1.2: "for improved compatibility with JDBC connection URIs, instances of parameter ssl=true are
        // translated into sslmode=require".
        ["ssl"] = (url, value) => url.Connection.SslMode = OneOf(value, ("true", SslMode.Require)),
        // TLS compression is off in every current TLS library (CRIME), and Npgsql never asks for it.
        ["sslcompression"] = Only("0", "Npgsql never compresses TLS."),
        ["sslcert"] = (url, value) => url.Connection.SslCertificate = value,
        ["sslkey"] = (url, value) => url.Connection.SslKey = value,
        ["sslpassword"] = (url, value) => url.Connection.SslPassword = value,
        ["sslrootcert"] = (url, value) => url.Connection.RootCertificate = value,
        ["sslcrl"] = Refused("Npgsql cannot read a certificate revocation list file (its Check Certificate Revocation asks the issuer online instead)."),
        ["sslcrldir"] = Refused("Npgsql cannot read a certificate revocation list directory (its Check Certificate Revocation asks the issuer online instead)."),
        // .NET's TLS always sends the server name (SNI), as libpq's default of 1 does.
        ["sslsni"] = Only("1", ".NET's TLS always sends the server name."),
        ["requirepeer"] = Refused("Npgsql cannot check the operating-system user of the server at the other end of a Unix socket."),
        ["ssl_min_protocol_version"] = Refused("Npgsql leaves the TLS versions to the operating system's TLS settings."),
        ["ssl_max_protocol_version"] = Refused("Npgsql leaves the TLS versions to the operating system's TLS settings."),
        ["krbsrvname"] = (url, value) => url.Connection.KerberosServiceName = value,
        // Windows only in libpq: gssapi or sspi. .NET's Negotiate uses GSSAPI on Unix and SSPI on Windows.
        ["gsslib"] = Only(OperatingSystem.IsWindows() ? "sspi" : "gssapi", "Npgsql uses the system's own (.NET's Negotiate)."),
        ["service"] = Refused("Npgsql does not read pg_service.conf; write the service's settings into DB_DSN."),
        // Npgsql names the six values of PostgreSQL 15 the same way (and refuses all but any with a single host).
        ["target_session_attrs"] = (url, value) => url.Connection.TargetSessionAttributes =
            OneOf(value, ("any", value), ("read-write", value), ("read-only", value), ("primary", value), ("standby", value), ("prefer-standby", value)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Applies <paramref name="keyword"/> if it is one of libpq's; <c>false</c> when it is not.</summary>
    /// <exception cref="FormatException">A value libpq would not accept; the message names the parameter, and its value unless secret.</exception>
    /// <exception cref="NotSupportedException">A parameter Npgsql cannot honour; the message names it and says why.</exception>
    public static bool TryApply(UrlSettings url, string keyword, string value)
    {
        if (!Table.TryGetValue(keyword, out var apply))
        {
            return false;
        }

        var shown = keyword is "password" or "sslpassword" ? "" : $"={value}";
        try
        {
            apply(url, value);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{keyword}{shown}: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException($"{keyword}{shown} cannot be honoured: {e.Message}", e);
        }

        return true;
    }

    private static Action<UrlSettings, string> Refused(string why) => (_, _) => throw new NotSupportedException(why);

    /// <summary>A parameter whose only honourable value is what Npgsql does anyway.</summary>
    private static Action<UrlSettings, string> Only(string accepted, string why) =>
        (_, value) =>
        {
            if (value != accepted)
            {
                throw new NotSupportedException(why);
            }
        };

    private static T OneOf<T>(string value, params (string Name, T Value)[] choices)
    {
        foreach (var (name, result) in choices)
        {
            if (name == value)
            {
                return result;
            }
        }

        throw new FormatException($"not one of {string.Join(", ", choices.Select(choice => choice.Name))}.");
    }

    private static bool Flag(string value) => value switch
    {
        "1" => true,
        "0" => false,
        _ => throw new FormatException("not 0 or 1."),
    };

    private static int Integer(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException("not a whole number of seconds.");

    private static int NonNegative(string value) =>
        Integer(value) is var seconds and >= 0 ? seconds : throw new FormatException("must not be negative.");
}
