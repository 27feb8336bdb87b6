using Cairn.Domain;
using Cairn.Server.Localization;

namespace Cairn.Server.Documents;

/// <summary>
/// Renders a change order as the client is asked to approve it, from the same data as the portal's
/// "if approved, the plan becomes" table (<see cref="Contract.EffectOf"/>): each milestone with what
/// changes (added, changed, cancelled), its due date and amount before and after, the new terms of
/// added and changed milestones, and the contract value before and after. Shares the proposal's
/// letterhead and table layout (<see cref="ProposalPdf"/>).
/// </summary>
public static class ChangeOrderPdf
{
    private const double AmountWidth = 80;
    private const double DueWidth = 130;
    private const double ChangeWidth = 70;

    /// <summary>Renders change order <paramref name="order"/> (items loaded) of <paramref name="contract"/> (plan loaded, before the change).</summary>
    public static byte[] Render(Contract contract, ChangeOrder order, ProposalDocument details)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(details);
        var language = details.Language;
        var w = Wording.For(language);
        var named = Wording.Format(w.ChangeOrderNamed, order.Title);
        using var layout = new PdfLayout(details.Paper, named, details.Seller.Name, page => Letterhead.Continuation(page, w, details.Seller.Name, named));

        Letterhead.Draw(layout, w, w.ChangeOrderTitle, details.Seller, w.ProposedTo, details.Buyer,
        [
            (w.Contract, contract.Title),
            (w.ChangeOrderTitle, order.Title),
            (w.ProposedOn, Letterhead.Date(details.ProposalDate, language)),
        ]);
        if (!string.IsNullOrWhiteSpace(order.Reason))
        {
            Letterhead.Heading(layout, w.Reason);
            layout.Paragraph(order.Reason, PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
            layout.Y += 6;
        }

        var effect = contract.EffectOf(order);
        Letterhead.Heading(layout, w.Milestones);
        var afterRight = layout.Right - 4;
        var beforeRight = afterRight - AmountWidth;
        var dueLeft = beforeRight - AmountWidth - DueWidth;
        var changeLeft = dueLeft - ChangeWidth;
        var titleWidth = changeLeft - layout.Left - 12;
        ProposalPdf.TableHeader(layout,
        [
            (w.Milestone, layout.Left + 4, false), (w.Change, changeLeft, false), (w.DueDate, dueLeft, false),
            (w.Before, beforeRight, true), (w.After, afterRight, true),
        ]);
        var terms = order.Items.Where(i => i.Kind == ChangeOrderItemKind.Change).ToDictionary(i => i.MilestoneId!.Value, i => i.Terms!);
        // Added milestones follow the plan in the order of their items, as in the effect.
        var added = order.Items.Where(i => i.Kind == ChangeOrderItemKind.Add).Select(i => i.Terms!).ToList();
        var nextAdded = 0;
        foreach (var line in effect.Lines)
        {
            var newTerms = line.Kind == ChangeOrderItemKind.Add ? added.ElementAtOrDefault(nextAdded++)
                : line.MilestoneId is { } id ? terms.GetValueOrDefault(id) : null;
            ProposalPdf.RowTitle(layout, line.Title, titleWidth, 2);
            layout.Text(KindOf(line.Kind, w), PdfLayout.Body, line.Kind is null ? PdfLayout.Muted : PdfLayout.Ink, changeLeft, layout.Y);
            var due = line.DueBefore == line.DueAfter
                ? Letterhead.Date(line.DueAfter, language)
                : $"{Letterhead.Date(line.DueBefore, language)} → {Letterhead.Date(line.DueAfter, language)}";
            layout.Text(due, PdfLayout.Body, PdfLayout.Ink, dueLeft, layout.Y);
            layout.TextRight(line.Before is { } before ? Letterhead.Number(before, language) : "—", PdfLayout.Body, PdfLayout.Ink, beforeRight, layout.Y);
            layout.TextRight(line.After is { } after ? Letterhead.Number(after, language) : "—", PdfLayout.Body, PdfLayout.Ink, afterRight, layout.Y);
            ProposalPdf.EndRow(layout, line.Title, titleWidth, (w.Deliverable, newTerms?.Deliverable), (w.AcceptanceCriteria, newTerms?.AcceptanceCriteria));
        }

        layout.Reserve(60);
        Letterhead.TotalRow(layout, language, layout.Right - 260, $"{w.ContractValue} · {w.Before}", effect.ValueBefore);
        Letterhead.TotalRow(layout, language, layout.Right - 260, $"{w.ContractValue} · {w.After}", effect.ValueAfter, strong: true);
        return layout.Finish($"{details.Seller.Name} · {named}", w.PageOf);
    }

    private static string KindOf(ChangeOrderItemKind? kind, Wording w) => kind switch
    {
        ChangeOrderItemKind.Add => w.Added,
        ChangeOrderItemKind.Change => w.Changed,
        ChangeOrderItemKind.Cancel => w.Cancelled,
        _ => w.Unchanged,
    };
}
