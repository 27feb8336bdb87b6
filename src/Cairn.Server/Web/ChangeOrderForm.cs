using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Billing;

namespace Cairn.Server.Web;

/// <summary>
/// The contract page's change order form: one row per milestone that may still change (keep,
/// change its amount or due date, or cancel it) and rows for new milestones. It becomes the same
/// items the API takes and is checked by the same code; an error about <c>items[n]</c> is told
/// next to the row it came from.
/// </summary>
public sealed class ChangeOrderForm
{
    /// <summary>The form's name for its errors.</summary>
    public const string Name = "change-order";

    /// <summary>How many new milestones one form can add.</summary>
    public const int AdditionRows = 2;

    private List<string> _rows = [];

    public string? Title { get; set; }

    public string? Reason { get; set; }

    public List<ChangeRow> Changes { get; set; } = [];

    public List<AdditionRow> Additions { get; set; } = [];

    /// <summary>The error key of a change row's field, e.g. <c>change-{id}.terms.amount</c>.</summary>
    public static string ChangeKey(Guid milestoneId, string field) => $"change-{milestoneId}.terms.{field}";

    /// <summary>The error key of an addition row's field, e.g. <c>add-0.terms.title</c>.</summary>
    public static string AdditionKey(int row, string field) => $"add-{row}.terms.{field}";

    /// <summary>The posted row for a milestone, if the form was posted.</summary>
    public ChangeRow? RowFor(Guid milestoneId) => Changes.FirstOrDefault(r => r.MilestoneId == milestoneId);

    /// <summary>Checks the form and turns it into the items the change orders service takes (as the API does).</summary>
    public (string Title, string? Reason, IReadOnlyList<ChangeOrderItemRequest> Items) ToRequests(Currency currency)
    {
        var title = Inputs.Required(Title, "title");
        var reason = Inputs.Optional(Reason, "reason");
        var inputs = new List<(string Row, ChangeOrderItemInput Item)>();
        foreach (var row in Changes)
        {
            switch (row.Action)
            {
                case "cancel":
                    inputs.Add(($"change-{row.MilestoneId}", new ChangeOrderItemInput("cancel", row.MilestoneId.ToString(), null)));
                    break;
                case "change":
                    if (Blank(row.Amount) && Blank(row.DueDate))
                        throw new DomainException(new DomainError("terms_required", "Enter the new amount or the new due date.", ChangeKey(row.MilestoneId, "amount")));
                    inputs.Add(($"change-{row.MilestoneId}", new ChangeOrderItemInput("change", row.MilestoneId.ToString(), Terms(null, null, row.Amount, row.DueDate, currency))));
                    break;
            }
        }

        for (var n = 0; n < Additions.Count; n++)
        {
            var row = Additions[n];
            if (Blank(row.Title) && Blank(row.Amount) && Blank(row.DueDate) && Blank(row.AcceptanceCriteria))
                continue;
            inputs.Add(($"add-{n}", new ChangeOrderItemInput("add", null, Terms(row.Title?.Trim() ?? "", row.AcceptanceCriteria, row.Amount, row.DueDate, currency))));
        }

        if (inputs.Count == 0)
            throw new DomainException(new DomainError("items_required", "Change, cancel or add at least one milestone.", "items"));

        _rows = inputs.Select(i => i.Row).ToList();
        return (title, reason, inputs.Select((input, n) => input.Item.ToRequest($"items[{n}]")).ToList());
    }

    /// <summary>Renames <c>items[n]…</c> in an error to the row it came from, so the message shows next to that row.</summary>
    public DomainError ForRows(DomainError error) => RowErrors.Rename(error, "items", _rows);

    // A price ending in % is a share of the contract value before the change, as in the API.
    private static MilestoneTermsInput Terms(string? title, string? acceptanceCriteria, string? price, string? dueDate, Currency currency)
    {
        var text = price?.Trim() ?? "";
        var percent = text.EndsWith('%') ? text.TrimEnd('%').Trim() : null;
        return new MilestoneTermsInput(
            title,
            null,
            Blank(acceptanceCriteria) ? null : acceptanceCriteria,
            Blank(dueDate) ? null : dueDate!.Trim(),
            percent is null && text.Length > 0 ? new MoneyInput(FormNumbers.Amount(text, currency.Code), currency.Code) : null,
            percent,
            null,
            null);
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);

    /// <summary>What to do with one milestone: <c>keep</c>, <c>change</c> (amount and/or due date) or <c>cancel</c>.</summary>
    public sealed class ChangeRow
    {
        public Guid MilestoneId { get; set; }

        public string? Action { get; set; }

        public string? Amount { get; set; }

        public string? DueDate { get; set; }
    }

    /// <summary>A milestone to add; a row left empty adds nothing.</summary>
    public sealed class AdditionRow
    {
        public string? Title { get; set; }

        public string? Amount { get; set; }

        public string? DueDate { get; set; }

        public string? AcceptanceCriteria { get; set; }
    }
}
