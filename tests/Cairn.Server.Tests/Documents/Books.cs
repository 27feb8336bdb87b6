using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Localization;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Cairn.Server.Tests.Documents;

/// <summary>Invoices, payments and credit notes put into a real database through the domain and the billing service.</summary>
internal static class Books
{
    public const string PaymentInstructions = "Bank transfer to IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP, account holder Acme Studio SAS.";

    public static readonly DateOnly Today = DateOnly.FromDateTime(Seed.Now.UtcDateTime);

    /// <summary>Gives the organization payment instructions, and makes approval leave drafts when <paramref name="reviewDrafts"/>.</summary>
    public static async Task ConfigureAsync(Engine engine, Guid organizationId, bool reviewDrafts = false)
    {
        await using var db = engine.NewDb(organizationId);
        var organization = await db.Organizations.SingleAsync();
        organization.PaymentInstructions = PaymentInstructions;
        organization.IssueMode = reviewDrafts ? InvoiceIssueMode.DraftForReview : InvoiceIssueMode.Immediately;
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A client (with the structured <paramref name="party"/> details, if given), an active contract "Website rebuild" of one approved milestone "Design" worth
    /// <paramref name="amount"/> at <paramref name="rate"/>, and its invoice. In an organization that
    /// reviews drafts, the draft gets <paramref name="extraLines"/> and is issued unless <paramref name="issue"/> is false.
    /// </summary>
    public static async Task<Guid> InvoiceAsync(
        Engine engine,
        Guid organizationId,
        string amount = "3000.00",
        string rate = "20",
        string? exemption = null,
        IEnumerable<(string Description, string Net, string Rate)>? extraLines = null,
        string buyer = "Globex Corporation",
        bool issue = true,
        Language language = Language.En,
        PartyDetails? party = null)
    {
        var eur = Currency.EUR;
        await using var db = engine.NewDb(organizationId);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var organization = await db.Organizations.SingleAsync();
        var client = new Client(Guid.CreateVersion7(), organizationId, buyer, Seed.Now) { Address = "2 Main Street, Springfield", TaxId = "US-EIN 12-3456789", Email = "ap@globex.test", Language = language, Party = party ?? PartyDetails.Empty };
        db.Clients.Add(client);
        var contract = new Contract(Guid.CreateVersion7(), organizationId, client.Id, "Website rebuild", Money.Parse(amount, eur), Percentage.Parse(rate), 30, Seed.Now, exemption);
        var milestone = contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms("Design", "Wireframes and visual design", "Signed off by the client", null, Money.Parse(amount, eur), null));
        contract.Activate(Seed.Now);
        var pm = new Actor(ActorKind.User, "pm", "Project manager");
        milestone.Start(pm, Seed.Now);
        milestone.Submit("Delivered", ["https://example.test/design"], pm, Seed.Now);
        milestone.Approve(Seed.Client, Seed.Now);
        db.Contracts.Add(contract);
        await db.SaveChangesAsync();

        var invoicing = new Invoicing(db, new FakeTimeProvider(Seed.Now));
        var invoice = await invoicing.BillMilestoneAsync(organization, contract, milestone, Actor.System);
        if (invoice.Status == InvoiceStatus.Draft)
        {
            foreach (var (description, net, lineRate) in extraLines ?? [])
                invoice.AddLine(description, Money.Parse(net, eur), Percentage.Parse(lineRate));
            if (issue)
                await invoicing.IssueAsync(organization, invoice, Actor.System);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return invoice.Id;
    }

    /// <summary>Records a payment of <paramref name="amount"/> from the invoice's client, applied to it.</summary>
    public static async Task PayAsync(Engine engine, Guid organizationId, Guid invoiceId, string amount)
    {
        await using var db = engine.NewDb(organizationId);
        var invoice = await db.Invoices.SingleAsync(i => i.Id == invoiceId);
        var payment = new Payment(Guid.CreateVersion7(), organizationId, invoice.ClientId, Money.Parse(amount, invoice.Currency), Today, "bank_transfer", invoice.Number, Seed.Now);
        payment.ApplyTo(invoice, payment.Amount, Seed.Now);
        db.Payments.Add(payment);
        await db.SaveChangesAsync();
    }

    /// <summary>Issues a credit note of <paramref name="gross"/> against the invoice, numbered in the organization's series.</summary>
    public static async Task<Guid> CreditAsync(Engine engine, Guid organizationId, Guid invoiceId, string gross, string reason)
    {
        await using var db = engine.NewDb(organizationId);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var organization = await db.Organizations.SingleAsync();
        var invoice = await db.Invoices.Include(i => i.Lines).SingleAsync(i => i.Id == invoiceId);
        var client = await db.Clients.SingleAsync(c => c.Id == invoice.ClientId);
        var earlier = await db.CreditNotes.Where(n => n.InvoiceId == invoiceId).ToListAsync();
        var number = await DocumentNumbers.NextAsync(db, organizationId, NumberFormat.Parse(organization.CreditNoteSeriesFormat), Today);
        var note = new CreditNote(Guid.CreateVersion7(), invoice, CreditSplit.Proportional(CreditSplit.Remaining(invoice, earlier), Money.Parse(gross, invoice.Currency)), reason, number, Today, organization.ToSnapshot(), client.ToSnapshot(organization.CountryCode), Seed.Now);
        invoice.Credit(note.Gross);
        db.CreditNotes.Add(note);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return note.Id;
    }

    /// <summary>The invoice as the database holds it, with its lines: the values the API prints.</summary>
    public static async Task<Invoice> LoadAsync(Engine engine, Guid organizationId, Guid invoiceId)
    {
        await using var db = engine.NewDb(organizationId);
        return await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleAsync(i => i.Id == invoiceId);
    }

    /// <summary>An amount as people read it in the app and the PDF (the one format, <see cref="Formats.Amount"/>): <c>3,600.00 EUR</c>.</summary>
    public static string Printed(Money money) => Formats.Amount(money);

    /// <summary>An amount without currency as people read it: <c>3,000.00</c>.</summary>
    public static string Number(Money money) => Formats.Number(money);
}
