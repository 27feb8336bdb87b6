using Cairn.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Data;

/// <summary>
/// The running totals of one client's invoices in one currency (every invoice that is not a draft):
/// billed (gross less credited) and collected (paid). Database triggers on invoices keep them exact in
/// the transaction of every change; the application only reads them, for the dashboard.
/// </summary>
public sealed class ReceivableTotal
{
    public Guid OrganizationId { get; private set; }

    public Guid ClientId { get; private set; }

    public Currency Currency { get; private set; } = Currency.EUR;

    public long BilledMinor { get; private set; }

    public long CollectedMinor { get; private set; }
}

internal sealed class ReceivableTotalMapping : IEntityTypeConfiguration<ReceivableTotal>
{
    public void Configure(EntityTypeBuilder<ReceivableTotal> b)
    {
        b.ToTable("receivable_totals");
        b.HasKey(x => new { x.OrganizationId, x.ClientId, x.Currency });
    }
}

/// <summary>
/// What one client still owes in one currency on the invoices falling due on one day: the open
/// balances (<see cref="InvoiceQueries.OpenBalances"/>) summed by due date. Database triggers on
/// invoices keep it exact in the transaction of every change (a row that reaches 0 is deleted),
/// <c>cairn verify</c> compares it with the invoices, and the dashboard and the aging report read
/// it instead of every open invoice (<see cref="InvoiceQueries.OpenReceivables"/>).
/// </summary>
public sealed class OpenReceivable
{
    public Guid OrganizationId { get; private set; }

    public Guid ClientId { get; private set; }

    public Currency Currency { get; private set; } = Currency.EUR;

    /// <summary>The due date (BT-9) shared by the invoices of this row.</summary>
    public DateOnly DueDate { get; private set; }

    /// <summary>Their open balances (gross − paid − credited), in minor units of <see cref="Currency"/>; always positive.</summary>
    public long Minor { get; private set; }
}

internal sealed class OpenReceivableMapping : IEntityTypeConfiguration<OpenReceivable>
{
    public void Configure(EntityTypeBuilder<OpenReceivable> b)
    {
        b.ToTable("open_receivables");
        b.HasKey(x => new { x.OrganizationId, x.ClientId, x.Currency, x.DueDate });
        b.Property(x => x.Minor).HasColumnName("open_minor");
    }
}
