using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Jobs;

/// <summary>What one pass of scheduled billing did.</summary>
/// <param name="AutoApproved">Submitted milestones approved by Cairn because the approval window ran out.</param>
/// <param name="InstalmentsBilled">On-date milestones invoiced on their billing date.</param>
public sealed record ScheduledBillingReport(int AutoApproved, int InstalmentsBilled)
{
    /// <summary>Submissions warned about (<c>milestone.auto_approval_due</c>): their approval window runs out within two days.</summary>
    public int ApprovalWarnings { get; init; }

    /// <summary>Daily digests this instance sent (<see cref="Outbox.DailyDigests"/>).</summary>
    public int Digests { get; init; }
}

/// <summary>
/// Cairn's own scheduled work, for every organization: approves submissions the client left
/// unanswered past the contract's approval window (recorded as approved by the system) and bills
/// <c>on_date</c> instalments on their day in the organization's time zone. Each item runs in its own transaction with its
/// contract's row locked and its state checked again, so with several instances on one
/// PostgreSQL database each item is done once; an instance that loses the race does nothing.
/// </summary>
public sealed class ScheduledBilling(IServiceScopeFactory scopes, TimeProvider clock, IOptions<CairnOptions> options, StartupModels models, Outbox.DailyDigests digests, ILogger<ScheduledBilling> logger) : BackgroundService
{
    /// <summary>The pause between passes: <c>Cairn:Jobs:IntervalSeconds</c>, default 60 (checked at start-up, see <see cref="CairnOptions"/>).</summary>
    public TimeSpan Interval { get; } = TimeSpan.FromSeconds(options.Value.Jobs.IntervalSeconds);

    /// <summary>One pass over every organization: auto-approvals first, then due instalments, warnings of approval windows about to run out, and the daily digests.</summary>
    public async Task<ScheduledBillingReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();

        // Each organization bills on its own day (its time zone); no zone is more than a day ahead of UTC.
        var latestToday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        List<WorkItem> approvals;
        List<WorkItem> instalments;
        List<WorkItem> warnings;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
            // Candidates only (the database's reading of Contract.AllowsWork and an approval window);
            // Contract.IsDueForAutoApproval decides each one again under its contract's lock. Both sides
            // have a partial index of just these rows (ix_milestones_awaiting_approval, ix_contracts_approval_window).
            var submitted = await (
                from m in db.Milestones.IgnoreQueryFilters()
                where m.Status == MilestoneStatus.Submitted
                    && (EF.Property<ContractStatus>(m, MilestoneBillingQueries.ContractStatusOfMilestone) == ContractStatus.Active
                        || EF.Property<ContractStatus>(m, MilestoneBillingQueries.ContractStatusOfMilestone) == ContractStatus.Completed)
                join c in db.Contracts.IgnoreQueryFilters() on m.ContractId equals c.Id
                where c.ApprovalWindowDays != null && (c.Status == ContractStatus.Active || c.Status == ContractStatus.Completed)
                select new { m.OrganizationId, m.Id, m.SubmittedAt, c.ApprovalWindowDays })
                .AsNoTracking().ToListAsync(cancellationToken);

            // The window is compared in memory: SQLite cannot compare date-time offsets in SQL.
            approvals = submitted
                .Where(x => x.SubmittedAt is { } at && Contract.ApprovalWindowEnds(at, x.ApprovalWindowDays!.Value) <= now)
                .OrderBy(x => x.SubmittedAt).Select(x => new WorkItem(x.OrganizationId, x.Id)).ToList();
            // Contract.AutoApprovalWarningDue decides each one again under its contract's lock.
            var windowsEnding = submitted
                .Where(x => x.SubmittedAt is { } at && Contract.ApprovalWindowEnds(at, x.ApprovalWindowDays!.Value) is var ends
                    && ends - Contract.AutoApprovalWarning <= now && now < ends)
                .Select(x => x.Id).ToList();
            var warned = await db.ApprovalWarnings.IgnoreQueryFilters().Where(w => windowsEnding.Contains(w.MilestoneId))
                .Select(w => new { w.MilestoneId, w.WindowEndsAt }).ToListAsync(cancellationToken);
            warnings = submitted
                .Where(x => windowsEnding.Contains(x.Id)
                    && !warned.Any(w => w.MilestoneId == x.Id && w.WindowEndsAt == Contract.ApprovalWindowEnds(x.SubmittedAt!.Value, x.ApprovalWindowDays!.Value)))
                .OrderBy(x => x.SubmittedAt).Select(x => new WorkItem(x.OrganizationId, x.Id)).ToList();
            // A milestone credited in full is never awaiting an invoice: only a person re-bills it.
            // The dated milestones of active contracts come from ix_milestones_dated, by billing date.
            var due = await (
                from m in db.Milestones.IgnoreQueryFilters().AwaitingInvoice(db.Invoices.IgnoreQueryFilters())
                join o in db.Organizations.IgnoreQueryFilters() on m.OrganizationId equals o.Id
                where m.Trigger == BillingTrigger.OnDate && m.BillingDate <= latestToday
                    && EF.Property<ContractStatus>(m, MilestoneBillingQueries.ContractStatusOfMilestone) == ContractStatus.Active
                orderby m.BillingDate, m.Id
                select new { m.OrganizationId, m.Id, m.BillingDate, o.TimeZone })
                .AsNoTracking().ToListAsync(cancellationToken);
            instalments = due.Where(x => x.BillingDate <= BusinessCalendar.Of(x.TimeZone).DayOf(now))
                .Select(x => new WorkItem(x.OrganizationId, x.Id)).ToList();
        }

        var approved = 0;
        foreach (var item in approvals)
            approved += await RunItemAsync(item, "auto-approve", AutoApproveAsync, cancellationToken) ? 1 : 0;
        var billed = 0;
        foreach (var item in instalments)
            billed += await RunItemAsync(item, "bill the instalment", BillInstalmentAsync, cancellationToken) ? 1 : 0;
        var warnedNow = 0;
        foreach (var item in warnings)
            warnedNow += await RunItemAsync(item, "warn of the approval window of", WarnOfAutoApprovalAsync, cancellationToken) ? 1 : 0;
        var digestsSent = await digests.RunOnceAsync(cancellationToken);
        if (approved + billed + warnedNow + digestsSent > 0)
        {
            logger.LogInformation("Scheduled billing: {Approved} submission(s) auto-approved, {Billed} instalment(s) billed, {Warned} approval window(s) warned about, {Digests} digest(s) sent",
                approved, billed, warnedNow, digestsSent);
        }

        return new ScheduledBillingReport(approved, billed) { ApprovalWarnings = warnedNow, Digests = digestsSent };
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Passes.RunEveryAsync(Interval, clock, logger, "Scheduled billing", RunOnceAsync, models, stoppingToken);

    private static async Task<bool> AutoApproveAsync(IServiceProvider services, Guid milestoneId, CancellationToken cancellationToken)
    {
        var milestones = services.GetRequiredService<Billing.Milestones>();
        var (contract, milestone) = await milestones.LoadForChangeAsync(milestoneId, cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        // Checked again under the contract's lock: the client may have answered, or another instance got here first.
        if (!contract.IsDueForAutoApproval(milestone, now))
            return false;
        await milestones.ApproveAsync(contract, milestone, Actor.System, cancellationToken);
        return true;
    }

    // Once per submission: the unique key of approval_warnings turns a second instance's insert into a lost race.
    private static async Task<bool> WarnOfAutoApprovalAsync(IServiceProvider services, Guid milestoneId, CancellationToken cancellationToken)
    {
        var milestones = services.GetRequiredService<Billing.Milestones>();
        var (contract, milestone) = await milestones.LoadForChangeAsync(milestoneId, cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        // Checked again under the contract's lock: the client may have answered since.
        if (contract.AutoApprovalWarningDue(milestone, now) is not { } ends)
            return false;
        var db = services.GetRequiredService<CairnDb>();
        // Compared in memory: SQLite cannot compare date-time offsets in SQL.
        if ((await db.ApprovalWarnings.Where(w => w.MilestoneId == milestoneId).Select(w => w.WindowEndsAt).ToListAsync(cancellationToken)).Contains(ends))
            return false;
        db.ApprovalWarnings.Add(new ApprovalWarning(contract.OrganizationId, milestoneId, ends, now));
        Events.Milestone(db, Outbox.EventTypes.MilestoneAutoApprovalDue, contract, milestone, now);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> BillInstalmentAsync(IServiceProvider services, Guid milestoneId, CancellationToken cancellationToken)
    {
        var milestones = services.GetRequiredService<Billing.Milestones>();
        var (contract, milestone) = await milestones.LoadForChangeAsync(milestoneId, cancellationToken);
        var today = await services.GetRequiredService<BusinessDays>().TodayAsync(cancellationToken);
        var billing = await services.GetRequiredService<Invoicing>().BillingOfAsync(milestone, cancellationToken);
        if (contract.Status != ContractStatus.Active || !billing.IsDueForInvoice(contract.Status, today))
            return false;
        await milestones.BillAsync(contract, milestone, Actor.System, cancellationToken);
        await services.GetRequiredService<Billing.Contracts>().CompleteIfPlanFinishedAsync(contract, Actor.System, cancellationToken);
        return true;
    }

    /// <summary>
    /// Runs one item in its own scope and transaction (<see cref="Transactions"/>), as its
    /// organization. A lost race is a quiet no-op; a transient database failure (<see cref="Failure"/>)
    /// is tried again at once a few times, then left for the next pass.
    /// </summary>
    private async Task<bool> RunItemAsync(WorkItem item, string what, Func<IServiceProvider, Guid, CancellationToken, Task<bool>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
            db.TenantId = item.OrganizationId;
            try
            {
                return await Transactions.RunAsync(db, () => work(scope.ServiceProvider, item.MilestoneId, cancellationToken), cancellationToken);
            }
            catch (Exception e) when (IsLostRace(e))
            {
                logger.LogDebug("Milestone {Milestone}: another instance or request got there first ({Reason})", item.MilestoneId, e.GetType().Name);
                return false;
            }
            catch (Exception e) when (Failure.Of(e) is { IsTransient: true } && attempt < TransientAttempts)
            {
                logger.LogInformation("Milestone {Milestone}: the database was busy ({Reason}); trying again", item.MilestoneId, e.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
            catch (Exception e) when (Failure.Of(e) is { IsTransient: true })
            {
                logger.LogWarning("Could not {What} milestone {Milestone} of organization {Organization}: the database stayed busy; it is tried again on the next pass", what, item.MilestoneId, item.OrganizationId);
                return false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not {What} milestone {Milestone} of organization {Organization}; it is tried again on the next pass", what, item.MilestoneId, item.OrganizationId);
                return false;
            }
        }
    }

    /// <summary>How many times one item is tried when the database is busy, before it waits for the next pass.</summary>
    private const int TransientAttempts = 3;

    private static bool IsLostRace(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException u => DatabaseFailures.IsUniqueViolation(u),
        DomainException { Error: InvalidTransition or NotFound } => true,
        _ => false,
    };

    private sealed record WorkItem(Guid OrganizationId, Guid MilestoneId);
}
