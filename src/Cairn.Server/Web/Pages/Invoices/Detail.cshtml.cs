using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Reminders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Invoices;

/// <summary>One invoice as printed, how it was settled, and the finance actions: issue a draft, record or reverse a payment, apply the client's credit, issue a credit note.</summary>
public sealed class InvoiceDetailModel(CairnDb db, Invoicing invoicing, Payments payments, CreditNotes creditNotes, InvoiceSending sending, BusinessDays businessDays, LateInterestCharges lateInterest, ReminderRules reminderRules) : StaffPage
{
    /// <summary>Who "Send invoice" emails when no contact is ticked (<see cref="InvoiceSending.DefaultRecipientsAsync"/>).</summary>
    public IReadOnlyList<SendRecipient> DefaultRecipients { get; private set; } = [];

    /// <summary>The client's contacts, to send to instead.</summary>
    public IReadOnlyList<Contact> Contacts { get; private set; } = [];

    /// <summary>Whether the client's emails carry the UBL e-invoice beside the PDF.</summary>
    public bool WithUbl { get; private set; }

    /// <summary>The names of the staff who sent the invoice, by actor (<c>user:…</c>).</summary>
    public IReadOnlyDictionary<string, string> Senders { get; private set; } = new Dictionary<string, string>();

    [BindProperty]
    public List<Guid> Recipients { get; set; } = [];

    /// <summary>The reminder steps sent or skipped for this invoice.</summary>
    public IReadOnlyList<ReminderTrailRow> ReminderTrail { get; private set; } = [];

    /// <summary>The live invoice that charges this one's late-payment interest, if any.</summary>
    public (Guid Id, string? Number)? InterestInvoice { get; private set; }

    /// <summary>The late invoice whose interest this invoice charges, if it is an interest invoice.</summary>
    public (Guid Id, string? Number)? InterestFor { get; private set; }

    /// <summary>Whether "Charge late-payment interest" is offered: the organization charges it, the invoice was or is paid late, and no live interest invoice exists.</summary>
    public bool CanChargeInterest { get; private set; }

    public InvoiceDetailJson Invoice { get; private set; } = null!;

    public string ContractTitle { get; private set; } = "";

    public string? MilestoneTitle { get; private set; }

    /// <summary>Whether the organization has not said how clients pay it (its PDFs carry no payment instructions).</summary>
    public bool PaymentDetailsMissing { get; private set; }

    /// <summary>The client's unapplied credit in the invoice's currency.</summary>
    public MoneyTotal? Credit { get; private set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? ReceivedOn { get; set; }

    [BindProperty]
    public string? Method { get; set; }

    [BindProperty]
    public string? Reference { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostIssueAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, "issue", Permission.ManageInvoices, "issue invoices", "Invoice issued.", async () =>
        {
            var invoice = await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new DomainException(new NotFound("invoice", id));
            await invoicing.IssueAsync(await db.Organizations.SingleAsync(ct), invoice, Caller.Actor, ct);
        }, ct);

    public Task<IActionResult> OnPostSendAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, "send", Permission.ManageInvoices, "send invoices", "Invoice sent: the email leaves in a moment.", async () =>
            await sending.SendAsync(id, Recipients, Caller.Actor, ct), ct);

    public Task<IActionResult> OnPostPaymentAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, "payment", Permission.ManagePayments, "record payments", "Payment recorded.", async () =>
        {
            var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new DomainException(new NotFound("invoice", id));
            var amount = Money.Parse(FormNumbers.Amount(Amount, invoice.Currency.Code), invoice.Currency, "amount");
            var receivedOn = Inputs.Date(ReceivedOn, "receivedOn");
            var method = Inputs.Required(Method, "method", 50);
            var reference = Inputs.Optional(Reference, "reference", 200);
            await payments.RecordAsync(Caller.OrganizationId, invoice.ClientId, amount, receivedOn, method, reference, [id], Caller.Actor, ct);
        }, ct);

    public Task<IActionResult> OnPostApplyCreditAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, "apply-credit", Permission.ManagePayments, "apply credit", "Credit applied.", async () =>
        {
            var invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new DomainException(new NotFound("invoice", id));
            await payments.ApplyCreditAsync(Caller.OrganizationId, id, Money.Parse(Amount?.Trim(), invoice.Currency, "amount"), Caller.Actor, ct);
        }, ct);

    /// <summary>For an issued invoice with several tax groups: what is left to credit in each (EN 16931 BG-23), in the invoice's order; empty otherwise.</summary>
    public IReadOnlyList<TaxSubtotal> CreditGroups { get; private set; } = [];

    /// <summary>The proportional split of the credit form's amount over <see cref="CreditGroups"/> (what the credit note takes when no net is given), once previewed.</summary>
    public IReadOnlyList<TaxSubtotal>? CreditPreview { get; private set; }

    /// <summary>The net to credit in each of <see cref="CreditGroups"/>, as the credit form posts it; all empty: the amount is split in proportion.</summary>
    [BindProperty]
    public List<string?> GroupNet { get; set; } = [];

    /// <summary>Issues a credit note (the same as <c>POST /api/v1/invoices/{id}/credit-notes</c>): of the nets given per tax group, else of the gross amount split in proportion.</summary>
    public Task<IActionResult> OnPostCreditAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, "credit", Permission.ManageCreditNotes, "issue credit notes", "Credit note issued.", async () =>
        {
            var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new DomainException(new NotFound("invoice", id));
            var groups = invoice.Totals.PerRate;
            var given = GroupNet.Select((net, i) => (Net: net, Index: i)).Where(g => !string.IsNullOrWhiteSpace(g.Net) && g.Index < groups.Count).ToList();
            if (given.Count == 0)
            {
                await creditNotes.IssueAsync(id, Money.Parse(FormNumbers.Amount(Amount, invoice.Currency.Code), invoice.Currency, "amount"), Reason, Caller.Actor, ct);
                return;
            }

            var lines = given.Select(g => new CreditedGroup(groups[g.Index].Category, groups[g.Index].Rate, Money.Parse(FormNumbers.Amount(g.Net, invoice.Currency.Code), invoice.Currency, $"groupNet{g.Index}"))).ToList();
            try
            {
                await creditNotes.IssueAsync(id, null, lines, Reason, Caller.Actor, ct);
            }
            catch (DomainException e) when (e.Error.Field is { } field && field.StartsWith("lines[", StringComparison.Ordinal))
            {
                // The API names the n-th line given; the form names the group's own field.
                var n = int.Parse(field[6..field.IndexOf(']', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                throw new DomainException(e.Error with { Field = $"groupNet{given[n].Index}" });
            }
        }, ct);

    /// <summary>Shows how the credit form's amount would be split over the tax groups, and fills the nets with it to adjust; changes nothing.</summary>
    public async Task<IActionResult> OnPostCreditPreviewAsync(Guid id, CancellationToken ct)
    {
        PostedForm = "credit";
        if (!await LoadAsync(id, ct))
            return NotFound();
        try
        {
            var amount = Money.Parse(FormNumbers.Amount(Amount, Invoice.Currency), Cairn.Domain.Currency.Of(Invoice.Currency), "amount");
            CreditPreview = CreditSplit.Proportional(CreditGroups, amount);
            GroupNet = [.. CreditGroups.Select(g => CreditPreview.FirstOrDefault(p => p.Category == g.Category && p.Rate == g.Rate)?.Net.ToDecimalString() ?? "")];
            ModelState.Clear();
        }
        catch (DomainException e)
        {
            Errors[e.Error.Field ?? FormError] = e.Error.Message;
            Response.StatusCode = Failure.StatusOf(e.Error);
        }

        return Page();
    }

    public Task<IActionResult> OnPostReverseAsync(Guid id, Guid paymentId, CancellationToken ct) =>
        ChangeAsync(id, $"reverse-{paymentId}", Permission.ManagePayments, "reverse payments", "Payment reversed: what it paid is open again.", async () =>
        {
            // Only a payment applied to this invoice is reversed from its page.
            if (!await db.PaymentApplications.AnyAsync(a => a.PaymentId == paymentId && a.InvoiceId == id, ct))
                throw new DomainException(new NotFound("payment", paymentId));
            await payments.ReverseAsync(Caller.OrganizationId, paymentId, Inputs.Optional(Reason, "reason", 1000), Caller.Actor, ct);
        }, ct);

    private async Task<IActionResult> ChangeAsync(Guid id, string form, Permission permission, string what, string done, Func<Task> work, CancellationToken ct)
    {
        if (await TryChangeAsync(db, form, permission, what, work))
        {
            Flash = done;
            return Redirect($"/invoices/{id}");
        }

        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        ViewData["Section"] = "invoices";
        var today = await businessDays.TodayAsync(ct);
        if (await InvoicesEndpoints.DetailAsync(db, id, today, ct) is not { } invoice)
            return false;
        Invoice = invoice;
        ContractTitle = await db.Contracts.AsNoTracking().Where(c => c.Id == invoice.ContractId).Select(c => c.Title).SingleAsync(ct);
        MilestoneTitle = invoice.MilestoneId is { } m ? await db.Milestones.AsNoTracking().Where(x => x.Id == m).Select(x => x.Title).SingleOrDefaultAsync(ct) : null;
        PaymentDetailsMissing = !PaymentDetails.AreGiven(await db.Organizations.AsNoTracking().Select(o => o.PaymentInstructions).SingleAsync(ct));
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == invoice.ClientId, ct);
        DefaultRecipients = await InvoiceSending.DefaultRecipientsAsync(db, client, ct);
        Contacts = await db.Contacts.AsNoTracking().Where(c => c.ClientId == client.Id).OrderBy(c => c.Name).ToListAsync(ct);
        WithUbl = client.WantsUblByEmail;
        var senderIds = invoice.Sends.Select(s => s.SentBy).Where(s => s.StartsWith("user:", StringComparison.Ordinal))
            .Select(s => Guid.TryParse(s[5..], out var u) ? u : Guid.Empty).Distinct().ToList();
        Senders = await db.Users.AsNoTracking().Where(u => senderIds.Contains(u.Id)).ToDictionaryAsync(u => $"user:{u.Id}", u => u.DisplayName, ct);
        await LoadRemindersAsync(invoice, ct);
        Credit = (await payments.BalanceAsync(invoice.ClientId, ct)).Where(b => b.UnappliedCredit.Currency.Code == invoice.Currency).Select(b => (MoneyTotal?)b.UnappliedCredit).SingleOrDefault();
        if (invoice.Status is InvoiceStatus.Issued or InvoiceStatus.Paid && invoice.TaxBreakdown.Count > 1)
        {
            var credited = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleAsync(i => i.Id == id, ct);
            CreditGroups = CreditSplit.Remaining(credited, await db.CreditNotes.AsNoTracking().Where(n => n.InvoiceId == id).ToListAsync(ct));
        }

        if (PostedForm is null)
            Amount = invoice.Balance.Amount;

        // The payment form keeps what was posted to it; after any other form it shows its defaults again.
        if (PostedForm != "payment")
        {
            ReceivedOn = Ui.Date(today);
            Method = "bank transfer";
            Reference = null;
        }

        return true;
    }

    private async Task LoadRemindersAsync(InvoiceDetailJson invoice, CancellationToken ct)
    {
        ReminderTrail = await ReminderTrailRow.OfAsync(db, db.Invoices.Where(x => x.Id == invoice.Id), ct);
        var lateFor = await db.Invoices.AsNoTracking().Where(x => x.Id == invoice.Id).Select(x => x.LateInterestFor).SingleAsync(ct);
        InterestFor = lateFor is { } l ? (l, await db.Invoices.AsNoTracking().Where(x => x.Id == l).Select(x => x.Number).SingleAsync(ct)) : null;
        InterestInvoice = (await db.Invoices.AsNoTracking().Where(x => x.LateInterestFor == invoice.Id && x.Status != InvoiceStatus.Void)
            .Select(x => new { x.Id, x.Number }).ToListAsync(ct)).Select(x => ((Guid, string?)?)(x.Id, x.Number)).FirstOrDefault();
        if (lateFor is not null || InterestInvoice is not null || invoice.Status is not (InvoiceStatus.Issued or InvoiceStatus.Paid)
            || !Can(Permission.ManageInvoices) || !(await reminderRules.OfOrganizationAsync(ct)).ChargeLateInterest)
            return;
        try
        {
            await lateInterest.ComputeAsync(invoice.Id, ct);
            CanChargeInterest = true;
        }
        catch (DomainException e) when (e.Error.Code != "not_late")
        {
            // Late, but not computable today (e.g. a missing reference rate): the confirmation page says why.
            CanChargeInterest = true;
        }
        catch (DomainException)
        {
            // Paid on time: nothing to charge.
        }
    }
}
