namespace GinoDemo.Data;

/// <summary>A user of the demo: the tutorial's <c>models/users.py</c>.</summary>
public class User
{
    public const string DefaultNickname = "unnamed";

    /// <summary>In Unicode code points, as PostgreSQL's <c>char_length</c> counts them; the table enforces it too.</summary>
    public const int MaxNicknameLength = 256;

    public long Id { get; set; }

    public string Nickname { get; set; } = DefaultNickname;

    /// <summary>
    /// PostgreSQL's <c>xmin</c>: the transaction that wrote this version of the row. Every write changes it, so it
    /// is the row's version for ETags and optimistic concurrency, without a column or a trigger to maintain.
    /// </summary>
    public uint Version { get; set; }
}
