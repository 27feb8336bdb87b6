using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Documents;

/// <summary>An e-invoice ready to download.</summary>
/// <param name="FileName">A safe file name, e.g. <c>INV-2026-000001.xml</c>.</param>
/// <param name="Content">The UTF-8 XML bytes.</param>
public sealed record XmlFile(string FileName, byte[] Content);

/// <summary>
/// Loads an invoice or credit note of the current tenant with what its e-invoice says (the
/// client's profile, the payment instructions) and writes it as UBL 2.1 or CII. Used by the API and the portal.
/// </summary>
public static class EInvoiceFiles
{
    /// <summary>The UBL of an issued invoice, or null when the tenant has no such invoice.</summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> for a draft; <c>amount_not_representable</c>.</exception>
    public static Task<XmlFile?> InvoiceUblAsync(CairnDb db, Guid invoiceId, CancellationToken cancellationToken = default) =>
        InvoiceAsync(db, invoiceId, Ubl.Invoice, UblSuffix, cancellationToken);

    /// <summary>The CII (UN/CEFACT D16B, EN 16931) of an issued invoice, or null when the tenant has no such invoice.</summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> for a draft; <c>amount_not_representable</c>.</exception>
    public static Task<XmlFile?> InvoiceCiiAsync(CairnDb db, Guid invoiceId, CancellationToken cancellationToken = default) =>
        InvoiceAsync(db, invoiceId, Cii.Invoice, CiiSuffix, cancellationToken);

    private static async Task<XmlFile?> InvoiceAsync(CairnDb db, Guid invoiceId, Func<Invoice, UblContext, byte[]> write, string suffix, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        if (invoice is null)
            return null;
        var context = await ContextAsync(db, invoice.ClientId, cancellationToken);
        return new XmlFile(XmlName(invoice.Number ?? invoice.Id.ToString(), suffix), write(invoice, context));
    }

    /// <summary>The UBL of a credit note, or null when the tenant has no such credit note.</summary>
    /// <exception cref="DomainException"><c>credit_note_not_representable</c>, <c>amount_not_representable</c>.</exception>
    public static Task<XmlFile?> CreditNoteUblAsync(CairnDb db, Guid creditNoteId, CancellationToken cancellationToken = default) =>
        CreditNoteAsync(db, creditNoteId, Ubl.CreditNote, UblSuffix, cancellationToken);

    /// <summary>The CII (UN/CEFACT D16B, EN 16931, type 381) of a credit note, or null when the tenant has no such credit note.</summary>
    /// <exception cref="DomainException"><c>credit_note_not_representable</c>, <c>amount_not_representable</c>.</exception>
    public static Task<XmlFile?> CreditNoteCiiAsync(CairnDb db, Guid creditNoteId, CancellationToken cancellationToken = default) =>
        CreditNoteAsync(db, creditNoteId, Cii.CreditNote, CiiSuffix, cancellationToken);

    private static async Task<XmlFile?> CreditNoteAsync(CairnDb db, Guid creditNoteId, Func<CreditNote, Invoice, UblContext, byte[]> write, string suffix, CancellationToken cancellationToken)
    {
        var note = await db.CreditNotes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == creditNoteId, cancellationToken);
        if (note is null)
            return null;
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleAsync(i => i.Id == note.InvoiceId, cancellationToken);
        var context = await ContextAsync(db, note.ClientId, cancellationToken);
        return new XmlFile(XmlName(note.Number, suffix), write(note, invoice, context));
    }

    private static async Task<UblContext> ContextAsync(CairnDb db, Guid clientId, CancellationToken cancellationToken)
    {
        var profile = await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.EInvoiceProfile).SingleAsync(cancellationToken);
        var instructions = await db.Organizations.AsNoTracking().Select(o => o.PaymentInstructions).SingleAsync(cancellationToken);
        return new UblContext(profile, instructions);
    }

    /// <summary>
    /// The CII a Factur-X PDF embeds: what <paramref name="write"/> writes, or null when the document has no
    /// e-invoice form (<c>amount_not_representable</c>, <c>credit_note_not_representable</c>); its PDF is then a plain one.
    /// </summary>
    internal static byte[]? FacturX(Func<byte[]> write)
    {
        try
        {
            return write();
        }
        catch (DomainException e) when (e.Error.Code is "amount_not_representable" or "credit_note_not_representable")
        {
            return null;
        }
    }

    // UBL keeps the plain name (INV-2026-000001.xml); CII gets its own (INV-2026-000001-cii.xml), so downloading
    // both keeps both instead of the second overwriting the first.
    private const string UblSuffix = "";
    private const string CiiSuffix = "-cii";

    private static string XmlName(string number, string suffix) => Path.GetFileNameWithoutExtension(DocumentFiles.FileName(number)) + suffix + ".xml";
}
