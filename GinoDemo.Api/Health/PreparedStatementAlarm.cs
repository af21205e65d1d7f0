namespace GinoDemo.Api.Health;

/// <summary>
/// Raised when a request met 42P05 "prepared statement already exists" or 26000 "prepared statement does not exist":
/// server-prepared statements through a pooler that hands each transaction to any session (PgBouncer in transaction
/// mode before 1.21), which the start-up probe can miss under traffic. From then on readiness fails with the one
/// line that says what to set, so the instance leaves the load balancer instead of answering errors.
/// </summary>
public sealed class PreparedStatementAlarm
{
    public const string Advice =
        "server-prepared statements fail here (42P05/26000): the database connection goes through a pooler in transaction mode "
        + "that cannot keep them (PgBouncer before 1.21); set DB_SERVER_PREPARED_STATEMENTS=false.";

    private volatile bool _raised;

    public bool IsRaised => _raised;

    /// <returns>Whether this raised it (the first time).</returns>
    public bool Raise()
    {
        var first = !_raised;
        _raised = true;
        return first;
    }
}
