using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Contracts;

/// <summary>Every contract with its client, status and progress; filterable by status.</summary>
public sealed class ContractsIndexModel(CairnDb db) : StaffPage
{
    public IReadOnlyList<ContractListRow> Contracts { get; private set; } = [];

    public string? Status { get; private set; }

    public async Task OnGetAsync(string? status, CancellationToken cancellationToken)
    {
        ViewData["Section"] = "contracts";
        Status = status;
        var wanted = Enum.GetValues<ContractStatus>().Cast<ContractStatus?>().FirstOrDefault(s => Inputs.NameOf(s!.Value) == status);
        var contracts = await db.Contracts.AsNoTracking().Include(c => c.Milestones)
            .Where(c => wanted == null || c.Status == wanted)
            .OrderByDescending(c => c.Id).Take(500).ToListAsync(cancellationToken);
        var ids = contracts.Select(c => c.Id).ToList();
        var invoices = (await db.Invoices.AsNoTracking().Where(i => ids.Contains(i.ContractId)).ToListAsync(cancellationToken)).ToLookup(i => i.ContractId);
        var creditNotes = (await db.CreditNotes.AsNoTracking().Where(n => db.Invoices.Where(i => ids.Contains(i.ContractId)).Select(i => i.Id).Contains(n.InvoiceId)).ToListAsync(cancellationToken)).ToLookup(n => n.InvoiceId);
        var clients = await db.Clients.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        Contracts = contracts.Select(c => new ContractListRow(c, clients.GetValueOrDefault(c.ClientId, ""),
            BillingFigures.Of(c, c.Milestones, invoices[c.Id], invoices[c.Id].SelectMany(i => creditNotes[i.Id])))).ToList();
    }
}

/// <summary>A contract in the list with its progress figures.</summary>
public sealed record ContractListRow(Contract Contract, string Client, BillingFigures Progress);
