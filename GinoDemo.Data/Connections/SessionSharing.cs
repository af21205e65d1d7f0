namespace GinoDemo.Data.Connections;

/// <summary>What <see cref="SessionSharingProbe"/> found.</summary>
/// <param name="Shared">Two client connections used one server session: a pooler in transaction (or statement) mode is in between.</param>
/// <param name="PreparedStatementsFail">A server-prepared statement failed with 42P05 or 26000: the pooler cannot keep them.</param>
public readonly record struct SessionSharing(bool Shared, bool PreparedStatementsFail);
