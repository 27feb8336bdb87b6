using System.Linq.Expressions;
using Cairn.Domain;

namespace Cairn.Server.Data;

/// <summary>
/// The open balance as the database computes it, built from the domain's one rule
/// (<see cref="Invoice.BalanceMinorRule"/>): every query that sums, filters or lists what is owed
/// goes through here, so payments, reports, web pages and the API count the same thing.
/// </summary>
public static class InvoiceQueries
{
    private static readonly Expression<Func<Invoice, OpenBalance>> OpenBalanceShape = WithBalance((i, balance) => new OpenBalance
    {
        InvoiceId = i.Id,
        ClientId = i.ClientId,
        Currency = i.Currency,
        DueDate = i.DueDate,
        Minor = balance,
    });

    private static readonly Expression<Func<Invoice, InvoiceBalance>> BalanceShape = WithBalance((i, balance) => new InvoiceBalance { InvoiceId = i.Id, Minor = balance });

    private static readonly Expression<Func<Invoice, bool>> IsOpen = WithBalance((i, balance) => i.Status == InvoiceStatus.Issued && balance > 0);

    /// <summary>Issued invoices with something still owed, as rows carrying their open balance (paid and void invoices owe nothing).</summary>
    public static IQueryable<OpenBalance> OpenBalances(this IQueryable<Invoice> invoices) =>
        invoices.Where(IsOpen).Select(OpenBalanceShape);

    /// <summary>
    /// The open balances summed per client, currency and due date (<see cref="OpenReceivable"/>, kept
    /// by triggers from the same rule as <see cref="OpenBalances"/>): for sums of amounts over every
    /// open invoice (dashboard, aging), which then read at most one row per client and day instead of
    /// one per invoice. Counts of invoices still come from <see cref="OpenBalances"/>.
    /// </summary>
    public static IQueryable<OpenReceivable> OpenReceivables(this CairnDb db) => db.Set<OpenReceivable>();

    /// <summary>Every invoice of a milestone, void ones included (its billing history); found through <c>ix_invoices_milestone_all</c>, whatever the size of the books.</summary>
    public static IQueryable<Invoice> OfMilestone(this IQueryable<Invoice> invoices, Guid milestoneId) =>
        invoices.Where(i => i.MilestoneId == milestoneId);

    /// <summary>Each invoice's id and open balance (<see cref="Invoice.BalanceMinorRule"/>), in the query's order: what a payment reads before it loads the invoices it reaches.</summary>
    public static IQueryable<InvoiceBalance> Balances(this IQueryable<Invoice> invoices) => invoices.Select(BalanceShape);

    /// <summary>Issued invoices with something still owed.</summary>
    public static IQueryable<Invoice> Open(this IQueryable<Invoice> invoices) => invoices.Where(IsOpen);

    /// <summary>Invoices that are overdue on <paramref name="today"/> (issued, something owed, due date passed), or, with <paramref name="overdue"/> false, all the others.</summary>
    public static IQueryable<Invoice> Overdue(this IQueryable<Invoice> invoices, DateOnly today, bool overdue = true)
    {
        var rule = WithBalance((i, balance) => i.Status == InvoiceStatus.Issued && balance > 0 && i.DueDate < today);
        return invoices.Where(overdue ? rule : Expression.Lambda<Func<Invoice, bool>>(Expression.Not(rule.Body), rule.Parameters));
    }

    // Writes a query over an invoice and its open balance: the balance parameter is replaced by the domain's rule.
    private static Expression<Func<Invoice, T>> WithBalance<T>(Expression<Func<Invoice, long, T>> shape)
    {
        var invoice = shape.Parameters[0];
        var balance = new Replace(Invoice.BalanceMinorRule.Parameters[0], invoice).Visit(Invoice.BalanceMinorRule.Body)!;
        return Expression.Lambda<Func<Invoice, T>>(new Replace(shape.Parameters[1], balance).Visit(shape.Body)!, invoice);
    }

    private sealed class Replace(Expression from, Expression to) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node == from ? to : base.Visit(node);
    }
}

/// <summary>An issued invoice with something still owed, as the database reads it for sums and lists.</summary>
public sealed class OpenBalance
{
    public Guid InvoiceId { get; init; }

    public Guid ClientId { get; init; }

    public Currency Currency { get; init; } = Currency.EUR;

    public DateOnly? DueDate { get; init; }

    /// <summary>What is still owed, in minor units (always positive here).</summary>
    public long Minor { get; init; }
}

/// <summary>An invoice's id and its open balance in minor units (gross − paid − credited).</summary>
public sealed class InvoiceBalance
{
    public Guid InvoiceId { get; init; }

    /// <summary>What is still owed, in minor units of the invoice's currency.</summary>
    public long Minor { get; init; }
}
