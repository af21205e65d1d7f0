using System.Globalization;
using Npgsql;

namespace GinoDemo.Data.Configuration;

/// <summary>
/// libpq-style URLs (<c>postgresql://user:password@host:port/db?sslmode=require</c>), which the tutorial's
/// <c>DB_DSN</c> uses and Npgsql does not read, converted to and from Npgsql's connection string.
/// </summary>
public static class PostgresUrl
{
    public static bool IsUrl(string dsn) =>
        dsn.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || dsn.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    public static NpgsqlConnectionStringBuilder Parse(string url)
    {
        var uri = new Uri(url, UriKind.Absolute);
        var builder = new NpgsqlConnectionStringBuilder();
        if (uri.Host.Length > 0)
        {
            builder.Host = uri.Host.Trim('[', ']');
        }

        if (!uri.IsDefaultPort)
        {
            builder.Port = uri.Port > 0 ? uri.Port : throw new FormatException($"port {uri.Port} is not a TCP port.");
        }

        if (uri.UserInfo.Length > 0)
        {
            var (user, password) = SplitOnce(uri.UserInfo, ':');
            builder.Username = Uri.UnescapeDataString(user);
            if (password is not null)
            {
                builder.Password = Uri.UnescapeDataString(password);
            }
        }

        builder.Host ??= "localhost";

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = SplitOnce(pair, '=');
            ApplyQueryOption(builder, Uri.UnescapeDataString(key), Uri.UnescapeDataString(value ?? ""));
        }

        return builder;
    }

    /// <summary>The URL form with the password replaced by <c>***</c>, as gino-starlette logs it.</summary>
    public static string Display(string driver, NpgsqlConnectionStringBuilder connection)
    {
        var user = Uri.EscapeDataString(connection.Username ?? Environment.UserName);
        var secret = string.IsNullOrEmpty(connection.Password) ? "" : ":***";
        var host = connection.Host ?? "localhost";
        var database = Uri.EscapeDataString(connection.Database ?? connection.Username ?? Environment.UserName);
        return $"{driver}://{user}{secret}@{host}:{connection.Port.ToString(CultureInfo.InvariantCulture)}/{database}";
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

    private static void ApplyQueryOption(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "sslmode":
                builder.SslMode = TryParseSslMode(value, out var mode) ? mode : throw new FormatException($"sslmode '{value}' is not a libpq SSL mode.");
                break;
            case "connect_timeout":
                builder.Timeout = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "options":
                builder.Options = value;
                break;
            default:
                // Anything else must be an Npgsql keyword ("Command Timeout", "Include Error Detail", ...).
                builder[key] = value;
                break;
        }
    }

    private static (string Head, string? Tail) SplitOnce(string text, char separator)
    {
        var index = text.IndexOf(separator, StringComparison.Ordinal);
        return index < 0 ? (text, null) : (text[..index], text[(index + 1)..]);
    }
}
