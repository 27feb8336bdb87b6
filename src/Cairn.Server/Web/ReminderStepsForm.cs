using System.Globalization;
using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Reminders;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web;

/// <summary>
/// One row of the reminder-step editor (Settings → Reminders and a client's reminders), posted as
/// <c>Steps[i].OffsetDays</c>, <c>Steps[i].Subject[en]</c>, <c>Steps[i].Body[en]</c> … and <c>Steps[i].Remove</c>.
/// A row left wholly blank adds nothing; the English text is required, another language left blank uses it.
/// </summary>
public sealed class ReminderStepInput
{
    /// <summary>The languages a step has a text in, English first.</summary>
    public static readonly IReadOnlyList<string> Languages = [.. Enum.GetValues<Language>().OrderBy(l => l != Language.En).Select(Code)];

    /// <summary>Days from the due date as typed (negative: before it).</summary>
    public string? OffsetDays { get; set; }

    /// <summary>The subject per ISO 639-1 language code.</summary>
    public Dictionary<string, string?> Subject { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The body per ISO 639-1 language code.</summary>
    public Dictionary<string, string?> Body { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The row is ticked to be removed when the form is saved.</summary>
    public bool Remove { get; set; }

    private bool IsBlank => string.IsNullOrWhiteSpace(OffsetDays)
        && Subject.Values.Concat(Body.Values).All(string.IsNullOrWhiteSpace);

    /// <summary>The rows of a schedule, plus one blank row to add a step with.</summary>
    public static List<ReminderStepInput> Of(ReminderSchedule schedule) =>
    [
        .. schedule.Steps.Select(step => new ReminderStepInput
        {
            OffsetDays = step.OffsetDays.ToString(CultureInfo.InvariantCulture),
            Subject = step.Texts.ToDictionary(t => Code(t.Key), t => (string?)t.Value.Subject, StringComparer.OrdinalIgnoreCase),
            Body = step.Texts.ToDictionary(t => Code(t.Key), t => (string?)t.Value.Body, StringComparer.OrdinalIgnoreCase),
        }),
        new ReminderStepInput(),
    ];

    /// <summary>
    /// The schedule the rows describe, checked by the same rules as the API (<see cref="ReminderStepJson.ToSchedule"/>);
    /// an error names the row as posted (<c>steps[i].offsetDays</c>, <c>steps[i].texts.en.body</c> …).
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_offset</c> for a day that is not a whole number, or the schedule's own errors.</exception>
    public static ReminderSchedule ToSchedule(IReadOnlyList<ReminderStepInput> rows)
    {
        var kept = new List<int>();
        var steps = new List<ReminderStepJson?>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Remove || row.IsBlank)
                continue;
            if (!int.TryParse(row.OffsetDays?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
                throw new DomainException(new DomainError("invalid_offset", "The day is a whole number of days from the due date: negative before it (e.g. -3), positive after it (e.g. 7).", $"steps[{i}].offsetDays"));
            var texts = Languages
                .Where(code => code == "en" || !string.IsNullOrWhiteSpace(row.Subject.GetValueOrDefault(code)) || !string.IsNullOrWhiteSpace(row.Body.GetValueOrDefault(code)))
                .ToDictionary(code => code, code => new ReminderText(row.Subject.GetValueOrDefault(code) ?? "", row.Body.GetValueOrDefault(code) ?? ""));
            kept.Add(i);
            steps.Add(new ReminderStepJson(offset, texts));
        }

        try
        {
            return ReminderStepJson.ToSchedule(steps);
        }
        catch (DomainException e) when (e.Error.Field is { } field && field.StartsWith("steps[", StringComparison.Ordinal))
        {
            // The schedule counts the steps it was given; the form counts its rows, removed and blank ones included.
            var end = field.IndexOf(']', StringComparison.Ordinal);
            var row = kept[int.Parse(field[6..end], CultureInfo.InvariantCulture)];
            throw new DomainException(e.Error with { Field = $"steps[{row}]{field[(end + 1)..]}" });
        }
    }

    /// <summary>A step's day in words: "3 days before the due date", "on the due date", "1 day after the due date".</summary>
    public static string DayInWords(int offsetDays) => offsetDays switch
    {
        0 => "on the due date",
        _ => $"{Math.Abs(offsetDays)} day{(Math.Abs(offsetDays) == 1 ? "" : "s")} {(offsetDays < 0 ? "before" : "after")} the due date",
    };

    /// <summary>A language's own name, e.g. "Deutsch" (<see cref="Localization.Wording.Languages"/>).</summary>
    public static string LanguageName(string code) => Localization.Wording.Languages.Single(l => l.Code == code).Name;

    private static string Code(Language language) => language.ToString().ToLowerInvariant();
}

/// <summary>The reminder-step editor as a page shows it: the rows, the form they post with, and whether the caller may change them.</summary>
public sealed record ReminderStepsView(WebPage Page, string Form, IReadOnlyList<ReminderStepInput> Steps, bool Editable);

/// <summary>One recorded reminder step of an invoice, as the invoice and client pages list it.</summary>
/// <param name="Outcome"><see cref="InvoiceReminder.Sent"/>, <see cref="InvoiceReminder.Skipped"/> or <see cref="InvoiceReminder.NoRecipient"/>.</param>
public sealed record ReminderTrailRow(Guid InvoiceId, string? InvoiceNumber, int OffsetDays, string Outcome, DateOnly StepDay, Money BalanceDue, DateTimeOffset RecordedAt)
{
    /// <summary>The step in words, e.g. "7 days after the due date".</summary>
    public string Step => ReminderStepInput.DayInWords(OffsetDays);

    /// <summary>What happened, in a sentence a client manager reads.</summary>
    public string What => Outcome switch
    {
        InvoiceReminder.Sent => "sent",
        InvoiceReminder.Skipped => "skipped (a later step had come)",
        InvoiceReminder.NoRecipient => "not sent: the client has no email address",
        _ => Outcome,
    };

    /// <summary>The reminder steps recorded for the invoices <paramref name="invoices"/> selects, by invoice then step.</summary>
    public static async Task<IReadOnlyList<ReminderTrailRow>> OfAsync(CairnDb db, IQueryable<Invoice> invoices, CancellationToken ct)
    {
        var rows = await (
            from r in db.InvoiceReminders
            join i in invoices on r.InvoiceId equals i.Id
            select new { r.InvoiceId, i.Number, r.OffsetDays, r.Outcome, r.StepDay, r.BalanceMinor, r.Currency, r.RecordedAt }).AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(r => r.Number).ThenBy(r => r.OffsetDays)
            .Select(r => new ReminderTrailRow(r.InvoiceId, r.Number, r.OffsetDays, r.Outcome, r.StepDay, new Money(r.BalanceMinor, r.Currency), r.RecordedAt)).ToList();
    }
}
