using System.Globalization;
using Cairn.Domain;
using Cairn.Server.Localization;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Cairn.Server.Documents;

/// <summary>What a proposal (or change-order) PDF shows besides the contract's plan and terms.</summary>
/// <param name="Seller">The organization, as on its invoices.</param>
/// <param name="Buyer">The client, as on its invoices.</param>
/// <param name="ContactName">The client contact it is proposed to (empty for a change order, which any of the client's contacts may approve).</param>
/// <param name="ProposalDate">The business day it is proposed.</param>
/// <param name="Paper">A4, or Letter for North American sellers.</param>
/// <param name="Language">The client's language: labels, dates and number formats.</param>
public sealed record ProposalDocument(PartySnapshot Seller, PartySnapshot Buyer, string ContactName, DateOnly ProposalDate, Paper Paper = Paper.A4, Language Language = Language.En);

/// <summary>
/// Renders a proposal (the plan with amounts, due dates, how each milestone is invoiced, its
/// deliverable and acceptance criteria; the contract value and payment terms) from the same contract
/// the API and the portal show, and the signed copy: those exact pages followed by the acceptance record.
/// </summary>
public static class ProposalPdf
{
    private const double AmountWidth = 110;
    private const double DueWidth = 80;
    private const double BilledWidth = 130;

    /// <summary>Renders the proposal of <paramref name="contract"/> with its whole plan loaded.</summary>
    public static byte[] Render(Contract contract, ProposalDocument details)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(details);
        var language = details.Language;
        var w = Wording.For(language);
        var named = Wording.Format(w.ProposalNamed, contract.Title);
        using var layout = new PdfLayout(details.Paper, named, details.Seller.Name, page => Letterhead.Continuation(page, w, details.Seller.Name, named));

        Letterhead.Draw(layout, w, w.ProposalTitle, details.Seller, w.ProposedTo, details.Buyer,
        [
            (w.Contract, contract.Title),
            (w.ProposalDate, Letterhead.Date(details.ProposalDate, language)),
            (w.ProposedTo, details.ContactName),
        ]);

        Letterhead.Heading(layout, w.Milestones);
        var amountRight = layout.Right - 4;
        var billedLeft = amountRight - AmountWidth - BilledWidth;
        var dueLeft = billedLeft - DueWidth;
        var titleWidth = dueLeft - layout.Left - 12;
        TableHeader(layout, [(w.Milestone, layout.Left + 4, false), (w.DueDate, dueLeft, false), (w.Billed, billedLeft, false), (Wording.Format(w.NetIn, contract.Currency.Code), amountRight, true)]);

        foreach (var m in contract.Milestones.Where(m => m.Status != MilestoneStatus.Cancelled).OrderBy(m => m.Position))
        {
            var title = $"{m.Position}. {m.Title}";
            RowTitle(layout, title, titleWidth, 2);
            layout.Text(Letterhead.Date(m.DueDate, language), PdfLayout.Body, PdfLayout.Ink, dueLeft, layout.Y);
            layout.Text(BilledWhen(m, w, language), PdfLayout.Body, PdfLayout.Ink, billedLeft, layout.Y);
            layout.TextRight(Letterhead.Number(m.Amount, language), PdfLayout.Body, PdfLayout.Ink, amountRight, layout.Y);
            EndRow(layout, title, titleWidth, (w.Deliverable, m.Deliverable), (w.AcceptanceCriteria, m.AcceptanceCriteria));
        }

        layout.Reserve(40);
        Letterhead.TotalRow(layout, language, layout.Right - 260, w.ContractValue, contract.Value, strong: true);
        layout.Y += 10;

        Letterhead.Heading(layout, w.PaymentTerms);
        layout.Paragraph(Wording.Format(w.PaymentTermsText, contract.PaymentTermsDays, TaxText(contract.Tax)), PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
        if (contract.ApprovalWindowDays is { } window)
            layout.Paragraph(Wording.Format(w.AutoApprovalText, window), PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
        return layout.Finish($"{details.Seller.Name} · {named}", w.PageOf);
    }

    /// <summary>
    /// The signed copy: the pages of the proposal PDF exactly as accepted, followed by a page with the
    /// acceptance record (who, typed name, UTC time, IP address, portal link, user agent, the SHA-256
    /// of the proposal PDF and of each document shown with it).
    /// </summary>
    public static byte[] SignedCopy(byte[] proposalPdf, Acceptance acceptance, string sellerName, string contractTitle, Paper paper = Paper.A4, Language language = Language.En)
    {
        ArgumentNullException.ThrowIfNull(proposalPdf);
        ArgumentNullException.ThrowIfNull(acceptance);
        var w = Wording.For(language);
        var named = Wording.Format(w.ProposalNamed, contractTitle);
        byte[] record;
        using (var layout = new PdfLayout(paper, named, sellerName, page => Letterhead.Continuation(page, w, sellerName, named)))
        {
            Letterhead.Continuation(layout, w, sellerName, named);
            Letterhead.Heading(layout, w.AcceptanceHeading);
            var at = acceptance.AcceptedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            layout.Paragraph(Wording.Format(w.AcceptedBy, acceptance.ContactName ?? "", acceptance.TypedName ?? "", at), PdfLayout.BodyBold, PdfLayout.Ink, layout.Left, layout.Width);
            layout.Paragraph(Wording.Format(w.AcceptanceEvidence, acceptance.IpAddress ?? "—", acceptance.PortalLinkId?.ToString() ?? "—", acceptance.UserAgent ?? "—"), PdfLayout.Body, PdfLayout.Muted, layout.Left, layout.Width);
            layout.Paragraph(Wording.Format(w.AcceptedPdf, acceptance.ProposalPdfSha256 ?? ""), PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
            foreach (var document in acceptance.Documents)
                layout.Paragraph(Wording.Format(w.AcceptedDocument, document.FileName, document.Sha256), PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
            record = layout.Finish($"{sellerName} · {named}", w.PageOf);
        }

        using var signed = new PdfDocument();
        signed.Info.Title = named;
        signed.Info.Author = sellerName;
        signed.Info.Creator = "Cairn";
        foreach (var part in new[] { proposalPdf, record })
        {
            using var source = PdfReader.Open(new MemoryStream(part), PdfDocumentOpenMode.Import);
            foreach (var page in source.Pages)
                signed.AddPage(page);
        }

        using var stream = new MemoryStream();
        signed.Save(stream, closeStream: false);
        return XmpMetadata.Rewrite(stream.ToArray(), signed, null, facturX: false);
    }

    private static string BilledWhen(Milestone m, Wording w, Language language) => m.Trigger switch
    {
        BillingTrigger.OnStart => w.OnStart,
        BillingTrigger.OnDate => Wording.Format(w.OnDate, Letterhead.Date(m.BillingDate, language)),
        _ => w.OnApproval,
    };

    private static string TaxText(TaxTreatment tax) =>
        tax.Category == TaxCategory.S
            ? $"{tax.Rate.ToDecimalString()}%"
            : $"{tax.Rate.ToDecimalString()}% ({tax.Category}{(tax.ExemptionReason is { } reason ? ": " + reason : tax.ExemptionCode is { } code ? ": " + code : "")})";

    /// <summary>The shaded header row of a table: each label at its x, or ending at it when right-aligned; moves below it.</summary>
    internal static void TableHeader(PdfLayout layout, IEnumerable<(string Label, double X, bool Right)> columns)
    {
        const double headerHeight = 18;
        layout.Fill(PdfLayout.Shade, layout.Left, layout.Y, layout.Width, headerHeight);
        var y = layout.Y + 5;
        foreach (var (label, x, right) in columns)
        {
            if (right)
                layout.TextRight(label, PdfLayout.SmallBold, PdfLayout.Ink, x, y);
            else
                layout.Text(label, PdfLayout.SmallBold, PdfLayout.Ink, x, y);
        }

        layout.Y += headerHeight + 4;
    }

    /// <summary>A row's title in bold, wrapped to <paramref name="width"/>, after reserving room for it and <paramref name="extraLines"/> more lines.</summary>
    internal static void RowTitle(PdfLayout layout, string title, double width, int extraLines)
    {
        var lines = layout.Wrap(title, PdfLayout.BodyBold, width);
        layout.Reserve(PdfLayout.LineHeight(PdfLayout.Body) * (lines.Count + extraLines));
        var top = layout.Y;
        foreach (var line in lines)
        {
            layout.Text(line, PdfLayout.BodyBold, PdfLayout.Ink, layout.Left + 4, layout.Y);
            layout.Y += PdfLayout.LineHeight(PdfLayout.Body);
        }

        layout.Y = top;
    }

    /// <summary>Moves below a row's title and its labelled texts, then rules it off.</summary>
    internal static void EndRow(PdfLayout layout, string title, double width, params (string Label, string? Text)[] labelled)
    {
        layout.Y += PdfLayout.LineHeight(PdfLayout.Body) * layout.Wrap(title, PdfLayout.BodyBold, width).Count;
        foreach (var (label, text) in labelled)
            Labelled(layout, label, text, width);
        layout.Y += 4;
        layout.Line(PdfLayout.Rule, layout.Left, layout.Y, layout.Right);
        layout.Y += 8;
    }

    private static void Labelled(PdfLayout layout, string label, string? text, double width)
    {
        if (string.IsNullOrWhiteSpace(text))
            return;
        foreach (var line in layout.Wrap($"{label}: {text}", PdfLayout.Small, width))
        {
            layout.Reserve(PdfLayout.LineHeight(PdfLayout.Small));
            layout.Text(line, PdfLayout.Small, PdfLayout.Muted, layout.Left + 4, layout.Y);
            layout.Y += PdfLayout.LineHeight(PdfLayout.Small);
        }
    }
}
