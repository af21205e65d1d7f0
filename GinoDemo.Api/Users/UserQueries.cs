using GinoDemo.Api.ConditionalRequests;
using GinoDemo.Data;
using Microsoft.EntityFrameworkCore;

namespace GinoDemo.Api.Users;

/// <summary>
/// Every statement of the users feature. The reads are compiled once: uncompiled, EF Core walks and hashes the LINQ
/// expression on every request, which was half the CPU of a GET (see docs/performance.md).
/// </summary>
internal static class UserQueries
{
    public static readonly Func<UsersDbContext, long, CancellationToken, Task<VersionedUser?>> FindAsync = CompileFind();

    /// <summary>
    /// The same lookup compiled once more for the standby's contexts (DB_READ_DSN): a compiled query runs only on the EF
    /// model it was compiled for, and the standby's contexts have their own (another data source, another EF service provider).
    /// </summary>
    public static readonly Func<UsersDbContext, long, CancellationToken, Task<VersionedUser?>> FindOnStandbyAsync = CompileFind();

    /// <summary>
    /// A page of users with ids above <paramref name="after"/>, by id ascending: <paramref name="limit"/> + 1 rows,
    /// so that whether the extra one exists says if there is a next page, without counting the table.
    /// <paramref name="onStandby"/> says whether <paramref name="db"/> is one of the standby's contexts, which need their
    /// own compiled query (see <see cref="FindOnStandbyAsync"/>).
    /// </summary>
    public static Task<List<UserResponse>> ListPageAsync(UsersDbContext db, bool onStandby, int limit, long? after, CancellationToken cancellationToken) =>
        (onStandby ? ListPageOnStandby : ListPage)(db, limit, after).ToListAsync(cancellationToken).AsTask();

    private static readonly Func<UsersDbContext, int, long?, IAsyncEnumerable<UserResponse>> ListPage = CompileListPage();

    private static readonly Func<UsersDbContext, int, long?, IAsyncEnumerable<UserResponse>> ListPageOnStandby = CompileListPage();

    private static Func<UsersDbContext, int, long?, IAsyncEnumerable<UserResponse>> CompileListPage() =>
        EF.CompileAsyncQuery((UsersDbContext db, int limit, long? after) => db.Users.AsNoTracking()
            .Where(user => after == null || user.Id > after)
            .OrderBy(user => user.Id)
            .Take(limit + 1)
            .Select(user => new UserResponse(user.Id, user.Nickname)));

    /// <summary>
    /// Stores a new user; the database fills in its id and version. The statement SaveChanges would send (an INSERT
    /// returning the generated columns), as a query: SaveChanges tracks the entity, builds the SQL text anew on every
    /// call and reads the values back through the change tracker, which cost more CPU per POST than the rest of the
    /// request's EF work (docs/performance.md). Queries run through the execution strategy, as SaveChanges does.
    /// </summary>
    public static async Task<User> AddAsync(UsersDbContext db, string name, CancellationToken cancellationToken)
    {
        var insert = db.Users.FromSql($"""
            INSERT INTO users (nickname) VALUES ({name})
            RETURNING id, nickname, xmin
            """);
        // Straight to a list: composing (SingleAsync's LIMIT) would wrap the INSERT in a SELECT.
        return (await insert.AsNoTracking().ToListAsync(cancellationToken)).Single();
    }

    private static Func<UsersDbContext, long, CancellationToken, Task<VersionedUser?>> CompileFind() =>
        EF.CompileAsyncQuery((UsersDbContext db, long id, CancellationToken cancellationToken) => db.Users.AsNoTracking()
            .Where(user => user.Id == id)
            .Select(user => (VersionedUser?)new VersionedUser(user.Id, user.Nickname, user.Version))
            .SingleOrDefault());

    /// <summary>
    /// Renames the user if its version passes <paramref name="preconditions"/>. One statement: the version check and
    /// the write are atomic (PostgreSQL re-checks the WHERE on the newest version of a row it had to wait for), so of
    /// two clients sending the same If-Match the second finds a new xmin and changes nothing, and an If-None-Match is
    /// checked against the version the write replaces, not one read before it.
    /// </summary>
    /// <returns>The user as renamed, or null when no user has this id at a version the preconditions accept.</returns>
    public static async Task<User?> RenameAsync(UsersDbContext db, long id, string name, Preconditions preconditions, CancellationToken cancellationToken)
    {
        var (anyVersion, accepted, noVersion, excluded) = Versions(preconditions);
        var update = db.Users.FromSql($"""
            UPDATE users SET nickname = {name}
            WHERE id = {id} AND ({anyVersion} OR xmin::text = ANY({accepted})) AND NOT {noVersion} AND xmin::text <> ALL({excluded})
            RETURNING id, nickname, xmin
            """);
        // Straight to a list: composing (SingleOrDefault's LIMIT) would wrap the UPDATE in a SELECT.
        return (await update.AsNoTracking().ToListAsync(cancellationToken)).SingleOrDefault();
    }

    /// <summary>Deletes the user if its version passes <paramref name="preconditions"/>, atomically (as <see cref="RenameAsync"/>).</summary>
    /// <returns>Whether a user was deleted.</returns>
    public static async Task<bool> DeleteAsync(UsersDbContext db, long id, Preconditions preconditions, CancellationToken cancellationToken)
    {
        var (anyVersion, accepted, noVersion, excluded) = Versions(preconditions);
        // Raw SQL is the one kind of statement EF Core does not run through the execution strategy by itself: without
        // this, a DELETE that met a connection the server had closed while idle would not be retried.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () => await db.Database.ExecuteSqlAsync($"""
            DELETE FROM users
            WHERE id = {id} AND ({anyVersion} OR xmin::text = ANY({accepted})) AND NOT {noVersion} AND xmin::text <> ALL({excluded})
            """, cancellationToken) > 0);
    }

    /// <summary>
    /// The preconditions as the parameters of the WHERE above: If-Match (absent or "*": any version; else one of
    /// the accepted ones) and If-None-Match ("*": no version; else none of the excluded ones). Always the same
    /// parameters, so every combination of headers is one statement, prepared once.
    /// </summary>
    private static (bool AnyVersion, string[] Accepted, bool NoVersion, string[] Excluded) Versions(Preconditions preconditions) =>
        (preconditions.AcceptsAnyVersion, preconditions.AcceptedVersions, preconditions.ExcludesEveryVersion, preconditions.ExcludedVersions);
}
