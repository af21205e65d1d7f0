namespace GinoDemo.Tests.PoolerAndStandby;

/// <summary>
/// <c>migrate</c> holds a session advisory lock for its whole run: through a transaction-mode pooler it refuses with
/// one line that says to use a direct connection; through a session-mode pool it works.
/// </summary>
public sealed class MigrateBehindPoolerTests : PoolerAndStandbyTest
{
    [Test]
    public async Task Migrate_through_a_transaction_pooler_refuses_with_one_line()
    {
        await using var migrate = StartProcess(Settings(PoolerAndStandbySuite.Bouncer.ConnectionString(PgBouncerPools.TransactionPool)), ["migrate"]);

        (await migrate.WaitForExitAsync(Patience)).Should().Be(2, migrate.Output);
        Infrastructure.StartupOutput.ShouldSayOnlyWhatToDo(migrate.Output,
            "The settings do not fit the database; not starting: migrate holds a PostgreSQL session advisory lock for its whole run, but DB_DSN "
            + "reaches a pooler in transaction mode (two connections were given one server session): point DB_DSN of the migrate step at "
            + "PostgreSQL itself or at a session-mode pool.",
            maxLines: 6);
    }

    [Test]
    public async Task Migrate_through_a_session_pool_works()
    {
        await using var migrate = StartProcess(Settings(PoolerAndStandbySuite.Bouncer.ConnectionString(PgBouncerPools.SessionPool)), ["migrate"]);

        (await migrate.WaitForExitAsync(Patience)).Should().Be(0, migrate.Output);
        migrate.Output.Should().Contain("Schema up to date; applied 0 migration(s): none pending");
    }
}
