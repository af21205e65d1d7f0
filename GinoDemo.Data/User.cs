namespace GinoDemo.Data;

/// <summary>A user of the demo: the tutorial's <c>models/users.py</c>.</summary>
public class User
{
    public const string DefaultNickname = "unnamed";

    public long Id { get; set; }

    public string Nickname { get; set; } = DefaultNickname;
}
