using System.Text.RegularExpressions;

namespace Cairn.Domain;

/// <summary>The subject and plain-text body of one reminder in one language; <c>{placeholders}</c> are filled in when it is sent (<see cref="ReminderText.Placeholders"/>).</summary>
/// <param name="Subject">The email subject, 1 to 200 characters.</param>
/// <param name="Body">The email body, 1 to 5000 characters; blank lines separate paragraphs.</param>
public sealed partial record ReminderText(string Subject, string Body)
{
    /// <summary>
    /// The placeholders a text may use: <c>{client}</c>, <c>{organization}</c>, <c>{invoiceNumber}</c>,
    /// <c>{issueDate}</c>, <c>{dueDate}</c>, <c>{gross}</c>, <c>{paid}</c>, <c>{balanceDue}</c>,
    /// <c>{daysOverdue}</c> and <c>{daysUntilDue}</c>; amounts and dates are written in the client's language.
    /// </summary>
    public static readonly IReadOnlyList<string> Placeholders =
        ["client", "organization", "invoiceNumber", "issueDate", "dueDate", "gross", "paid", "balanceDue", "daysOverdue", "daysUntilDue"];

    /// <summary>Fills the placeholders; an unknown one is left as written (validation refuses them on input).</summary>
    public ReminderText Render(IReadOnlyDictionary<string, string> values) => new(Fill(Subject, values), Fill(Body, values));

    /// <summary>The text checked: lengths and known placeholders.</summary>
    /// <exception cref="DomainException"><c>invalid_reminder_text</c> naming <paramref name="field"/>.<c>subject</c> or .<c>body</c>.</exception>
    public ReminderText Checked(string field)
    {
        var subject = (Subject ?? "").Trim();
        var body = (Body ?? "").Trim();
        if (subject.Length is 0 or > 200 || subject.Contains('\n') || subject.Contains('\r'))
            throw Invalid($"{field}.subject", "A reminder subject is one line of 1 to 200 characters.");
        if (body.Length is 0 or > 5000)
            throw Invalid($"{field}.body", "A reminder body is 1 to 5000 characters.");
        foreach (var (text, part) in new[] { (subject, "subject"), (body, "body") })
            foreach (Match m in PlaceholderPattern().Matches(text))
                if (!Placeholders.Contains(m.Groups[1].Value))
                    throw Invalid($"{field}.{part}", $"Unknown placeholder {{{m.Groups[1].Value}}}; the placeholders are {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.");
        return new ReminderText(subject, body.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    private static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        PlaceholderPattern().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    private static DomainException Invalid(string field, string message) => new(new DomainError("invalid_reminder_text", message, field));

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex PlaceholderPattern();
}

/// <summary>One step of a reminder schedule: sent <see cref="OffsetDays"/> days from an invoice's due date (negative: before it), with its text per language.</summary>
/// <param name="OffsetDays">Days from the due date, −60 to 365; the step's identity within a schedule.</param>
/// <param name="Texts">The text in each language given; a language without one uses English.</param>
public sealed record ReminderStep(int OffsetDays, IReadOnlyDictionary<Language, ReminderText> Texts)
{
    /// <summary>The day the step is due for an invoice due on <paramref name="dueDate"/>.</summary>
    public DateOnly DayFor(DateOnly dueDate) => dueDate.AddDays(OffsetDays);

    /// <summary>The text in <paramref name="language"/>, or the English one.</summary>
    public ReminderText TextIn(Language language) => Texts.TryGetValue(language, out var text) ? text : Texts[Language.En];
}

/// <summary>What the reminder job does for one invoice on one day: at most one step sent, and the passed steps before it recorded as skipped.</summary>
/// <param name="Send">The step to send now, or null.</param>
/// <param name="Skip">Steps whose day passed while no reminder went out (Cairn was down, or the step was overtaken): recorded, never sent.</param>
public sealed record ReminderPlan(ReminderStep? Send, IReadOnlyList<ReminderStep> Skip)
{
    /// <summary>Nothing to do.</summary>
    public static readonly ReminderPlan Nothing = new(null, []);

    /// <summary>Whether anything is to be sent or recorded.</summary>
    public bool IsEmpty => Send is null && Skip.Count == 0;
}

/// <summary>
/// An organization's (or one client's) reminder schedule: any number of steps at ±N days from an
/// invoice's due date, each with its own text. It decides which step is due for an invoice on a day
/// (<see cref="PlanFor"/>) and whether an invoice is chased at all (<see cref="IsChased"/>).
/// </summary>
public sealed class ReminderSchedule
{
    /// <summary>The most steps a schedule has.</summary>
    public const int MaxSteps = 12;

    /// <summary>The earliest a step can be, in days from the due date (60 days before it).</summary>
    public const int EarliestOffsetDays = -60;

    /// <summary>The latest a step can be, in days from the due date (a year after it).</summary>
    public const int LatestOffsetDays = 365;

    private ReminderSchedule(IReadOnlyList<ReminderStep> steps) => Steps = steps;

    /// <summary>The steps, earliest first; offsets are unique.</summary>
    public IReadOnlyList<ReminderStep> Steps { get; }

    /// <summary>Cairn's default: −3 days (friendly), +7, +21 and +35 (final notice), in all five languages.</summary>
    public static ReminderSchedule Default { get; } = new(DefaultReminderTexts.Steps);

    /// <summary>A schedule from steps given in any order, checked.</summary>
    /// <exception cref="DomainException">
    /// <c>too_many_reminder_steps</c> (field <c>steps</c>), <c>reminder_offset_out_of_range</c> or
    /// <c>duplicate_reminder_offset</c> (field <c>steps[i].offsetDays</c>), <c>reminder_text_missing</c> (no English text,
    /// field <c>steps[i].texts.en</c>), <c>invalid_reminder_text</c>.
    /// </exception>
    public static ReminderSchedule Create(IReadOnlyList<ReminderStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count > MaxSteps)
            throw new DomainException(new DomainError("too_many_reminder_steps", $"A reminder schedule has at most {MaxSteps} steps.", "steps"));
        var checkedSteps = new List<ReminderStep>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var field = $"steps[{i}]";
            if (step.OffsetDays is < EarliestOffsetDays or > LatestOffsetDays)
                throw new DomainException(new DomainError("reminder_offset_out_of_range", "A reminder step is between 60 days before and 365 days after the due date.", $"{field}.offsetDays"));
            if (checkedSteps.Any(s => s.OffsetDays == step.OffsetDays))
                throw new DomainException(new DomainError("duplicate_reminder_offset", $"Two steps are {step.OffsetDays} days from the due date; each step has a day of its own.", $"{field}.offsetDays"));
            if (step.Texts is null || !step.Texts.ContainsKey(Language.En))
                throw new DomainException(new DomainError("reminder_text_missing", "Each step needs its English text, which languages without their own text use.", $"{field}.texts.en"));
            var texts = step.Texts.ToDictionary(t => t.Key, t => t.Value.Checked($"{field}.texts.{t.Key.ToString().ToLowerInvariant()}"));
            checkedSteps.Add(new ReminderStep(step.OffsetDays, texts));
        }

        return new ReminderSchedule(checkedSteps.OrderBy(s => s.OffsetDays).ToList());
    }

    /// <summary>
    /// Whether an invoice is chased at all: issued with something still owed (not paid, not credited to zero),
    /// not disputed, and its client not paused for reminders.
    /// </summary>
    public static bool IsChased(Invoice invoice, bool clientPaused) =>
        invoice.Status == InvoiceStatus.Issued && invoice.Balance.IsPositive && !invoice.Disputed && !clientPaused;

    /// <summary>
    /// What to do for an invoice issued on <paramref name="issueDate"/> and due on <paramref name="dueDate"/> on
    /// <paramref name="today"/>, given the offsets already sent or skipped. Of the steps whose day has come (and that
    /// fall on or after the issue date) and are not yet recorded, only the latest is sent, and only when it is later
    /// than every recorded step; the others are skipped. So one pass after a long pause sends one reminder, not a burst.
    /// </summary>
    public ReminderPlan PlanFor(DateOnly issueDate, DateOnly dueDate, DateOnly today, IReadOnlyCollection<int> recordedOffsets)
    {
        var passed = Come(issueDate, dueDate, today).Where(s => !recordedOffsets.Contains(s.OffsetDays)).ToList();
        if (passed.Count == 0)
            return ReminderPlan.Nothing;
        var latest = passed[^1];
        var send = recordedOffsets.Count == 0 || latest.OffsetDays > recordedOffsets.Max() ? latest : null;
        return new ReminderPlan(send, send is null ? passed : passed[..^1]);
    }

    /// <summary>
    /// Whether <see cref="PlanFor"/> may have something to do on <paramref name="today"/> for an invoice of which
    /// <paramref name="recordedCount"/> steps are recorded, the latest at <paramref name="latestRecorded"/> days; false
    /// means it has nothing. Exact while the recorded steps are this schedule's (a pass records every step that has
    /// come); after the schedule changed, an overtaken step of the new one is recorded as skipped on the invoice's next visit.
    /// </summary>
    public bool MayPlanFor(DateOnly issueDate, DateOnly dueDate, DateOnly today, int recordedCount, int? latestRecorded)
    {
        var come = Come(issueDate, dueDate, today).ToList();
        return come.Count > recordedCount || (come.Count > 0 && come[^1].OffsetDays > (latestRecorded ?? int.MinValue));
    }

    /// <summary>
    /// The first day after <paramref name="today"/> on which the dunning job has something to do for an invoice issued
    /// on <paramref name="issueDate"/> and due on <paramref name="dueDate"/> once today's work is done: the day after the
    /// due date while the invoice is not marked overdue, or the day of the next step that falls on or after the issue
    /// date, whichever comes first; null when neither is left under this schedule. Stored on the invoice
    /// (<see cref="Invoice.NextChaseOn"/>), so a pass reads only the invoices whose day has come.
    /// </summary>
    public DateOnly? NextDayAfter(DateOnly issueDate, DateOnly dueDate, DateOnly today, bool markedOverdue)
    {
        DateOnly? next = markedOverdue || dueDate.AddDays(1) <= today ? null : dueDate.AddDays(1);
        foreach (var step in Steps)
        {
            var day = step.DayFor(dueDate);
            if (day > today && day >= issueDate)
                return next is { } overdue && overdue < day ? overdue : day;
        }

        return next;
    }

    // The steps whose day has come by today and falls on or after the issue date, earliest first.
    private IEnumerable<ReminderStep> Come(DateOnly issueDate, DateOnly dueDate, DateOnly today) =>
        Steps.Where(s => s.DayFor(dueDate) <= today && s.DayFor(dueDate) >= issueDate);
}
