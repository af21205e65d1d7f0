namespace GinoDemo.Api.Startup;

/// <summary>How the serve and <c>migrate</c> commands end (README, "Startup and shutdown").</summary>
public static class ExitCodes
{
    /// <summary>Done: stopped by a signal (also while waiting for the database), or every migration applied.</summary>
    public const int Success = 0;

    /// <summary>The database never answered within <c>DB_RETRY_LIMIT</c> attempts, or a migration failed.</summary>
    public const int DatabaseFailure = 1;

    /// <summary>A setting is malformed; every bad one is logged.</summary>
    public const int InvalidSettings = 2;

    /// <summary>Kestrel cannot listen on the configured address (taken, or not this machine's).</summary>
    public const int CannotListen = 3;
}
