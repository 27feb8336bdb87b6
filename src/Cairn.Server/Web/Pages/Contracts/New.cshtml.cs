using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Contracts;

/// <summary>
/// A new draft contract from a template: the form previews how the template's percentages become
/// amounts of the contract value (the domain's largest-remainder split, so they add up exactly),
/// then creates the draft through the same service as <c>POST /api/v1/contracts</c>.
/// </summary>
public sealed class NewContractModel(CairnDb db, Billing.Contracts contracts, Templates templates, TimeProvider clock) : StaffPage
{
    public const string Form = "contract";

    [BindProperty(SupportsGet = true)]
    public Guid? ClientId { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? TemplateId { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Value { get; set; }

    [BindProperty]
    public string? Currency { get; set; }

    [BindProperty]
    public string? TaxRate { get; set; }

    /// <summary>The title of the contract whose tax the form proposes (the client's last, else the organization's last); null when there is none.</summary>
    public string? TaxFrom { get; private set; }

    [BindProperty]
    public string? TaxExemptionReason { get; set; }

    /// <summary>The UNCL5305 tax category (S, Z, E, AE, K, G, O); empty: from the rate (S above 0%, E at 0%).</summary>
    [BindProperty]
    public string? TaxCategory { get; set; }

    /// <summary>The VATEX exemption code for an untaxed category, e.g. VATEX-EU-132.</summary>
    [BindProperty]
    public string? TaxExemptionCode { get; set; }

    /// <summary>The buyer reference (EN 16931 BT-10, e.g. the Leitweg-ID of a German public buyer) the invoices carry.</summary>
    [BindProperty]
    public string? BuyerReference { get; set; }

    /// <summary>The buyer's purchase order reference (BT-13) the invoices carry.</summary>
    [BindProperty]
    public string? PurchaseOrderReference { get; set; }

    [BindProperty]
    public int? PaymentTermsDays { get; set; }

    [BindProperty]
    public int? ApprovalWindowDays { get; set; }

    public IReadOnlyList<Client> Clients { get; private set; } = [];

    public IReadOnlyList<Template> Templates { get; private set; } = [];

    /// <summary>The template's milestones priced from the value, when the value reads as an amount.</summary>
    public IReadOnlyList<(string Title, Percentage Share, Money Amount)>? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var organization = await LoadAsync(cancellationToken);
        if (!Can(Permission.ManageContracts))
            Refuse(Form, "create contracts");
        Currency ??= organization.DefaultCurrency.Code;
        PaymentTermsDays ??= organization.PaymentTermsDays;
        ApprovalWindowDays ??= organization.ApprovalWindowDays;
        TemplateId ??= Templates.Count > 0 ? Templates[0].Id : null;
        await ProposeLastTaxAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        PostedForm = Form;
        try
        {
            Preview = Price(Templates.FirstOrDefault(t => t.Id == TemplateId) ?? throw new DomainException(new DomainError("required", "Choose a template.", "templateId")));
        }
        catch (DomainException e)
        {
            Errors[e.Error.Field ?? FormError] = e.Error.Message;
            Response.StatusCode = Failure.StatusOf(e.Error);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var organization = await LoadAsync(cancellationToken);
        Contract? contract = null;
        var ok = await TryChangeAsync(db, Form, Permission.ManageContracts, "create contracts", async () =>
        {
            if (ClientId is not { } clientId)
                throw new DomainException(new DomainError("required", "Choose the client.", "clientId"));
            var template = TemplateId is { } id ? await templates.FindAsync(id, cancellationToken) : null;
            var input = new ContractInput(clientId, Title, new MoneyInput(FormNumbers.Amount(Value, Currency), Currency), TaxRate?.Trim(), TaxExemptionReason, PaymentTermsDays, ApprovalWindowDays ?? 0, null,
                string.IsNullOrWhiteSpace(TaxCategory) ? null : TaxCategory.Trim(), string.IsNullOrWhiteSpace(TaxExemptionCode) ? null : TaxExemptionCode.Trim());
            contract = await contracts.CreateAsync(Caller.OrganizationId, clientId, input.ToTerms(null, organization), template, Caller.Actor, cancellationToken);
            if (!string.IsNullOrWhiteSpace(BuyerReference) || !string.IsNullOrWhiteSpace(PurchaseOrderReference))
                await contracts.SetReferencesAsync(contract, BuyerReference, PurchaseOrderReference, Caller.Actor, cancellationToken);
        });
        if (!ok)
        {
            TryPreview();
            return Page();
        }

        Flash = "Draft contract created. Check the plan, set due dates, then activate it when the client has accepted.";
        return Redirect($"/contracts/{contract!.Id}");
    }

    // Cairn keeps no table of national VAT rates (they change): the form proposes the tax of the
    // client's last contract, else of the organization's last one, and leaves the rate empty for the first.
    private async Task ProposeLastTaxAsync(CancellationToken cancellationToken)
    {
        if (TaxRate is not null)
            return;
        var newestFirst = db.Contracts.AsNoTracking().OrderByDescending(c => c.Id); // version 7 ids: newest first
        var last = (ClientId is { } clientId ? await newestFirst.FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken) : null)
            ?? await newestFirst.FirstOrDefaultAsync(cancellationToken);
        if (last is null)
            return;
        TaxFrom = last.Title;
        TaxRate = last.TaxRate.ToDecimalString();
        TaxCategory = last.TaxCategory.ToString();
        TaxExemptionCode = last.TaxExemptionCode;
        TaxExemptionReason = last.TaxExemptionReason;
    }

    private void TryPreview()
    {
        try
        {
            if (Templates.FirstOrDefault(t => t.Id == TemplateId) is { } template)
                Preview = Price(template);
        }
        catch (DomainException)
        {
            // The form already says what is wrong with the value.
        }
    }

    // The amounts the created contract will have: the template's plan on an unsaved contract of this value.
    private List<(string Title, Percentage Share, Money Amount)> Price(Template template)
    {
        var value = new MoneyInput(FormNumbers.Amount(Value, Currency), Currency).ToMoney("value");
        var draft = new Contract(Guid.Empty, Caller.OrganizationId, Guid.Empty, "Preview", value, Percentage.FromBasisPoints(2000), 30, clock.GetUtcNow());
        foreach (var terms in template.ToTerms())
            draft.AddMilestone(Guid.CreateVersion7(), terms);
        return draft.Milestones.Select(m => (m.Title, m.Percentage ?? Percentage.Zero, m.Amount)).ToList();
    }

    private async Task<Organization> LoadAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "contracts";
        Clients = await db.Clients.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        Templates = await templates.ListAsync(cancellationToken);
        return await db.Organizations.AsNoTracking().SingleAsync(cancellationToken);
    }
}
