namespace Cairn.Domain;

/// <summary>
/// The change-order PDF exactly as the client is shown it (its bytes and SHA-256), made when the
/// change order is proposed and never changed after, so what the client approved can be proven and
/// recomputed later. One per change order; its id is the change order's.
/// </summary>
public sealed class ChangeOrderDocument
{
    private ChangeOrderDocument()
    {
    }

    /// <summary>The PDF of <paramref name="order"/> as shown to the client from <paramref name="now"/>.</summary>
    public ChangeOrderDocument(ChangeOrder order, byte[] pdf, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(pdf);
        ChangeOrderId = order.Id;
        OrganizationId = order.OrganizationId;
        Pdf = pdf;
        PdfSha256 = Proposal.Sha256Of(pdf);
        CreatedAt = now;
    }

    public Guid ChangeOrderId { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The change-order PDF exactly as the client is shown it.</summary>
    public byte[] Pdf { get; private set; } = [];

    /// <summary>SHA-256 of <see cref="Pdf"/>, lowercase hex.</summary>
    public string PdfSha256 { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
}
