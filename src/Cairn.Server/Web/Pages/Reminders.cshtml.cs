using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Reminders;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// Settings → Reminders: the organization's reminder schedule (steps at ±N days from the due date, each
/// with its text per language) and whether it charges Directive 2011/7/EU late-payment interest. Everyone
/// on the staff reads it; owners and admins change it (<see cref="Permission.ManageSettings"/>, as
/// <c>PUT /api/v1/settings/reminders</c>), through the same rules (<see cref="ReminderRules"/>).
/// </summary>
public sealed class RemindersModel(CairnDb db, ReminderRules rules, BusinessDays businessDays, TimeProvider clock) : StaffPage
{
    /// <summary>The form's name for its errors.</summary>
    public const string Form = "reminders";

    [BindProperty] public List<ReminderStepInput> Steps { get; set; } = [];

    [BindProperty] public bool ChargeLateInterest { get; set; }

    /// <summary>Ticked: go back to Cairn's default schedule, whatever the rows say.</summary>
    [BindProperty] public bool UseDefault { get; set; }

    /// <summary>Whether the schedule in force is Cairn's default (none set).</summary>
    public bool IsDefault { get; private set; }

    /// <summary>The reference rate of today's half-year, or null when the table has none for it.</summary>
    public (DateOnly HalfYear, Percentage Rate)? ReferenceRate { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(fromPost: false, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var ok = await TryChangeAsync(db, Form, Permission.ManageSettings, "change the reminder settings", async () =>
        {
            var schedule = UseDefault ? null : ReminderStepInput.ToSchedule(Steps);
            await rules.ReplaceForOrganizationAsync(await rules.OfOrganizationAsync(ct), schedule, ChargeLateInterest, Caller.Actor, clock.GetUtcNow(), ct);
        });
        if (ok)
        {
            Flash = "Reminder settings saved.";
            return Redirect("/settings/reminders");
        }

        await LoadAsync(fromPost: true, ct);
        return Page();
    }

    private async Task LoadAsync(bool fromPost, CancellationToken ct)
    {
        ViewData["Section"] = "settings";
        var row = await rules.OfOrganizationAsync(ct);
        IsDefault = row.Schedule is null;
        if (!fromPost)
        {
            Steps = ReminderStepInput.Of(row.Schedule ?? ReminderSchedule.Default);
            ChargeLateInterest = row.ChargeLateInterest;
        }

        var today = await businessDays.TodayAsync(ct);
        var half = ReferenceRates.HalfYearOf(today);
        ReferenceRate = LateInterestCharges.Rates.All.Where(r => r.HalfYearStart == half).Select(r => ((DateOnly, Percentage)?)r).SingleOrDefault();
    }
}
