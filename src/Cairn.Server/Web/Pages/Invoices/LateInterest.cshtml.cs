using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Reminders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Invoices;

/// <summary>
/// "Charge late-payment interest" on a late invoice: shows what <see cref="LateInterestCharges"/> computes
/// today (each stretch of days, the statutory rate, the interest and the 40 EUR compensation) and, once
/// confirmed, issues the new interest invoice as <c>POST /api/v1/invoices/{id}/late-interest</c> does.
/// A refusal (interest off, nothing late, already charged) is shown as a sentence.
/// </summary>
public sealed class InvoiceLateInterestModel(CairnDb db, LateInterestCharges charges, ReminderRules reminderRules) : StaffPage
{
    /// <summary>The form's name for its errors.</summary>
    public const string Form = "charge";

    public Guid InvoiceId { get; private set; }

    public string? InvoiceNumber { get; private set; }

    /// <summary>What would be charged today, or null when it is refused.</summary>
    public LateInterestComputation? Computation { get; private set; }

    /// <summary>Why interest cannot be charged, as a sentence; null when it can.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The live interest invoice that already charges it, if any.</summary>
    public (Guid Id, string? Number)? Charged { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        Invoice? charge = null;
        if (await TryChangeAsync(db, Form, Permission.ManageInvoices, "charge late-payment interest", async () =>
            (charge, _) = await charges.ChargeAsync(id, Caller.Actor, ct)))
        {
            Flash = $"Late-payment interest charged on this new invoice ({Ui.Money(charge!.Gross)}); invoice {InvoiceNumberOf(id)} is unchanged.";
            return Redirect($"/invoices/{charge.Id}");
        }

        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private string InvoiceNumberOf(Guid id) => db.Invoices.AsNoTracking().Where(i => i.Id == id).Select(i => i.Number).SingleOrDefault() ?? "";

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        ViewData["Section"] = "invoices";
        if (await db.Invoices.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.Id, i.Number }).SingleOrDefaultAsync(ct) is not { } invoice)
            return false;
        (InvoiceId, InvoiceNumber) = (invoice.Id, invoice.Number);
        Charged = (await db.Invoices.AsNoTracking().Where(i => i.LateInterestFor == id && i.Status != InvoiceStatus.Void)
            .Select(i => new { i.Id, i.Number }).ToListAsync(ct)).Select(i => ((Guid, string?)?)(i.Id, i.Number)).FirstOrDefault();
        if (!(await reminderRules.OfOrganizationAsync(ct)).ChargeLateInterest)
            Refusal = new LateInterestOff().Message;
        else if (Charged is not null)
            Refusal = new LateInterestCharged(id).Message.Replace(id.ToString(), InvoiceNumber ?? id.ToString(), StringComparison.Ordinal);
        else
        {
            try
            {
                (_, Computation) = await charges.ComputeAsync(id, ct);
            }
            catch (DomainException e)
            {
                Refusal = e.Error.Message;
            }
        }

        return true;
    }
}
