using System.Security.Claims;
using Cairn.Server.Data;

namespace Cairn.Server.Requests;

/// <summary>
/// When PostgreSQL restarts or fails over, every pooled connection is dead, and the first request
/// to use one fails although the database is back. A read that the PostgreSQL standby failed (lost
/// or refused connection, or no answer within <see cref="ReplicaFreshness.ReadWithinSeconds"/>) runs
/// again on the primary the same way. Such a request runs once more, on a fresh
/// connection and in a fresh service scope, when that cannot do anything twice: a read (GET, HEAD),
/// or a change none of whose statements the database had answered yet and whose body (at most
/// 64 KiB) can be read again. Anything else, or a second loss, is answered by
/// <see cref="Failure.ConnectionLost"/> (503 with <c>Retry-After</c>). SQLite has no connection to lose.
/// </summary>
public sealed class ConnectionLossRetry(RequestDelegate next, IServiceScopeFactory scopes, ILogger<ConnectionLossRetry> logger)
{
    private const int MaxReplayedBodyBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context, DatabaseSettings settings)
    {
        if (!settings.IsPostgres)
        {
            await next(context);
            return;
        }

        var request = context.Request;
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var replayable = read || (request.ContentLength is null or <= MaxReplayedBodyBytes && request.Headers.TransferEncoding.Count == 0);
        if (!read && replayable && request.ContentLength > 0)
            request.EnableBuffering(MaxReplayedBodyBytes);
        // A read runs again whatever the database answered, so its statements are not counted: setting the
        // flow's tally costs every GET an execution context of its own (issue 16, the contract read).
        var statements = read ? null : RequestStatements.Track();
        try
        {
            await next(context);
        }
        catch (Exception e) when (replayable && (statements is null || statements.Answered == 0) && !context.Response.HasStarted
            && (DatabaseFailures.IsConnectionLost(e) || (read && FailedOnStandby(context, e))))
        {
            if (read && context.RequestServices.GetService<ReadDatabase>() is { OnStandby: true })
            {
                // Whatever the standby did, the primary answers the read now.
                context.RequestServices.GetRequiredService<ReplicaFreshness>().Distrust(ReplicaFreshness.Describe(e));
                logger.LogInformation("A read on the PostgreSQL replica failed; running {Method} again on the primary", request.Method);
            }
            else
            {
                logger.LogInformation("The database connection was lost before {Method} reached the database; running it again on a fresh connection", request.Method);
            }

            context.Response.Clear();
            if (request.Body.CanSeek)
                request.Body.Position = 0;
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
            context.SetEndpoint(null);

            // A fresh scope: the first attempt's database context and authentication result belong to the dead connection.
            var scope = scopes.CreateAsyncScope();
            context.Response.RegisterForDisposeAsync(scope);
            context.RequestServices = scope.ServiceProvider;
            if (!read)
                RequestStatements.Track();
            await next(context);
        }
    }

    // A read that the standby failed (a lost or refused connection, or no answer in time) while the request goes on.
    private static bool FailedOnStandby(HttpContext context, Exception e) =>
        !context.RequestAborted.IsCancellationRequested && context.RequestServices.GetService<ReadDatabase>() is { OnStandby: true }
        && ReplicaFreshness.IsStandbyFailure(e);
}
