namespace GinoDemo.Api.Standby;

/// <summary>
/// Whether reads go to the standby of <c>DB_READ_DSN</c> now. <see cref="StandbyProbe"/> decides it every second;
/// a read that cannot reach the standby sends the reads after it to the primary until the next probe finds it again.
/// Starts on the primary: nothing is read from a standby before a probe has seen it in recovery and caught up.
/// </summary>
public sealed class StandbyRouting
{
    private volatile State _state = new(ServesReads: false, "not probed yet");

    /// <summary>Whether <c>GET /users/{id}</c> and <c>GET /users</c> go to the standby.</summary>
    public bool ServesReads => _state.ServesReads;

    /// <summary>Why reads go where they go, for the log and the readiness answer.</summary>
    public string Reason => _state.Reason;

    /// <returns>Whether this changed where reads go.</returns>
    internal bool Set(bool servesReads, string reason)
    {
        var before = _state;
        _state = new State(servesReads, reason);
        return before.ServesReads != servesReads;
    }

    private sealed record State(bool ServesReads, string Reason);
}
