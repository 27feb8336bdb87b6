using System.Security.Cryptography;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary>
/// Runs every mutating API request in one database transaction, which commits only when the
/// answer is a success. So bad input changes nothing, and a crash before the commit leaves
/// nothing half-done. A POST with an <c>Idempotency-Key</c> stores its answer in that same
/// transaction: a retry replays the answer and never repeats the effect, even across a crash.
/// A stored answer belongs to the caller (user or API key) that made the request: another caller
/// sending the same key makes a request of its own, authorized on its own. The transaction is
/// the one <see cref="Transactions"/> runs for the web pages and jobs too.
/// </summary>
public sealed class UnitOfWork(RequestDelegate next, ILogger<UnitOfWork> logger)
{
    public const string Header = "Idempotency-Key";
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public async Task InvokeAsync(HttpContext context, TimeProvider clock)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !request.Path.StartsWithSegments("/api/v1"))
        {
            await next(context);
            return;
        }

        // Only a change needs the unit of work's context: reads, /livez, /healthz and static files rent none here.
        var db = context.RequestServices.GetRequiredService<CairnDb>();

        var caller = Caller.From(context.User);
        string? key = request.Headers[Header];
        if (key is not null && (key.Length is 0 or > 255 || !HttpMethods.IsPost(request.Method)))
        {
            await Problems.Write(context, Problems.Invalid(Header, "An Idempotency-Key is 1 to 255 characters and is accepted on POST requests.", "invalid_idempotency_key"));
            return;
        }

        if (key is not null && context.GetEndpoint()?.Metadata.GetMetadata<SecretAnswer>() is not null)
        {
            await Problems.Write(context, Problems.Invalid(Header, "This answer carries a secret that is shown once and never stored, so it cannot be replayed: send the request without an Idempotency-Key.", "idempotency_key_not_supported"));
            return;
        }

        if (key is null || caller is null)
        {
            await RunInTransactionAsync(context, db, null, null, clock);
            return;
        }

        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: AcceptsFilesAttribute.BodyLimitOf(context));
        var hash = await HashAsync(request, context.RequestAborted);
        var idempotency = new StoredAnswerKey(caller.OrganizationId, CallerOf(caller), key);
        if (await FindAsync(db, idempotency, clock, context.RequestAborted) is { } stored)
        {
            await ReplayAsync(context, stored, hash);
            return;
        }

        await RunInTransactionAsync(context, db, idempotency, hash, clock);
    }

    /// <summary>Who a stored answer belongs to: the user or API key that asked, e.g. <c>ApiKey:0190…</c>.</summary>
    internal static string CallerOf(Caller caller) => $"{caller.Actor.Kind}:{caller.Actor.Id}";

    private async Task RunInTransactionAsync(HttpContext context, CairnDb db, StoredAnswerKey? idempotency, string? hash, TimeProvider clock)
    {
        var response = context.Response;
        var originalBody = response.Body;
        await using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await Transactions.RunAsync(db, async () =>
            {
                await next(context);
                if (response.StatusCode >= 400)
                    return false;
                // The stored answer joins the change's own rows: the runner writes them in one batch and commits.
                if (idempotency is { } idem)
                {
                    db.Set<IdempotentRequest>().Add(new IdempotentRequest
                    {
                        OrganizationId = idem.Organization,
                        Caller = idem.Caller,
                        IdempotencyKey = idem.Key,
                        RequestHash = hash!,
                        StatusCode = response.StatusCode,
                        ContentType = response.ContentType,
                        Location = response.Headers.Location,
                        ETag = response.Headers.ETag,
                        Body = buffer.ToArray(),
                        CreatedAt = clock.GetUtcNow(),
                    });
                }

                return true;
            }, CancellationToken.None);
        }
        catch (DbUpdateException e) when (idempotency is { } idem && DatabaseFailures.IsUniqueViolation(e, IdempotentRequestMapping.Table))
        {
            // A concurrent request of the same caller with the same key committed first: answer as it did.
            response.Body = originalBody;
            var stored = await FindAsync(db, idem, clock, CancellationToken.None);
            ResetResponse(response);
            if (stored is null)
                await Problems.Write(context, Problems.Conflict("idempotency_key_in_flight", "A request with this Idempotency-Key is still being processed; retry shortly."));
            else
                await ReplayAsync(context, stored, hash!);
            return;
        }
        finally
        {
            response.Body = originalBody;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(originalBody, context.RequestAborted);
    }

    private static void ResetResponse(HttpResponse response)
    {
        response.Headers.Clear();
        response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task<IdempotentRequest?> FindAsync(CairnDb db, StoredAnswerKey key, TimeProvider clock, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - Retention;
        var stored = await db.Set<IdempotentRequest>().AsNoTracking()
            .SingleOrDefaultAsync(r => r.OrganizationId == key.Organization && r.Caller == key.Caller && r.IdempotencyKey == key.Key, cancellationToken);
        return stored is not null && stored.CreatedAt >= since ? stored : null;
    }

    private async Task ReplayAsync(HttpContext context, IdempotentRequest stored, string hash)
    {
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(stored.RequestHash), Convert.FromHexString(hash)))
        {
            await Problems.Write(context, Problems.Make(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", "This Idempotency-Key was used with a different request; use a new key for a new request.", "idempotency_key_reused", Header));
            return;
        }

        logger.LogInformation("Replaying the stored answer for an Idempotency-Key");
        var response = context.Response;
        response.StatusCode = stored.StatusCode;
        response.ContentType = stored.ContentType;
        if (stored.Location is not null)
            response.Headers.Location = stored.Location;
        if (stored.ETag is not null)
            response.Headers.ETag = stored.ETag;
        response.Headers["Idempotent-Replayed"] = "true";
        await response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }

    private static async Task<string> HashAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            sha.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private readonly record struct StoredAnswerKey(Guid Organization, string Caller, string Key);
}
