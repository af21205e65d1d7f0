using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GinoDemo.Api.ConditionalRequests;
using GinoDemo.Api.Users;
using GinoDemo.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GinoDemo.Api.Idempotency;

/// <summary>
/// <c>POST /users</c> with an <c>Idempotency-Key</c>. One transaction claims the key (an INSERT that does nothing on
/// conflict), creates the user and stores the answer in the key's row. A second request with the same key, on any
/// replica, finds the key's row: while the first is still running, PostgreSQL makes its INSERT wait on the unique
/// index until the first commits (then it reads the stored answer) or rolls back (then it claims the key itself).
/// </summary>
public sealed class IdempotentUserCreator(UsersDbContext db, IOptions<IdempotencyOptions> options, IOptions<JsonOptions> json)
{
    /// <returns>The answer to give, or null when the key was used with another request (422).</returns>
    public Task<StoredResponse?> CreateAsync(string key, string name, CancellationToken cancellationToken)
    {
        var hash = Fingerprint(name);
        var lifetime = options.Value.KeyLifetime;
        // A transaction of our own must go through the execution strategy, which then retries it as a whole.
        return db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            // An expired key is free again: its old answer no longer counts.
            await db.Database.ExecuteSqlAsync(
                $"DELETE FROM idempotency_keys WHERE key = {key} AND created_at < now() - {lifetime}", token);
            var claimed = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO idempotency_keys (key, request_hash) VALUES ({key}, {hash}) ON CONFLICT (key) DO NOTHING", token);
            if (claimed == 0)
            {
                // Committed by another request (the INSERT waited for it); nothing to write here.
                var stored = await db.IdempotencyKeys.AsNoTracking().SingleAsync(row => row.Key == key, token);
                await transaction.CommitAsync(token);
                return stored.RequestHash == hash
                    ? new StoredResponse(stored.Status!.Value, stored.Location, stored.ETag, stored.Body!)
                    : null;
            }

            var user = await UserQueries.AddAsync(db, name, token);
            var answer = new StoredResponse(StatusCodes.Status201Created, $"/users/{user.Id}", EntityTags.For(user.Version),
                JsonSerializer.Serialize(UserResponse.From(user), json.Value.JsonSerializerOptions));
            await db.IdempotencyKeys.Where(row => row.Key == key).ExecuteUpdateAsync(row => row
                .SetProperty(stored => stored.Status, answer.Status)
                .SetProperty(stored => stored.Location, answer.Location)
                .SetProperty(stored => stored.ETag, answer.ETag)
                .SetProperty(stored => stored.Body, answer.Body), token);
            await transaction.CommitAsync(token);
            return answer;
        }, cancellationToken);
    }

    /// <summary>What makes two requests "the same": the operation and the validated body, not its spacing.</summary>
    private static string Fingerprint(string name) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("POST /users\n" + JsonSerializer.Serialize(new { name }))));
}
