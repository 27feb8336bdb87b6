using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Reminders;

/// <summary>
/// The reminder settings of an organization (<see cref="ClientId"/> null) or of one client: a schedule
/// (null: Cairn's default for the organization, the organization's for a client), whether the client
/// is paused for reminders, and whether the organization charges late-payment interest.
/// </summary>
public sealed class ReminderSettings
{
    private ReminderSettings()
    {
    }

    /// <summary>Creates the settings row of an organization or a client.</summary>
    public ReminderSettings(Guid id, Guid organizationId, Guid? clientId)
    {
        Id = id;
        OrganizationId = organizationId;
        ClientId = clientId;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The client the row overrides for; null for the organization's own row.</summary>
    public Guid? ClientId { get; private set; }

    /// <summary>The schedule set here, or null to inherit.</summary>
    public ReminderSchedule? Schedule { get; set; }

    /// <summary>A client's "paused for reminders" flag: no reminder goes to it while set (invoice.overdue is still emitted).</summary>
    public bool Paused { get; set; }

    /// <summary>The organization charges Directive 2011/7/EU late-payment interest (B2B) on late invoices when staff ask for it.</summary>
    public bool ChargeLateInterest { get; set; }

    /// <summary>Optimistic-concurrency version, surfaced as the ETag.</summary>
    public int Version { get; set; } = 1;
}

/// <summary>The stored and API shape of one reminder step: offset and texts keyed by ISO 639-1 language code.</summary>
/// <param name="OffsetDays">Days from the due date (negative: before), −60 to 365.</param>
/// <param name="Texts">Subject and body per language (<c>en</c> required; <c>de</c>, <c>fr</c>, <c>nl</c>, <c>es</c> optional).</param>
public sealed record ReminderStepJson(int OffsetDays, Dictionary<string, ReminderText>? Texts)
{
    /// <summary>The JSON of a domain step.</summary>
    public static ReminderStepJson Of(ReminderStep step) =>
        new(step.OffsetDays, step.Texts.OrderBy(t => t.Key).ToDictionary(t => t.Key.ToString().ToLowerInvariant(), t => t.Value));

    /// <summary>A domain schedule from JSON steps, every field checked.</summary>
    /// <exception cref="DomainException"><c>unknown_language</c>, or the schedule's own errors, each naming the field.</exception>
    public static ReminderSchedule ToSchedule(IReadOnlyList<ReminderStepJson?> steps)
    {
        var domain = new List<ReminderStep>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i] ?? throw new DomainException(new DomainError("required", "A step is an object with offsetDays and texts.", $"steps[{i}]"));
            var texts = new Dictionary<Language, ReminderText>();
            foreach (var (code, text) in step.Texts ?? [])
            {
                if (!Enum.TryParse<Language>(code, true, out var language) || !Enum.IsDefined(language) || code.Length != 2)
                    throw new DomainException(new DomainError("unknown_language", "Texts are keyed by en, de, fr, nl or es.", $"steps[{i}].texts.{code}"));
                texts[language] = text ?? throw new DomainException(new DomainError("required", "A text has a subject and a body.", $"steps[{i}].texts.{code}"));
            }

            domain.Add(new ReminderStep(step.OffsetDays, texts));
        }

        return ReminderSchedule.Create(domain);
    }
}

internal sealed class ReminderScheduleConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<ReminderSchedule?, string>(
    s => Json.Write(s!.Steps.Select(ReminderStepJson.Of).ToList()),
    s => ReminderStepJson.ToSchedule(Json.Read<List<ReminderStepJson?>>(s)));

internal sealed class ReminderSettingsMapping : IEntityTypeConfiguration<ReminderSettings>
{
    public void Configure(EntityTypeBuilder<ReminderSettings> b)
    {
        b.ToTable("reminder_settings");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Schedule).HasConversion(new ReminderScheduleConverter(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<ReminderSchedule?>(
                (x, y) => ReferenceEquals(x, y), x => x == null ? 0 : x.GetHashCode(), x => x));
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId);
    }
}

/// <summary>One step of one invoice's reminders as it happened: sent, skipped or without a recipient. Append-only.</summary>
public sealed class InvoiceReminder
{
    private InvoiceReminder()
    {
    }

    /// <summary>Records a step for an invoice.</summary>
    public InvoiceReminder(Guid id, Invoice invoice, ReminderStep step, string outcome, DateTimeOffset now, Guid? outboxMessageId)
    {
        Id = id;
        OrganizationId = invoice.OrganizationId;
        InvoiceId = invoice.Id;
        OffsetDays = step.OffsetDays;
        Outcome = outcome;
        StepDay = step.DayFor(invoice.DueDate!.Value);
        BalanceMinor = invoice.Balance.Minor;
        Currency = invoice.Currency;
        OutboxMessageId = outboxMessageId;
        RecordedAt = now;
    }

    /// <summary>The step was emailed.</summary>
    public const string Sent = "sent";

    /// <summary>A later step had come by the time Cairn got to it, so it was not sent.</summary>
    public const string Skipped = "skipped";

    /// <summary>The client had no email address.</summary>
    public const string NoRecipient = "no_recipient";

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid InvoiceId { get; private set; }

    public int OffsetDays { get; private set; }

    public string Outcome { get; private set; } = "";

    /// <summary>The step's day (due date + offset).</summary>
    public DateOnly StepDay { get; private set; }

    /// <summary>The balance due when the step was recorded (what a sent reminder asked for).</summary>
    public long BalanceMinor { get; private set; }

    public Currency Currency { get; private set; } = Currency.EUR;

    public Guid? OutboxMessageId { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }
}

/// <summary>That <c>invoice.overdue</c> was emitted for an invoice (its primary key makes it once).</summary>
public sealed class InvoiceOverdueMark
{
    private InvoiceOverdueMark()
    {
    }

    /// <summary>Marks an invoice as having become overdue on a day.</summary>
    public InvoiceOverdueMark(Invoice invoice, DateOnly overdueOn, DateTimeOffset now)
    {
        InvoiceId = invoice.Id;
        OrganizationId = invoice.OrganizationId;
        OverdueOn = overdueOn;
        RecordedAt = now;
    }

    public Guid InvoiceId { get; private set; }

    public Guid OrganizationId { get; private set; }

    public DateOnly OverdueOn { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }
}

internal sealed class InvoiceReminderMapping : IEntityTypeConfiguration<InvoiceReminder>, IEntityTypeConfiguration<InvoiceOverdueMark>
{
    public void Configure(EntityTypeBuilder<InvoiceReminder> b)
    {
        b.ToTable("invoice_reminders");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasIndex(x => new { x.InvoiceId, x.OffsetDays }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<InvoiceOverdueMark> b)
    {
        b.ToTable("invoice_overdue_marks");
        b.HasKey(x => x.InvoiceId);
        b.Property(x => x.InvoiceId).ValueGeneratedNever();
    }
}
