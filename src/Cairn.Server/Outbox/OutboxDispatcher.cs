using System.Globalization;
using Cairn.Server.Data;
using Cairn.Server.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Outbox;

/// <summary>What one pass of the dispatcher did.</summary>
/// <param name="Delivered">Rows delivered: emails handed to the mail server or folder, events fanned out, webhooks answered 2xx.</param>
/// <param name="Failed">Rows whose attempt failed (they are tried again after a backoff), webhooks not answered 2xx.</param>
public sealed record OutboxReport(int Delivered, int Failed);

/// <summary>
/// Delivers the outbox after the commit, at least once: claims due rows (a lease in the row, taken
/// by one atomic UPDATE: PostgreSQL skips rows another instance is claiming with
/// <c>FOR UPDATE SKIP LOCKED</c>, SQLite has one writer), delivers each, and records the outcome.
/// A failed attempt is tried again after an exponential backoff (30 s doubling, at most an hour)
/// until <c>Cairn:Outbox:MaxAttempts</c>; a row whose instance died mid-delivery is taken again when
/// its lease (<c>Cairn:Outbox:LeaseSeconds</c>) runs out, so a receiver may see a repeat, which it drops by the idempotency key.
/// Wakes every <c>Cairn:Outbox:IntervalSeconds</c>, and at once when a transaction committed new rows.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, TimeProvider clock, IOptions<CairnOptions> options, OutboxSignal signal, IMailSender sender, MailQueue queue, Webhooks.WebhookDispatcher webhooks, StartupModels models, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 20;

    // The pause after a pass that delivered something (real time: pacing, not business time); what waits for
    // delivery waits at most this much longer.
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(100);

    // One pass at a time in this process, so a pass asked for (a test, the CLI) finishes what a running pass began.
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>The pause between passes: <c>Cairn:Outbox:IntervalSeconds</c>, default 10.</summary>
    public TimeSpan Interval { get; } = TimeSpan.FromSeconds(options.Value.Outbox.IntervalSeconds);

    /// <summary>Delivers every row due now, batch by batch, then returns what it did.</summary>
    public async Task<OutboxReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            int delivered = 0, failed = 0;
            while (true)
            {
                var claimed = await ClaimAsync(cancellationToken);
                if (claimed.Count == 0)
                    break;
                var (batchDelivered, batchFailed) = await DeliverAsync(claimed, cancellationToken);
                delivered += batchDelivered;
                failed += batchFailed;
            }

            // Webhook deliveries (those just fanned out too) go in the same pass.
            var sent = await webhooks.RunOnceAsync(cancellationToken);
            return new OutboxReport(delivered + sent.Delivered, failed + sent.Failed);
        }
        finally
        {
            _pass.Release();
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _pass.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A stop before the models are built ends the loop below before its first pass.
        await models.Built.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!stoppingToken.IsCancellationRequested)
        {
            var report = new OutboxReport(0, 0);
            try
            {
                report = await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database that is briefly away is tried again on the next pass.
                Jobs.Passes.LogFailed(logger, e, "Outbox", Interval);
            }

            try
            {
                // Under sustained load every commit asks for a pass: after a pass that delivered something,
                // let the next one gather a batch rather than run for one request's rows, since each pass
                // costs the same few statements (and on SQLite writer turns) for one row as for twenty (issue 16).
                if (report.Delivered > 0)
                    await Task.Delay(Gather, stoppingToken);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(Task.Delay(Interval, clock, wake.Token), signal.WaitAsync(wake.Token));
                await wake.CancelAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await Task.Yield();
        }
    }

    private async Task<List<Guid>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        return await ClaimAsync(db, "outbox_messages", clock.GetUtcNow(), LeaseOf(options.Value), cancellationToken);
    }

    /// <summary>
    /// Claims up to a batch of due rows of an outbox-like table (<c>outbox_messages</c>, <c>webhook_deliveries</c>:
    /// <c>id</c>, <c>next_attempt_at</c>, <c>locked_until</c>, <c>attempts</c>, <c>delivered_at</c>, <c>gave_up_at</c>)
    /// for <paramref name="lease"/>, raising their attempt count; returns their ids.
    /// </summary>
    internal static async Task<List<Guid>> ClaimAsync(CairnDb db, string table, DateTimeOffset at, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = at.ToUnixTimeMilliseconds();
        var until = now + (long)lease.TotalMilliseconds;
        var skipLocked = db.IsPostgres ? "FOR UPDATE SKIP LOCKED" : "";
        // One statement: the rows it returns are this instance's until the lease runs out.
        var sql = $$"""
            UPDATE {{table}} SET locked_until = {0}, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM {{table}}
                WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= {1}
                  AND (locked_until IS NULL OR locked_until <= {1})
                ORDER BY next_attempt_at, id
                LIMIT {{BatchSize.ToString(CultureInfo.InvariantCulture)}} {{skipLocked}})
            RETURNING id AS "Value"
            """;
        return await db.Database.SqlQueryRaw<Guid>(sql, until, now).ToListAsync(cancellationToken);
    }

    /// <summary>How long an instance holds a claimed row before another may take it: <c>Cairn:Outbox:LeaseSeconds</c>.</summary>
    internal static TimeSpan LeaseOf(CairnOptions options) => TimeSpan.FromSeconds(options.Outbox.LeaseSeconds);

    /// <summary>
    /// Delivers a claimed batch. The events of one organization fan out together, in one transaction
    /// with their marks: one commit for the lot rather than one per event (an approval writes two
    /// events, and on SQLite each commit is a turn of the one writer and an fsync; issue 16). When the
    /// lot fails, each event is tried alone, so one that cannot be fanned out holds up no other.
    /// </summary>
    private async Task<(int Delivered, int Failed)> DeliverAsync(List<Guid> claimed, CancellationToken cancellationToken)
    {
        List<OutboxMessage> messages;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
            messages = await db.Set<OutboxMessage>().IgnoreQueryFilters().AsNoTracking().Where(m => claimed.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        }

        int delivered = 0, failed = 0;
        var alone = new List<OutboxMessage>();
        foreach (var lot in messages.Where(m => m.Kind != OutboxMessage.EmailKind).GroupBy(m => m.OrganizationId))
        {
            var events = lot.ToList();
            if (events.Count > 1 && await FanOutTogetherAsync(lot.Key, events, cancellationToken))
                delivered += events.Count;
            else
                alone.AddRange(events);
        }

        foreach (var message in alone)
        {
            if (await DeliverAsync(message, cancellationToken))
                delivered++;
            else
                failed++;
        }

        var (sent, notSent) = await SendEmailsAsync(messages.Where(m => m.Kind == OutboxMessage.EmailKind).ToList(), cancellationToken);
        return (delivered + sent, failed + notSent);
    }

    /// <summary>
    /// Sends a claimed batch's emails one by one, then marks those sent as delivered in one statement:
    /// one write for the lot instead of one per email (on SQLite each is a turn of the one writer and an
    /// fsync; issue 16). An instance that dies between a send and the mark sends that email again when
    /// the lease runs out, as it would have between one send and its own mark; the receiver drops the
    /// repeat by its Message-ID. A failed send is recorded on its own row, as before.
    /// </summary>
    private async Task<(int Sent, int Failed)> SendEmailsAsync(List<OutboxMessage> emails, CancellationToken cancellationToken)
    {
        if (emails.Count == 0)
            return (0, 0);
        var sent = new List<Guid>(emails.Count);
        var failed = 0;
        try
        {
            foreach (var message in emails)
            {
                try
                {
                    // Attachments are read in the email's own organization.
                    await using (var scope = scopes.CreateAsyncScope())
                    {
                        scope.ServiceProvider.GetRequiredService<CairnDb>().TenantId = message.OrganizationId;
                        await SendAsync(scope.ServiceProvider, message, cancellationToken);
                    }

                    sent.Add(message.Id);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await RecordFailureAsync(message.Id, message.Attempts, e, cancellationToken);
                    failed++;
                }
            }
        }
        finally
        {
            // Even when the pass is stopped midway: what was handed to the mail server is not sent twice needlessly.
            if (sent.Count > 0)
            {
                await using var scope = scopes.CreateAsyncScope();
                await MarkDeliveredAsync(scope.ServiceProvider.GetRequiredService<CairnDb>(), sent, CancellationToken.None);
            }
        }

        return (sent.Count, failed);
    }

    private async Task<bool> FanOutTogetherAsync(Guid organizationId, List<OutboxMessage> events, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        db.TenantId = organizationId;
        try
        {
            return await Transactions.RunAsync(db, async () =>
            {
                foreach (var message in events)
                    await FanOutAsync(scope.ServiceProvider, db, message, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                return await MarkDeliveredAsync(db, events.Select(m => m.Id).ToList(), cancellationToken) == events.Count;
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(e, "Fanning out {Count} events together failed; fanning out each alone", events.Count);
            return false;
        }
    }

    private async Task FanOutAsync(IServiceProvider services, CairnDb db, OutboxMessage message, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<Notifications>().FanOutAsync(message, Outbox.Read(message), cancellationToken);
        await Webhooks.Subscriptions.FanOutAsync(db, message, clock.GetUtcNow(), cancellationToken);
    }

    private async Task<bool> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var id = message.Id;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        db.TenantId = message.OrganizationId;
        try
        {
            // Fanning out is itself transactional: the deliveries and the mark commit together, once.
            await Transactions.RunAsync(db, async () =>
            {
                await FanOutAsync(scope.ServiceProvider, db, message, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                return await MarkDeliveredAsync(db, [id], cancellationToken) == 1;
            }, cancellationToken);

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(id, message.Attempts, e, cancellationToken);
            return false;
        }
    }

    private async Task SendAsync(IServiceProvider services, OutboxMessage message, CancellationToken cancellationToken)
    {
        var mail = queue.Read(message);
        var attachments = new List<MailAttachment>();
        foreach (var reference in mail.Attachments ?? [])
            attachments.Add(await services.GetRequiredService<Attachments>().RenderAsync(reference, cancellationToken));
        var domain = "cairn.invalid";
        await sender.SendAsync(new OutgoingMail(mail.To, mail.ToName, mail.Subject, mail.Text, mail.Html, $"{message.IdempotencyKey}@{domain}", attachments) { FromName = mail.FromName, Attempt = message.Attempts }, cancellationToken);
    }

    private Task<int> MarkDeliveredAsync(CairnDb db, List<Guid> ids, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return db.Set<OutboxMessage>().IgnoreQueryFilters().Where(m => ids.Contains(m.Id) && m.DeliveredAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveredAt, now).SetProperty(m => m.LockedUntil, (long?)null), cancellationToken);
    }

    private async Task RecordFailureAsync(Guid id, int attempts, Exception error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var maxAttempts = options.Value.Outbox.MaxAttempts;
        var next = now + Backoff(attempts);
        // The error's type and message only: the content may carry a secret link.
        var reason = $"{error.GetType().Name}: {error.Message}";
        reason = reason.Length > 500 ? reason[..500] : reason;
        logger.LogWarning("Outbox message {Id}: attempt {Attempt} failed ({Reason}); {Next}", id, attempts,
            reason, attempts >= maxAttempts ? "giving up" : $"trying again at {next:u}");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        DateTimeOffset? gaveUp = attempts >= maxAttempts ? now : null;
        await db.Set<OutboxMessage>().IgnoreQueryFilters().Where(m => m.Id == id && m.DeliveredAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.LockedUntil, (long?)null)
                .SetProperty(m => m.NextAttemptAt, next.ToUnixTimeMilliseconds())
                .SetProperty(m => m.LastError, reason)
                .SetProperty(m => m.GaveUpAt, gaveUp), CancellationToken.None);
    }

    /// <summary>The wait after the given number of failed attempts: 30 s, doubling, at most an hour.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20))));
}

/// <summary>Wakes the dispatcher when a transaction committed new outbox rows, so emails leave at once rather than on the next interval.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Asks the dispatcher for a pass.</summary>
    public void Wake()
    {
        // Under load most commits find a pass already asked for: no exception thrown and caught for those
        // (they were ~30 a second under the benchmark's approvals). The catch is for two commits racing here.
        if (_signal.CurrentCount > 0)
            return;
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already asked for.
        }
    }

    /// <summary>Completes when <see cref="Wake"/> was called.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);

    public void Dispose() => _signal.Dispose();
}

/// <summary>Calls <see cref="OutboxSignal.Wake"/> after a commit whose unit of work added outbox rows.</summary>
public sealed class OutboxCommitInterceptor(OutboxSignal signal) : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
{
    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData) =>
        Committed(eventData.Context);

    private void Committed(DbContext? context)
    {
        if (context is CairnDb { HasNewOutboxMessages: true } db)
        {
            db.HasNewOutboxMessages = false;
            signal.Wake();
        }
    }
}
