using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GinoDemo.Data.Connections;

/// <summary>
/// DB_USE_CONNECTION_FOR_REQUEST, GINO's per-request connection: EF opens the connection for the first query and
/// this keeps it open for the rest of the context's life (one request). Disposing or pooling the context closes it,
/// so it always returns to the pool, whatever the request's outcome.
/// </summary>
internal sealed class KeepConnectionOpenInterceptor : DbConnectionInterceptor
{
    public static readonly KeepConnectionOpenInterceptor Instance = new();

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());
}
