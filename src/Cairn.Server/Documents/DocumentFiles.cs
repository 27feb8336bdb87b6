using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Documents;

/// <summary>A rendered document ready to download.</summary>
/// <param name="FileName">A safe file name, e.g. <c>INV-2026-000001.pdf</c>.</param>
/// <param name="Content">The PDF bytes.</param>
public sealed record PdfFile(string FileName, byte[] Content);

/// <summary>
/// Loads an invoice or credit note of the current tenant with what its PDF shows (contract,
/// milestone, payment instructions, the organization's logo and accent, the client's language) and
/// renders it, with its CII embedded as a Factur-X PDF/A-3 whenever the document has a CII form
/// (<see cref="EInvoiceFiles.FacturX"/>). Used by the API, the client portal and emailed attachments.
/// </summary>
public static class DocumentFiles
{
    /// <summary>The PDF of an invoice, or null when the tenant has no such invoice.</summary>
    /// <param name="paper">The paper; by default Letter for USD/CAD organizations, A4 for the rest.</param>
    /// <exception cref="DomainException"><c>invalid_transition</c> (409) for a draft, which has no number yet.</exception>
    public static async Task<PdfFile?> InvoiceAsync(CairnDb db, Guid invoiceId, Paper? paper = null, CancellationToken cancellationToken = default)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice is null)
            return null;
        if (invoice.Status == InvoiceStatus.Draft)
            throw new DomainException(new InvalidTransition("invoice", invoice.Id, "print", invoice.Status.ToString(), "A draft invoice has no number yet; issue it before downloading its PDF."));

        var organization = await db.Organizations.AsNoTracking().Select(o => new { o.PaymentInstructions, o.DefaultCurrency }).SingleAsync(cancellationToken);
        var contractTitle = await db.Contracts.AsNoTracking().Where(c => c.Id == invoice.ContractId).Select(c => c.Title).SingleOrDefaultAsync(cancellationToken);
        var milestoneTitle = invoice.MilestoneId is { } milestoneId
            ? await db.Milestones.AsNoTracking().Where(m => m.Id == milestoneId).Select(m => m.Title).SingleOrDefaultAsync(cancellationToken)
            : null;
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == invoice.ClientId).Select(c => new { c.Language, c.EInvoiceProfile }).SingleAsync(cancellationToken);
        var facturX = EInvoiceFiles.FacturX(() => Cii.Invoice(invoice, new UblContext(client.EInvoiceProfile, organization.PaymentInstructions)));
        var details = new InvoiceDocument(contractTitle ?? "", milestoneTitle, organization.PaymentInstructions, paper ?? InvoiceDocument.PaperFor(organization.DefaultCurrency), client.Language, facturX)
        {
            Brand = await DocumentBrand.OfTenantAsync(db, cancellationToken),
        };
        return new PdfFile(FileName(invoice.Number!), InvoicePdf.Render(invoice, details));
    }

    /// <summary>The PDF of a credit note, or null when the tenant has no such credit note.</summary>
    /// <param name="paper">The paper; by default Letter for USD/CAD organizations, A4 for the rest.</param>
    public static async Task<PdfFile?> CreditNoteAsync(CairnDb db, Guid creditNoteId, Paper? paper = null, CancellationToken cancellationToken = default)
    {
        var note = await db.CreditNotes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == creditNoteId, cancellationToken);
        if (note is null)
            return null;

        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleAsync(i => i.Id == note.InvoiceId, cancellationToken);
        var contractTitle = await db.Contracts.AsNoTracking().Where(c => c.Id == invoice.ContractId).Select(c => c.Title).SingleOrDefaultAsync(cancellationToken);
        var organization = await db.Organizations.AsNoTracking().Select(o => new { o.PaymentInstructions, o.DefaultCurrency }).SingleAsync(cancellationToken);
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == note.ClientId).Select(c => new { c.Language, c.EInvoiceProfile }).SingleAsync(cancellationToken);
        var facturX = EInvoiceFiles.FacturX(() => Cii.CreditNote(note, invoice, new UblContext(client.EInvoiceProfile, organization.PaymentInstructions)));
        var details = new CreditNoteDocument(invoice.Number ?? "", contractTitle, paper ?? InvoiceDocument.PaperFor(organization.DefaultCurrency), client.Language, facturX)
        {
            Brand = await DocumentBrand.OfTenantAsync(db, cancellationToken),
            Groups = note.GroupsOn(invoice),
        };
        return new PdfFile(FileName(note.Number), CreditNotePdf.Render(note, details));
    }

    /// <summary>The document number as a file name: characters other than letters, digits, '.', '-' and '_' become '_'.</summary>
    public static string FileName(string number) =>
        string.Concat(number.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')) + ".pdf";
}
