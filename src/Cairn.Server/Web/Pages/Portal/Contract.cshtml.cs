using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>
/// One contract of the contact's client: each milestone's acceptance criteria and submitted
/// deliverables, and the client's decisions on submitted work (approve, request changes,
/// dispute), made through the same service as the API. Any other client's contract or milestone is a 404.
/// </summary>
public sealed class PortalContractModel(CairnDb db, Milestones milestones, ChangeOrders changeOrders, BusinessDays businessDays) : WebPage
{
    public Contract Contract { get; private set; } = null!;

    public string OrganizationName { get; private set; } = "";

    public MilestoneBilling Billing { get; private set; } = null!;

    /// <summary>The business day, for what each milestone allows now.</summary>
    public DateOnly Today { get; private set; }

    public ILookup<Guid, MilestoneEvent> History { get; private set; } = null!;

    public ActorNames Names { get; private set; } = null!;

    /// <summary>Change orders proposed to the client and waiting for their decision.</summary>
    public IReadOnlyList<ChangeOrder> Proposed { get; private set; } = [];

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        return await LoadAsync(contact, id, cancellationToken) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostApproveAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        DecideAsync(id, milestoneId, "approve", "Thank you: the milestone is approved.", (c, m, actor) => milestones.ApproveAsync(c, m, actor, ct), ct);

    public Task<IActionResult> OnPostChangesAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        DecideAsync(id, milestoneId, "changes", "Your request for changes was sent.", (c, m, actor) => milestones.RequestChangesAsync(c, m, Reason ?? "", actor, ct), ct);

    public Task<IActionResult> OnPostDisputeAsync(Guid id, Guid milestoneId, CancellationToken ct) =>
        DecideAsync(id, milestoneId, "dispute", "Your dispute was recorded; we will be in touch.", (c, m, actor) => milestones.DisputeAsync(c, m, Reason ?? "", actor, ct), ct);

    private async Task<IActionResult> DecideAsync(Guid id, Guid milestoneId, string action, string done, Func<Contract, Milestone, Actor, Task> decide, CancellationToken ct)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();

        // A contact acts only on their own client's milestones: anything else is not there for them.
        var theirs = await PortalAccess.ContractsOf(db, contact).AsNoTracking().AnyAsync(c => c.Id == id && c.Milestones.Any(m => m.Id == milestoneId), ct);
        if (!theirs)
            return NotFound();
        var ok = await TryChangeAsync(db, $"{action}-{milestoneId}", async () =>
        {
            var (contract, milestone) = await milestones.LoadForChangeAsync(milestoneId, ct);
            await decide(contract, milestone, contact.Actor);
        });
        if (ok)
        {
            Flash = done;
            return Redirect($"/portal/contracts/{id}#m-{milestoneId}");
        }

        return await LoadAsync(contact, id, ct) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostApproveChangeAsync(Guid id, Guid changeOrderId, CancellationToken ct) =>
        DecideChangeAsync(id, changeOrderId, "Thank you: the change is approved and the plan is updated.", (organizationId, actor) => changeOrders.ApproveAsync(organizationId, changeOrderId, actor, ct), ct);

    public Task<IActionResult> OnPostRejectChangeAsync(Guid id, Guid changeOrderId, CancellationToken ct) =>
        DecideChangeAsync(id, changeOrderId, "The change was rejected; the contract stays as it is.", (organizationId, actor) => changeOrders.RejectAsync(organizationId, changeOrderId, actor, ct), ct);

    private async Task<IActionResult> DecideChangeAsync(Guid id, Guid changeOrderId, string done, Func<Guid, Actor, Task<ChangeOrder>> decide, CancellationToken ct)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();

        // Only a change order proposed on a contract of the contact's own client is theirs to decide.
        var theirs = await PortalAccess.ContractsOf(db, contact).AnyAsync(c => c.Id == id, ct)
            && await db.ChangeOrders.AnyAsync(o => o.Id == changeOrderId && o.ContractId == id && o.Status != ChangeOrderStatus.Draft, ct);
        if (!theirs)
            return NotFound();
        if (await TryChangeAsync(db, $"co-{changeOrderId}", () => decide(contact.OrganizationId, contact.Actor)))
        {
            Flash = done;
            return Redirect($"/portal/contracts/{id}");
        }

        return await LoadAsync(contact, id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Caller contact, Guid id, CancellationToken ct)
    {
        ViewData["Portal"] = true;
        if (await PortalAccess.ContractForContactAsync(db, contact, id, ct) is not { } contract || contract.Status == ContractStatus.Draft)
            return false;
        Contract = contract;
        Billing = await MilestoneBilling.ForContractAsync(db, id, ct);
        Today = await businessDays.TodayAsync(ct);
        var ids = contract.Milestones.Select(m => m.Id).ToList();
        History = (await db.MilestoneEvents.AsNoTracking().Where(e => ids.Contains(e.MilestoneId)).ToListAsync(ct))
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToLookup(e => e.MilestoneId);
        OrganizationName = await db.Organizations.AsNoTracking().Select(o => o.Name).SingleAsync(ct);
        ViewData["PortalTitle"] = $"{OrganizationName} · client portal";
        Names = await ActorNames.LoadAsync(db, ct);
        Proposed = await db.ChangeOrders.AsNoTracking().Include(o => o.Items).Where(o => o.ContractId == id && o.Status == ChangeOrderStatus.Proposed).OrderBy(o => o.Id).ToListAsync(ct);
        return true;
    }
}
