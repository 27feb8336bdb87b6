using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Reminders;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary>
/// Reminders and dunning: the organization's schedule (<c>/settings/reminders</c>), a client's override
/// and pause (<c>/clients/{id}/reminders</c>), and what was sent or skipped for an invoice
/// (<c>/invoices/{id}/reminders</c>).
/// </summary>
public static class RemindersEndpoints
{
    public static void MapReminders(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings/reminders").WithTags("Settings");
        settings.MapGet("/", async (HttpContext http, ReminderRules rules, CancellationToken ct) =>
        {
            var row = await rules.OfOrganizationAsync(ct);
            return Http.WithETag(http, ReminderSettingsJson.Of(row), row.Version);
        }).Requires(Permission.Read).Produces<ReminderSettingsJson>();

        settings.MapPut("/", async (ReminderSettingsInput input, HttpContext http, CairnDb db, ReminderRules rules, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var schedule = input.Schedule();
            var row = await rules.OfOrganizationAsync(ct);
            if (Http.CheckIfMatch(http, row.Version) is { } stale)
                return stale;
            await rules.ReplaceForOrganizationAsync(row, schedule, input.ChargeLateInterest ?? false, caller.Actor, clock.GetUtcNow(), ct);
            await db.SaveChangesAsync(ct);
            return Http.WithETag(http, ReminderSettingsJson.Of(row), row.Version);
        }).Requires(Permission.ManageSettings).Produces<ReminderSettingsJson>();

        var clients = api.MapGroup("/clients").WithTags("Clients");
        clients.MapGet("/{id:guid}/reminders", async (Guid id, HttpContext http, CairnDb db, ReminderRules rules, CancellationToken ct) =>
        {
            await RequireClientAsync(db, id, ct);
            var row = await rules.OfClientAsync(id, ct);
            return Http.WithETag(http, await ClientRemindersJson.OfAsync(row, rules, ct), row.Version);
        }).Requires(Permission.Read).Produces<ClientRemindersJson>();

        clients.MapPut("/{id:guid}/reminders", async (Guid id, ClientRemindersInput input, HttpContext http, CairnDb db, ReminderRules rules, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            await RequireClientAsync(db, id, ct);
            var schedule = input.Steps is null ? null : ReminderStepJson.ToSchedule(input.Steps);
            var row = await rules.OfClientAsync(id, ct);
            if (Http.CheckIfMatch(http, row.Version) is { } stale)
                return stale;
            await rules.ReplaceForClientAsync(row, schedule, input.Paused ?? false, caller.Actor, clock.GetUtcNow(), ct);
            await db.SaveChangesAsync(ct);
            return Http.WithETag(http, await ClientRemindersJson.OfAsync(row, rules, ct), row.Version);
        }).Requires(Permission.ManageClients).Produces<ClientRemindersJson>();

        var invoices = api.MapGroup("/invoices").WithTags("Invoices");
        invoices.MapGet("/{id:guid}/late-interest", async (Guid id, LateInterestCharges charges, CancellationToken ct) =>
        {
            var (late, computation) = await charges.ComputeAsync(id, ct);
            return TypedResults.Ok(LateInterestJson.Of(late, computation));
        }).Requires(Permission.Read).Produces<LateInterestJson>();

        invoices.MapPost("/{id:guid}/late-interest", async (Guid id, HttpContext http, LateInterestCharges charges, CancellationToken ct) =>
        {
            var (charge, computation) = await charges.ChargeAsync(id, http.Caller().Actor, ct);
            return TypedResults.Created($"/api/v1/invoices/{charge.Id}", new LateInterestChargedJson(charge.Id, charge.Number, charge.Status, MoneyJson.Of(charge.Gross), LateInterestJson.Of(null, computation) with { InvoiceId = id }));
        }).Requires(Permission.ManageInvoices).Produces<LateInterestChargedJson>(StatusCodes.Status201Created);

        invoices.MapGet("/{id:guid}/reminders", async (Guid id, CairnDb db, CancellationToken ct) =>
        {
            if (!await db.Invoices.AnyAsync(i => i.Id == id, ct))
                throw EntityNotFound.Of("invoice", id);
            var trail = await db.InvoiceReminders.AsNoTracking().Where(r => r.InvoiceId == id).OrderBy(r => r.OffsetDays).ToListAsync(ct);
            return TypedResults.Ok(trail.Select(InvoiceReminderJson.Of).ToList());
        }).Requires(Permission.Read).Produces<List<InvoiceReminderJson>>();
    }

    private static async Task RequireClientAsync(CairnDb db, Guid id, CancellationToken ct)
    {
        if (!await db.Clients.AnyAsync(c => c.Id == id, ct))
            throw EntityNotFound.Of("client", id);
    }
}

/// <summary>The organization's reminder settings.</summary>
/// <param name="Steps">The schedule in force, earliest step first.</param>
/// <param name="IsDefault">Whether it is Cairn's default schedule (−3, +7, +21, +35 days), none having been set.</param>
/// <param name="ChargeLateInterest">Whether staff may charge Directive 2011/7/EU late-payment interest on late invoices (B2B).</param>
/// <param name="Placeholders">The placeholders a subject or body may use, without braces.</param>
public sealed record ReminderSettingsJson(IReadOnlyList<ReminderStepJson> Steps, bool IsDefault, bool ChargeLateInterest, IReadOnlyList<string> Placeholders)
{
    public static ReminderSettingsJson Of(ReminderSettings s) =>
        new((s.Schedule ?? ReminderSchedule.Default).Steps.Select(ReminderStepJson.Of).ToList(), s.Schedule is null, s.ChargeLateInterest, ReminderText.Placeholders);
}

/// <summary>
/// The organization's reminder settings, replaced whole: <c>steps</c> (required) is the list of steps, or null
/// for Cairn's default schedule; <c>chargeLateInterest</c> absent is false.
/// </summary>
public sealed record ReminderSettingsInput(System.Text.Json.JsonElement Steps, bool? ChargeLateInterest)
{
    /// <summary>The schedule asked for (null: the default), checked.</summary>
    /// <exception cref="DomainException"><c>required</c> or <c>invalid_steps</c> (field <c>steps</c>), or a step's own error.</exception>
    public ReminderSchedule? Schedule()
    {
        switch (Steps.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Null:
                return null;
            case System.Text.Json.JsonValueKind.Array:
                List<ReminderStepJson?> steps;
                try
                {
                    steps = System.Text.Json.JsonSerializer.Deserialize<List<ReminderStepJson?>>(Steps, ApiJson.Options) ?? [];
                }
                catch (System.Text.Json.JsonException)
                {
                    throw new DomainException(new DomainError("invalid_steps", "steps is a list of {offsetDays, texts: {en: {subject, body}, …}}.", "steps"));
                }

                return ReminderStepJson.ToSchedule(steps);
            case System.Text.Json.JsonValueKind.Undefined:
                throw new DomainException(new DomainError("required", "steps is required: the list of steps, or null for Cairn's default schedule.", "steps"));
            default:
                throw new DomainException(new DomainError("invalid_steps", "steps is a list of steps, or null for Cairn's default schedule.", "steps"));
        }
    }
}

/// <summary>A client's reminders.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Steps">The schedule that applies to the client: its own, else the organization's.</param>
/// <param name="Inherited">Whether the client uses the organization's schedule.</param>
/// <param name="Paused">Whether reminders to the client are paused (no reminder is sent while paused).</param>
public sealed record ClientRemindersJson(Guid ClientId, IReadOnlyList<ReminderStepJson> Steps, bool Inherited, bool Paused)
{
    public static async Task<ClientRemindersJson> OfAsync(ReminderSettings row, ReminderRules rules, CancellationToken ct)
    {
        var organization = (await rules.OfOrganizationAsync(ct)).Schedule ?? ReminderSchedule.Default;
        return new(row.ClientId!.Value, (row.Schedule ?? organization).Steps.Select(ReminderStepJson.Of).ToList(), row.Schedule is null, row.Paused);
    }
}

/// <summary>A client's reminders, replaced whole: <c>steps</c> null or absent uses the organization's schedule; <c>paused</c> absent is false.</summary>
public sealed record ClientRemindersInput(List<ReminderStepJson?>? Steps, bool? Paused);

/// <summary>One step of an invoice's reminder trail.</summary>
/// <param name="OffsetDays">The step: days from the due date.</param>
/// <param name="Outcome"><c>sent</c>, <c>skipped</c> (a later step had come when Cairn got to it) or <c>no_recipient</c> (the client has no email address).</param>
/// <param name="StepDay">The step's day (due date + offset).</param>
/// <param name="BalanceDue">The balance due when it was recorded.</param>
/// <param name="RecordedAt">When it was recorded (UTC).</param>
public sealed record InvoiceReminderJson(int OffsetDays, string Outcome, DateOnly StepDay, MoneyJson BalanceDue, DateTimeOffset RecordedAt)
{
    public static InvoiceReminderJson Of(InvoiceReminder r) => new(r.OffsetDays, r.Outcome, r.StepDay, MoneyJson.Of(new Money(r.BalanceMinor, r.Currency)), r.RecordedAt);
}

/// <summary>
/// The Directive 2011/7/EU late-payment interest of an invoice: each stretch of days with what was late and the
/// statutory rate (reference rate of the half-year + 8 points), the interest (Σ principal × rate × days / 365,
/// rounded once, half away from zero) and the fixed 40 EUR compensation (null for an invoice not in euro).
/// </summary>
public sealed record LateInterestJson(Guid InvoiceId, IReadOnlyList<InterestPeriodJson> Periods, MoneyJson Interest, MoneyJson? Compensation, MoneyJson Total)
{
    public static LateInterestJson Of(Invoice? late, LateInterestComputation c) => new(
        late?.Id ?? Guid.Empty,
        c.Periods.Select(p => new InterestPeriodJson(p.From, p.To, MoneyJson.Of(p.Principal), p.Rate.ToDecimalString(), p.Days)).ToList(),
        MoneyJson.Of(c.Interest), c.Compensation is { } comp ? MoneyJson.Of(comp) : null, MoneyJson.Of(c.Total));
}

/// <summary>One stretch of a late-interest computation: interest runs from the day after <c>from</c> to <c>to</c>, <c>days</c> actual days.</summary>
/// <param name="RatePercent">The statutory rate in percent, e.g. <c>10.15</c>.</param>
public sealed record InterestPeriodJson(DateOnly From, DateOnly To, MoneyJson Principal, string RatePercent, int Days);

/// <summary>The interest invoice created: its id, number (null when the organization reviews drafts), status and gross, with the computation.</summary>
public sealed record LateInterestChargedJson(Guid InterestInvoiceId, string? Number, InvoiceStatus Status, MoneyJson Gross, LateInterestJson Computation);
