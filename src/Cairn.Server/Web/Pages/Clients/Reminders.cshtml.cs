using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Reminders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Clients;

/// <summary>
/// A client's reminders: follow the organization's schedule, have its own, or be paused (no reminder
/// is sent). Changed by those who manage clients (<see cref="Permission.ManageClients"/>, as
/// <c>PUT /api/v1/clients/{id}/reminders</c>), through the same rules (<see cref="ReminderRules"/>).
/// </summary>
public sealed class ClientRemindersModel(CairnDb db, ReminderRules rules, TimeProvider clock) : StaffPage
{
    /// <summary>The form's name for its errors.</summary>
    public const string Form = "client-reminders";

    /// <summary>The client follows the organization's schedule.</summary>
    public const string Organization = "organization";

    /// <summary>The client has a schedule of its own.</summary>
    public const string Own = "own";

    /// <summary>No reminder goes to the client.</summary>
    public const string Paused = "paused";

    public Client Client { get; private set; } = null!;

    /// <summary><see cref="Organization"/>, <see cref="Own"/> or <see cref="Paused"/>.</summary>
    [BindProperty] public string? Mode { get; set; }

    [BindProperty] public List<ReminderStepInput> Steps { get; set; } = [];

    /// <summary>How a client's settings row reminds it, in a sentence (the client page shows it too).</summary>
    public static string Summary(ReminderSettings row) =>
        row.Paused ? "Reminders to this client are paused: none is sent until they are resumed."
        : row.Schedule is { } own ? $"This client has its own schedule: {Days(own)}."
        : "This client follows the organization's reminder schedule.";

    /// <summary>The days of a schedule's steps, e.g. "3 days before the due date, 7 days after the due date".</summary>
    public static string Days(ReminderSchedule schedule) => string.Join(", ", schedule.Steps.Select(s => ReminderStepInput.DayInWords(s.OffsetDays)));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, fromPost: false, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, Form, Permission.ManageClients, "change a client's reminders", async () =>
        {
            if (!await db.Clients.AnyAsync(c => c.Id == id, ct))
                throw new DomainException(new NotFound("client", id));
            var row = await rules.OfClientAsync(id, ct);
            var (schedule, paused) = Mode switch
            {
                Organization => (null, false),
                Own => (ReminderStepInput.ToSchedule(Steps), false),
                // Paused keeps whatever schedule the client had, for when it is resumed.
                Paused => (row.Schedule, true),
                _ => throw new DomainException(new DomainError("invalid_mode", "Choose how this client is reminded.", "mode")),
            };
            await rules.ReplaceForClientAsync(row, schedule, paused, Caller.Actor, clock.GetUtcNow(), ct);
        });
        if (ok)
        {
            Flash = "Reminder settings of the client saved.";
            return Redirect($"/clients/{id}#reminders");
        }

        return await LoadAsync(id, fromPost: true, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, bool fromPost, CancellationToken ct)
    {
        ViewData["Section"] = "clients";
        if (await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is not { } client)
            return false;
        Client = client;
        if (fromPost)
            return true;
        var row = await rules.OfClientAsync(id, ct);
        Mode = row.Paused ? Paused : row.Schedule is null ? Organization : Own;
        // A client without a schedule of its own starts from the organization's.
        Steps = ReminderStepInput.Of(row.Schedule ?? (await rules.OfOrganizationAsync(ct)).Schedule ?? ReminderSchedule.Default);
        return true;
    }
}
