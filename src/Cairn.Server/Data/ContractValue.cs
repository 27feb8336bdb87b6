using Cairn.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Data;

/// <summary>
/// The value of an organization's active and completed contracts in one currency, and how many there
/// are: the dashboard's contract value. Database triggers on contracts keep it exact in the transaction
/// of every change (a row whose count reaches 0 is deleted, migration 0111), <c>cairn verify</c>
/// compares it with the contracts, and the application only reads it (issue 16: the dashboard summed
/// every active contract on each request).
/// </summary>
public sealed class ContractValue
{
    public Guid OrganizationId { get; private set; }

    public Currency Currency { get; private set; } = Currency.EUR;

    /// <summary>How many active and completed contracts are in <see cref="Currency"/>; always positive.</summary>
    public long Contracts { get; private set; }

    /// <summary>Their values (net), in minor units of <see cref="Currency"/>.</summary>
    public long ValueMinor { get; private set; }
}

internal sealed class ContractValueMapping : IEntityTypeConfiguration<ContractValue>
{
    public void Configure(EntityTypeBuilder<ContractValue> b)
    {
        b.ToTable("contract_values");
        b.HasKey(x => new { x.OrganizationId, x.Currency });
    }
}
