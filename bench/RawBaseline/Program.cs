// The benchmark's raw baseline: what ASP.NET Core + Npgsql do with no EF Core and no MVC. Same routes, same SQL
// (the statements EF Core sends for the product's queries), same JSON shapes and status codes as GinoDemo.Api, so
// that the benchmark's API/raw ratio is the price of the product's framework layers. Not part of the product.
using System.Text.Json;
using Npgsql;

var builder = WebApplication.CreateSlimBuilder(args);
// As the product's appsettings.json: no log line per request (ASP.NET Core's request logs are Information).
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, RawJson.Default));
builder.Services.AddProblemDetails();

// The product's DB_* keys (from the environment here), its pool sizes and its prepared statements.
string Setting(string key, string fallback) => Environment.GetEnvironmentVariable(key) is { Length: > 0 } value ? value : fallback;
var connection = new NpgsqlConnectionStringBuilder
{
    Host = Setting("DB_HOST", "localhost"),
    Port = int.Parse(Setting("DB_PORT", "5432"), System.Globalization.CultureInfo.InvariantCulture),
    Username = Setting("DB_USER", "postgres"),
    Password = Setting("DB_PASSWORD", ""),
    Database = Setting("DB_DATABASE", "gino_demo"),
    MinPoolSize = int.Parse(Setting("DB_POOL_MIN_SIZE", "1"), System.Globalization.CultureInfo.InvariantCulture),
    MaxPoolSize = int.Parse(Setting("DB_POOL_MAX_SIZE", "16"), System.Globalization.CultureInfo.InvariantCulture),
    // As the product: statements used twice on a connection are prepared.
    MaxAutoPrepare = 32,
};
await using var dataSource = NpgsqlDataSource.Create(connection.ConnectionString);

var app = builder.Build();
app.MapGet("/", () => TypedResults.Ok(new MessageResponse("Hello, world!")));

app.MapPost("/users", async (HttpContext http) =>
{
    if (!http.Request.HasJsonContentType())
    {
        return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType);
    }

    CreateUserRequest? request;
    try
    {
        request = await JsonSerializer.DeserializeAsync(http.Request.Body, RawJson.Default.CreateUserRequest, http.RequestAborted);
    }
    catch (JsonException e)
    {
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: e.Message);
    }

    if (request?.Name is not { } name || name.Contains('\0', StringComparison.Ordinal))
    {
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "name: a string without U+0000 is required");
    }

    // The product's statements and answers: the row version (xmin) comes back as the ETag.
    await using var command = dataSource.CreateCommand("INSERT INTO users (nickname)\nVALUES (@p0)\nRETURNING id, xmin;");
    command.Parameters.AddWithValue("p0", name);
    await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
    await reader.ReadAsync(http.RequestAborted);
    var id = reader.GetInt64(0);
    http.Response.Headers.ETag = $"\"{reader.GetFieldValue<uint>(1)}\"";
    return TypedResults.Created($"/users/{id}", new UserResponse(id, name));
});

app.MapGet("/users/{uid:long}", async (long uid, HttpContext http, CancellationToken cancellationToken) =>
{
    await using var command = dataSource.CreateCommand("SELECT u.id, u.nickname, u.xmin\nFROM users AS u\nWHERE u.id = @id\nLIMIT 2");
    command.Parameters.AddWithValue("id", uid);
    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
    if (!await reader.ReadAsync(cancellationToken))
    {
        return Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"User {uid} is not found");
    }

    http.Response.Headers.ETag = $"\"{reader.GetFieldValue<uint>(2)}\"";
    return Results.Ok(new UserResponse(reader.GetInt64(0), reader.GetString(1)));
});

app.MapDelete("/users/{uid:long}", async (long uid, CancellationToken cancellationToken) =>
{
    await using var command = dataSource.CreateCommand("DELETE FROM users AS u\nWHERE u.id = @uid");
    command.Parameters.AddWithValue("uid", uid);
    return await command.ExecuteNonQueryAsync(cancellationToken) == 0
        ? Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"User {uid} is not found")
        : Results.Ok(new DeletedUserResponse(uid));
});

await app.RunAsync();
