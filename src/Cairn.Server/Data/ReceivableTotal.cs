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
