using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Mail;

namespace Cairn.Server.Outbox;

/// <summary>Renders the documents a queued email attaches, with the same writers the API downloads use.</summary>
public sealed class Attachments(CairnDb db)
{
    /// <summary><c>invoice_pdf</c>: the invoice PDF; <c>invoice_ubl</c>: its UBL 2.1 e-invoice.</summary>
    /// <exception cref="InvalidOperationException">An unknown kind, or an invoice the organization does not have.</exception>
    public async Task<MailAttachment> RenderAsync(AttachmentRef reference, CancellationToken cancellationToken)
    {
        switch (reference.Kind)
        {
            case "invoice_pdf":
                var pdf = await DocumentFiles.InvoiceAsync(db, reference.Id, cancellationToken: cancellationToken)
                    ?? throw new InvalidOperationException($"Invoice {reference.Id} is gone.");
                return new MailAttachment(pdf.FileName, "application/pdf", pdf.Content);
            case "invoice_ubl":
                var xml = await EInvoiceFiles.InvoiceUblAsync(db, reference.Id, cancellationToken)
                    ?? throw new InvalidOperationException($"Invoice {reference.Id} is gone.");
                return new MailAttachment(xml.FileName, "application/xml", xml.Content);
            default:
                throw new InvalidOperationException($"Unknown attachment kind '{reference.Kind}'.");
        }
    }
}
