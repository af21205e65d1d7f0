using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GinoDemo.Tests.Infrastructure;

/// <summary>
/// An OpenID Connect issuer on a loopback Kestrel port: its discovery document (OpenID Connect Discovery 1.0,
/// section 4) and JWKS (RFC 7517) serve RSA keys made here, so the API's JWT bearer handler fetches and refreshes
/// them for real. Tokens are made with IdentityModel's own <see cref="JsonWebTokenHandler"/>.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Audience = "api://gino-demo-tests";

    private static readonly string[] Code = ["code"];
    private static readonly string[] PublicSubjects = ["public"];
    private static readonly string[] Rs256 = ["RS256"];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RsaSecurityKey> _published = new();

    private TestIssuer(WebApplication app, Uri address)
    {
        _app = app;
        Authority = address.ToString().TrimEnd('/') + "/tenant";
        SigningKey = NewKey();
        Publish(SigningKey);
    }

    /// <summary>The issuer's URL: the <c>iss</c> of its tokens and the base of its discovery document.</summary>
    public string Authority { get; }

    /// <summary>The key tokens are signed with unless a test says otherwise: published.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>How many times the JWKS was fetched.</summary>
    public int KeySetRequests => _keySetRequests;

    private int _keySetRequests;

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        TestIssuer? issuer = null;
        app.MapGet("/tenant/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!.Authority,
            ["jwks_uri"] = issuer.Authority + "/keys",
            ["authorization_endpoint"] = issuer.Authority + "/authorize",
            ["token_endpoint"] = issuer.Authority + "/token",
            ["response_types_supported"] = Code,
            ["subject_types_supported"] = PublicSubjects,
            ["id_token_signing_alg_values_supported"] = Rs256,
        }));
        app.MapGet("/tenant/keys", () =>
        {
            Interlocked.Increment(ref issuer!._keySetRequests);
            return Results.Json(new { keys = issuer._published.Values.Select(Jwk).ToArray() });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        issuer = new TestIssuer(app, new Uri(address));
        return issuer;
    }

    /// <summary>The API's settings for this issuer (<c>Auth:*</c>), plus the test's own.</summary>
    public Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Authority"] = Authority,
            ["Auth:Audience"] = Audience,
            ["Auth:ReadScope"] = "users.read",
            ["Auth:WriteScope"] = "users.write",
            ["Auth:ClockSkew"] = "00:00:30",
            // The issuer is on loopback, over http: a setting, as for a development issuer.
            ["Auth:RequireHttpsMetadata"] = "false",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    public void Publish(RsaSecurityKey key) => _published[key.KeyId] = key;

    /// <summary>
    /// A token as this issuer makes them, valid for an hour, with <paramref name="scope"/>; <paramref name="change"/>
    /// alters it before signing; <paramref name="signing"/> replaces the signing credentials (null in it: unsigned).
    /// </summary>
    public string Token(string subject = "alice", string scope = "users.read users.write", Action<SecurityTokenDescriptor>? change = null,
        SigningCredentials? signing = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["scope"] = scope },
            SigningCredentials = signing ?? new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static Dictionary<string, string> Jwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }
}
