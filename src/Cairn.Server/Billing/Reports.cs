using System.Globalization;
using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// The finance figures of an organization, computed by the database as grouped sums (a handful of
/// queries per report, whatever the number of invoices). Every figure is per currency: amounts in
/// different currencies are never added up. "Today" is the day in the organization's time zone (<see cref="BusinessDays"/>).
/// Reports read through <see cref="ReadDatabase"/>: from the PostgreSQL standby when one is configured
/// and within its staleness bound (<c>Cairn:ReplicaMaxLagSeconds</c>), else from the primary.
/// </summary>
public sealed class Reports(ReadDatabase reads, BusinessDays businessDays)
{
    /// <summary>How many days ahead the dashboard looks for invoices and milestones coming due.</summary>
    public const int LookAheadDays = 30;

    /// <summary>The dashboard: contract value, billed, collected, outstanding, overdue, approved but unbilled, and what comes due in the next 30 days.</summary>
    public async Task<Dashboard> DashboardAsync(CancellationToken cancellationToken = default)
    {
        var db = await reads.OpenAsync(cancellationToken);
        var today = await businessDays.TodayAsync(cancellationToken);
        var horizon = today.AddDays(LookAheadDays);
        // Kept per currency by a trigger on contracts (ContractValue): one row per currency, not one per contract.
        var contracts = await db.Set<ContractValue>().Select(v => new { v.Currency, Value = (decimal)v.ValueMinor }).ToListAsync(cancellationToken);

        // All-time billed and collected come from the running totals per client, and the open-balance
        // figures from the open balances per client and due date (both kept by triggers): neither
        // reads one row per invoice, so the dashboard stays fast as the books grow.
        var totals = await db.Set<ReceivableTotal>()
            .GroupBy(t => t.Currency)
            .Select(g => new { Currency = g.Key, Billed = g.Sum(t => (decimal)t.BilledMinor), Collected = g.Sum(t => (decimal)t.CollectedMinor) })
            .ToListAsync(cancellationToken);
        var open = await db.OpenReceivables()
            .GroupBy(b => b.Currency)
            .Select(g => new
            {
                Currency = g.Key,
                Outstanding = g.Sum(b => (decimal)b.Minor),
                Overdue = g.Sum(b => b.DueDate < today ? (decimal)b.Minor : 0m),
                DueSoon = g.Sum(b => b.DueDate >= today && b.DueDate <= horizon ? (decimal)b.Minor : 0m),
            })
            .ToListAsync(cancellationToken);
        var invoices = totals.Select(t => t.Currency).Concat(open.Select(o => o.Currency)).Distinct().Select(currency =>
        {
            var total = totals.SingleOrDefault(t => t.Currency == currency);
            var o = open.SingleOrDefault(x => x.Currency == currency);
            return new
            {
                Currency = currency,
                Billed = total?.Billed ?? 0m,
                Collected = total?.Collected ?? 0m,
                Outstanding = o?.Outstanding ?? 0m,
                Overdue = o?.Overdue ?? 0m,
                DueSoon = o?.DueSoon ?? 0m,
            };
        }).ToList();

        var disputed = await db.UnderDispute()
            .GroupBy(d => d.Currency).Select(g => new { Currency = g.Key, Amount = g.Sum(d => (decimal)d.Minor) })
            .ToListAsync(cancellationToken);

        // Only deposits and dated instalments can be approved yet unbilled: rule 2 bills an
        // on_approval milestone in the transaction that approves it (and `cairn verify` checks so).
        var unbilled = await db.Milestones.ApprovedAwaitingInvoice(db)
            .GroupBy(m => m.Currency).Select(g => new { Currency = g.Key, Amount = g.Sum(m => (decimal)m.AmountMinor) })
            .ToListAsync(cancellationToken);
        var comingDue = await db.Milestones.ComingDue(today, horizon)
            .GroupBy(m => m.Currency).Select(g => new { Currency = g.Key, Count = g.Count(), Amount = g.Sum(m => (decimal)m.AmountMinor) })
            .ToListAsync(cancellationToken);

        var currencies = contracts.Select(c => c.Currency).Concat(invoices.Select(i => i.Currency)).Concat(unbilled.Select(u => u.Currency)).Concat(comingDue.Select(d => d.Currency))
            .Concat(disputed.Select(d => d.Currency));
        var figures = Ordered(currencies).Select(currency =>
        {
            var inv = invoices.SingleOrDefault(i => i.Currency == currency);
            var due = comingDue.SingleOrDefault(d => d.Currency == currency);
            return new DashboardFigures(
                currency.Code,
                MoneyJson.Of(contracts.SingleOrDefault(c => c.Currency == currency)?.Value ?? 0m, currency),
                MoneyJson.Of(inv?.Billed ?? 0m, currency),
                MoneyJson.Of(inv?.Collected ?? 0m, currency),
                MoneyJson.Of(inv?.Outstanding ?? 0m, currency),
                MoneyJson.Of(inv?.Overdue ?? 0m, currency),
                MoneyJson.Of(disputed.SingleOrDefault(d => d.Currency == currency)?.Amount ?? 0m, currency),
                MoneyJson.Of(unbilled.SingleOrDefault(u => u.Currency == currency)?.Amount ?? 0m, currency),
                MoneyJson.Of(inv?.DueSoon ?? 0m, currency),
                new MilestonesComingDue(due?.Count ?? 0, MoneyJson.Of(due?.Amount ?? 0m, currency)));
        }).ToList();
        return new Dashboard(today, figures);
    }

    /// <summary>Accounts receivable aging: open balances by days past due (current, 1–30, 31–60, 61–90, over 90), per client and in total.</summary>
    public async Task<AgingReport> AgingAsync(CancellationToken cancellationToken = default)
    {
        var db = await reads.OpenAsync(cancellationToken);
        var today = await businessDays.TodayAsync(cancellationToken);
        var (d30, d60, d90) = (today.AddDays(-30), today.AddDays(-60), today.AddDays(-90));
        var rows = await db.OpenReceivables()
            .GroupBy(b => new { b.ClientId, b.Currency })
            .Select(g => new
            {
                g.Key.ClientId,
                g.Key.Currency,
                Current = g.Sum(b => b.DueDate >= today ? (decimal)b.Minor : 0m),
                Days1To30 = g.Sum(b => b.DueDate < today && b.DueDate >= d30 ? (decimal)b.Minor : 0m),
                Days31To60 = g.Sum(b => b.DueDate < d30 && b.DueDate >= d60 ? (decimal)b.Minor : 0m),
                Days61To90 = g.Sum(b => b.DueDate < d60 && b.DueDate >= d90 ? (decimal)b.Minor : 0m),
                Over90 = g.Sum(b => b.DueDate < d90 ? (decimal)b.Minor : 0m),
            })
            .ToListAsync(cancellationToken);
        var names = await ClientNamesAsync(db, rows.Select(r => r.ClientId), cancellationToken);

        var currencies = Ordered(rows.Select(r => r.Currency)).Select(currency =>
        {
            var ofCurrency = rows.Where(r => r.Currency == currency).ToList();
            AgingBuckets Buckets(decimal current, decimal d1, decimal d31, decimal d61, decimal d91) => new(
                MoneyJson.Of(current, currency), MoneyJson.Of(d1, currency), MoneyJson.Of(d31, currency), MoneyJson.Of(d61, currency), MoneyJson.Of(d91, currency),
                MoneyJson.Of(current + d1 + d31 + d61 + d91, currency));
            var clients = ofCurrency
                .Select(r => new AgingClient(r.ClientId, names.GetValueOrDefault(r.ClientId, ""), Buckets(r.Current, r.Days1To30, r.Days31To60, r.Days61To90, r.Over90)))
                .OrderBy(c => c.ClientName, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.ClientId)
                .ToList();
            var totals = Buckets(ofCurrency.Sum(r => r.Current), ofCurrency.Sum(r => r.Days1To30), ofCurrency.Sum(r => r.Days31To60), ofCurrency.Sum(r => r.Days61To90), ofCurrency.Sum(r => r.Over90));
            return new AgingCurrency(currency.Code, totals, clients);
        }).ToList();
        return new AgingReport(today, currencies);
    }

    /// <summary>Cash forecast: what is already overdue, then open balances by the month they fall due.</summary>
    public async Task<CashForecast> CashForecastAsync(CancellationToken cancellationToken = default)
    {
        var db = await reads.OpenAsync(cancellationToken);
        var today = await businessDays.TodayAsync(cancellationToken);
        var open = db.Invoices.OpenBalances();
        var overdue = await open.Where(b => b.DueDate < today)
            .GroupBy(b => b.Currency).Select(g => new { Currency = g.Key, Amount = g.Sum(b => (decimal)b.Minor), Count = g.Count() })
            .ToListAsync(cancellationToken);
        var months = await open.Where(b => b.DueDate >= today)
            .GroupBy(b => new { b.Currency, b.DueDate!.Value.Year, b.DueDate.Value.Month })
            .Select(g => new { g.Key.Currency, g.Key.Year, g.Key.Month, Amount = g.Sum(b => (decimal)b.Minor), Count = g.Count() })
            .ToListAsync(cancellationToken);

        var currencies = Ordered(overdue.Select(o => o.Currency).Concat(months.Select(m => m.Currency))).Select(currency =>
        {
            var late = overdue.SingleOrDefault(o => o.Currency == currency);
            var byMonth = months.Where(m => m.Currency == currency).OrderBy(m => m.Year).ThenBy(m => m.Month)
                .Select(m => new ForecastMonth(Month(m.Year, m.Month), MoneyJson.Of(m.Amount, currency), m.Count))
                .ToList();
            var total = (late?.Amount ?? 0m) + months.Where(m => m.Currency == currency).Sum(m => m.Amount);
            return new ForecastCurrency(currency.Code, new ForecastOverdue(MoneyJson.Of(late?.Amount ?? 0m, currency), late?.Count ?? 0), byMonth, MoneyJson.Of(total, currency));
        }).ToList();
        return new CashForecast(today, currencies);
    }

    /// <summary>Revenue: net amounts of issued invoices by month of issue and by client, less the net of credit notes, optionally between two dates.</summary>
    public async Task<RevenueReport> RevenueAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default)
    {
        var db = await reads.OpenAsync(cancellationToken);
        if (from is { } f && to is { } t && t < f)
            throw new DomainException(new DomainError("invalid_range", "to is before from.", "to"));
        var invoices = db.Invoices.Where(i => i.Status != InvoiceStatus.Draft && (from == null || i.IssueDate >= from) && (to == null || i.IssueDate <= to));
        var credits = db.CreditNotes.Where(c => (from == null || c.IssueDate >= from) && (to == null || c.IssueDate <= to));
        var invoicedByMonth = await invoices.GroupBy(i => new { i.Currency, i.IssueDate!.Value.Year, i.IssueDate.Value.Month })
            .Select(g => new { g.Key.Currency, g.Key.Year, g.Key.Month, Net = g.Sum(i => (decimal)i.NetMinor) }).ToListAsync(cancellationToken);
        var creditedByMonth = await credits.GroupBy(c => new { c.Currency, c.IssueDate.Year, c.IssueDate.Month })
            .Select(g => new { g.Key.Currency, g.Key.Year, g.Key.Month, Net = g.Sum(c => (decimal)c.NetMinor) }).ToListAsync(cancellationToken);
        var invoicedByClient = await invoices.GroupBy(i => new { i.Currency, i.ClientId })
            .Select(g => new { g.Key.Currency, g.Key.ClientId, Net = g.Sum(i => (decimal)i.NetMinor) }).ToListAsync(cancellationToken);
        var creditedByClient = await credits.GroupBy(c => new { c.Currency, c.ClientId })
            .Select(g => new { g.Key.Currency, g.Key.ClientId, Net = g.Sum(c => (decimal)c.NetMinor) }).ToListAsync(cancellationToken);
        var names = await ClientNamesAsync(db, invoicedByClient.Select(c => c.ClientId).Concat(creditedByClient.Select(c => c.ClientId)), cancellationToken);

        var currencies = Ordered(invoicedByMonth.Select(i => i.Currency).Concat(creditedByMonth.Select(c => c.Currency))).Select(currency =>
        {
            RevenueFigures Figures(decimal invoiced, decimal credited) => new(MoneyJson.Of(invoiced, currency), MoneyJson.Of(credited, currency), MoneyJson.Of(invoiced - credited, currency));
            var months = invoicedByMonth.Where(i => i.Currency == currency).Select(i => (i.Year, i.Month))
                .Union(creditedByMonth.Where(c => c.Currency == currency).Select(c => (c.Year, c.Month)))
                .Order()
                .Select(m => new RevenueMonth(
                    Month(m.Year, m.Month),
                    Figures(
                        invoicedByMonth.Where(i => i.Currency == currency && i.Year == m.Year && i.Month == m.Month).Sum(i => i.Net),
                        creditedByMonth.Where(c => c.Currency == currency && c.Year == m.Year && c.Month == m.Month).Sum(c => c.Net))))
                .ToList();
            var clients = invoicedByClient.Where(i => i.Currency == currency).Select(i => i.ClientId)
                .Union(creditedByClient.Where(c => c.Currency == currency).Select(c => c.ClientId))
                .Select(id => new RevenueClient(
                    id,
                    names.GetValueOrDefault(id, ""),
                    Figures(
                        invoicedByClient.Where(i => i.Currency == currency && i.ClientId == id).Sum(i => i.Net),
                        creditedByClient.Where(c => c.Currency == currency && c.ClientId == id).Sum(c => c.Net))))
                .OrderBy(c => c.ClientName, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.ClientId)
                .ToList();
            var total = Figures(invoicedByMonth.Where(i => i.Currency == currency).Sum(i => i.Net), creditedByMonth.Where(c => c.Currency == currency).Sum(c => c.Net));
            return new RevenueCurrency(currency.Code, total, months, clients);
        }).ToList();
        return new RevenueReport(from, to, currencies);
    }

    /// <summary>
    /// Billed (gross of invoices issued, less credit notes, by month of issue) and collected (payments
    /// applied, by the month the money was received) for the last <paramref name="months"/> months, this one included.
    /// </summary>
    public async Task<BilledCollected> BilledCollectedAsync(int months = 6, CancellationToken cancellationToken = default)
    {
        var db = await reads.OpenAsync(cancellationToken);
        var today = await businessDays.TodayAsync(cancellationToken);
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(1 - months);
        var billed = await db.Invoices.Where(i => i.Status != InvoiceStatus.Draft && i.IssueDate >= first)
            .GroupBy(i => new { i.Currency, i.IssueDate!.Value.Year, i.IssueDate.Value.Month })
            .Select(g => new { g.Key.Currency, g.Key.Year, g.Key.Month, Minor = g.Sum(i => (decimal)i.GrossMinor) })
            .ToListAsync(cancellationToken);
        var credited = await db.CreditNotes.Where(c => c.IssueDate >= first)
            .GroupBy(c => new { c.Currency, c.IssueDate.Year, c.IssueDate.Month })
            .Select(g => new { g.Key.Currency, g.Key.Year, g.Key.Month, Minor = g.Sum(c => (decimal)c.GrossMinor) })
            .ToListAsync(cancellationToken);
        var collected = await (from a in db.PaymentApplications
                               join p in db.Payments on a.PaymentId equals p.Id
                               where p.Status == PaymentStatus.Recorded && p.ReceivedOn >= first
                               group (decimal)a.AmountMinor by new { p.Currency, p.ReceivedOn.Year, p.ReceivedOn.Month } into g
                               select new { g.Key.Currency, g.Key.Year, g.Key.Month, Minor = g.Sum() })
            .ToListAsync(cancellationToken);

        var currencies = Ordered(billed.Select(b => b.Currency).Concat(collected.Select(c => c.Currency))).Select(currency =>
        {
            var rows = Enumerable.Range(0, months).Select(n => first.AddMonths(n)).Select(m => new MonthBilledCollected(
                Month(m.Year, m.Month),
                MoneyJson.Of(
                    billed.Where(b => b.Currency == currency && b.Year == m.Year && b.Month == m.Month).Sum(b => b.Minor)
                    - credited.Where(c => c.Currency == currency && c.Year == m.Year && c.Month == m.Month).Sum(c => c.Minor), currency),
                MoneyJson.Of(collected.Where(c => c.Currency == currency && c.Year == m.Year && c.Month == m.Month).Sum(c => c.Minor), currency)))
                .ToList();
            return new BilledCollectedCurrency(currency.Code, rows);
        }).ToList();
        return new BilledCollected(today, currencies);
    }


    private static async Task<Dictionary<Guid, string>> ClientNamesAsync(CairnDb db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.Distinct().ToList();
        // Only the two columns, untracked: aging names every client with an open balance (2,000 at the bench's 1,000,000 invoices).
        return await db.Clients.AsNoTracking().Where(c => distinct.Contains(c.Id)).Select(c => new { c.Id, c.Name })
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
    }

    private static IEnumerable<Currency> Ordered(IEnumerable<Currency> currencies) =>
        currencies.Distinct().OrderBy(c => c.Code, StringComparer.Ordinal);

    private static string Month(int year, int month) => $"{year.ToString("0000", CultureInfo.InvariantCulture)}-{month.ToString("00", CultureInfo.InvariantCulture)}";
}

/// <summary>The dashboard's figures, one entry per currency.</summary>
public sealed record Dashboard(DateOnly Today, IReadOnlyList<DashboardFigures> Currencies);

/// <summary>The dashboard in one currency.</summary>
/// <param name="Currency">The currency of every amount in this entry.</param>
/// <param name="ContractValue">Value (net) of active and completed contracts.</param>
/// <param name="Billed">Billed (gross): gross of issued invoices less their credit notes (<see cref="BillingFigures"/>).</param>
/// <param name="Collected">Collected (gross): payments applied to invoices.</param>
/// <param name="Outstanding">Outstanding (gross): open balances of issued invoices, billed (gross) − collected.</param>
/// <param name="Overdue">The part of the outstanding balance that is past its due date.</param>
/// <param name="Disputed">What clients contest in open disputes (<see cref="DisputeQueries.UnderDispute"/>): the open balance (gross) of each disputed invoice, and the amount (net, not yet invoiced) of each milestone disputed before it was billed.</param>
/// <param name="ApprovedUnbilled">Approved (net): approved milestones still awaiting their invoice (deposits and instalments whose trigger has not fired).</param>
/// <param name="DueNext30Days">Open balances falling due from today through the next 30 days.</param>
/// <param name="MilestonesDueNext30Days">Milestones of active contracts, not yet approved, whose due date is in the next 30 days.</param>
public sealed record DashboardFigures(
    string Currency,
    MoneyJson ContractValue,
    MoneyJson Billed,
    MoneyJson Collected,
    MoneyJson Outstanding,
    MoneyJson Overdue,
    MoneyJson Disputed,
    MoneyJson ApprovedUnbilled,
    MoneyJson DueNext30Days,
    MilestonesComingDue MilestonesDueNext30Days);

/// <summary>How many milestones come due soon, and their amount.</summary>
public sealed record MilestonesComingDue(int Count, MoneyJson Amount);

/// <summary>Aging of open balances, one entry per currency.</summary>
public sealed record AgingReport(DateOnly Today, IReadOnlyList<AgingCurrency> Currencies);

/// <summary>Aging in one currency: totals and one row per client with an open balance.</summary>
public sealed record AgingCurrency(string Currency, AgingBuckets Totals, IReadOnlyList<AgingClient> Clients);

/// <summary>One client's open balances by age.</summary>
public sealed record AgingClient(Guid ClientId, string ClientName, AgingBuckets Buckets);

/// <summary>Open balances by days past due.</summary>
public sealed record AgingBuckets(MoneyJson Current, MoneyJson Days1To30, MoneyJson Days31To60, MoneyJson Days61To90, MoneyJson Over90, MoneyJson Total);

/// <summary>Expected cash, one entry per currency.</summary>
public sealed record CashForecast(DateOnly Today, IReadOnlyList<ForecastCurrency> Currencies);

/// <summary>Expected cash in one currency: what is overdue now, then by month of due date.</summary>
public sealed record ForecastCurrency(string Currency, ForecastOverdue Overdue, IReadOnlyList<ForecastMonth> Months, MoneyJson Total);

/// <summary>Open balances already past due.</summary>
public sealed record ForecastOverdue(MoneyJson Amount, int Invoices);

/// <summary>Open balances falling due in one month (<c>yyyy-MM</c>).</summary>
public sealed record ForecastMonth(string Month, MoneyJson Amount, int Invoices);

/// <summary>Revenue, one entry per currency, for issue dates between From and To (inclusive) when given.</summary>
public sealed record RevenueReport(DateOnly? From, DateOnly? To, IReadOnlyList<RevenueCurrency> Currencies);

/// <summary>Revenue in one currency: in total, by month of issue, and by client.</summary>
public sealed record RevenueCurrency(string Currency, RevenueFigures Total, IReadOnlyList<RevenueMonth> Months, IReadOnlyList<RevenueClient> Clients);

/// <summary>Revenue of one month (<c>yyyy-MM</c>).</summary>
public sealed record RevenueMonth(string Month, RevenueFigures Figures);

/// <summary>Revenue from one client.</summary>
public sealed record RevenueClient(Guid ClientId, string ClientName, RevenueFigures Figures);

/// <summary>Net invoiced, net credited, and the difference.</summary>
public sealed record RevenueFigures(MoneyJson Invoiced, MoneyJson Credited, MoneyJson Net);

/// <summary>Billed and collected by month, one entry per currency.</summary>
public sealed record BilledCollected(DateOnly Today, IReadOnlyList<BilledCollectedCurrency> Currencies);

/// <summary>Billed and collected by month in one currency, oldest month first.</summary>
public sealed record BilledCollectedCurrency(string Currency, IReadOnlyList<MonthBilledCollected> Months);

/// <summary>One month (<c>yyyy-MM</c>): gross billed less credit notes, and payments applied.</summary>
public sealed record MonthBilledCollected(string Month, MoneyJson Billed, MoneyJson Collected);
