using GinoDemo.Data;
using Microsoft.EntityFrameworkCore;

namespace GinoDemo.Api.Users;

/// <summary>
/// How users are read and added. The hot read is compiled once. Uncompiled, EF Core walks and hashes the LINQ expression on every request, which
/// was half the CPU of a GET (see docs/performance.md).
/// </summary>
internal static class UserQueries
{
    public static readonly Func<GinoDbContext, long, CancellationToken, Task<VersionedUser?>> FindAsync =
        EF.CompileAsyncQuery((GinoDbContext db, long id, CancellationToken cancellationToken) => db.Users.AsNoTracking()
            .Where(user => user.Id == id)
            .Select(user => (VersionedUser?)new VersionedUser(user.Id, user.Nickname, user.Version))
            .SingleOrDefault());

    /// <summary>Stores a new user; the database fills in its id and version.</summary>
    public static async Task<User> AddAsync(GinoDbContext db, string name, CancellationToken cancellationToken)
    {
        var user = new User { Nickname = name };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }
}

/// <summary>A user with its row version, the source of its ETag.</summary>
internal sealed record VersionedUser(long Id, string Nickname, uint Version);
