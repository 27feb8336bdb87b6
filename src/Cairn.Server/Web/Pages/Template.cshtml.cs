using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// One template: a built-in one is read and copied; the organization's own is edited (name,
/// description, milestones with their percentages), checked by the same code as the API, with
/// each message next to the field at fault and what was typed kept.
/// </summary>
public sealed class TemplateModel(CairnDb db, Billing.Templates templates) : StaffPage
{
    /// <summary>The form's name for its errors.</summary>
    public const string Form = "template";

    /// <summary>Empty rows offered for new milestones.</summary>
    public const int SpareRows = 2;

    public Template Template { get; private set; } = null!;

    public bool BuiltIn => Billing.Templates.IsBuiltIn(Template);

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public List<Row> Rows { get; set; } = [];

    /// <summary>The sum of the percentages in the form, or null when one cannot be read.</summary>
    public decimal? Total => Rows.Where(r => !r.IsEmpty).Aggregate((decimal?)0m, (sum, r) => Percentage.TryParse(r.Percentage, out var p, out _) ? sum + p.BasisPoints / 100m : null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await templates.FindAsync(id, ct) is not { } template)
            return NotFound();
        Show(template);
        Name = template.Name;
        Description = template.Description;
        Rows = [.. template.Milestones.OrderBy(m => m.Position).Select(m => new Row
        {
            Title = m.Title,
            Deliverable = m.Deliverable,
            AcceptanceCriteria = m.AcceptanceCriteria,
            Percentage = m.Share.ToDecimalString(),
            Trigger = Inputs.NameOf(m.Trigger),
        })];
        return Page();
    }

    public async Task<IActionResult> OnPostCopyAsync(Guid id, CancellationToken ct)
    {
        Template? copy = null;
        if (await TryChangeAsync(db, "copy", Permission.ManageTemplates, "copy templates", async () =>
            copy = await templates.CreateAsync(Caller.OrganizationId, null, null, null, id, Caller.Actor, ct)))
        {
            Flash = "Template copied: change the copy and save it.";
            return Redirect($"/templates/{copy!.Id}");
        }

        return await OnGetAsync(id, ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken ct)
    {
        var keys = new List<string>();
        var ok = await TryChangeAsync(db, Form, Permission.ManageTemplates, "change templates", async () =>
        {
            var template = await templates.GetAsync(id, ct);
            var sent = Rows.Select((row, n) => (Row: row, Key: $"rows[{n}]")).Where(x => !x.Row.IsEmpty).ToList();
            keys.AddRange(sent.Select(x => x.Key));
            try
            {
                var input = new TemplateInput(Name ?? "", Description ?? "", [.. sent.Select(x => x.Row.ToInput())], null);
                await templates.UpdateAsync(template, Inputs.Optional(input.Name, "name", 100), Inputs.Optional(input.Description, "description"), input.Plan(), Caller.Actor, ct);
            }
            catch (DomainException e)
            {
                throw new DomainException(RowErrors.Rename(e.Error, "milestones", keys));
            }
        });
        if (ok)
        {
            Flash = "Template saved.";
            return Redirect($"/templates/{id}");
        }

        if (await templates.FindAsync(id, ct) is not { } current)
            return NotFound();
        Show(current);
        return Page();
    }

    private void Show(Template template)
    {
        ViewData["Section"] = "contracts";
        Template = template;
    }

    /// <summary>One milestone row of the form; a row left empty is no milestone.</summary>
    public sealed class Row
    {
        public string? Title { get; set; }

        public string? Deliverable { get; set; }

        public string? AcceptanceCriteria { get; set; }

        public string? Percentage { get; set; }

        public string? Trigger { get; set; }

        public bool IsEmpty => string.IsNullOrWhiteSpace(Title) && string.IsNullOrWhiteSpace(Percentage) && string.IsNullOrWhiteSpace(Deliverable) && string.IsNullOrWhiteSpace(AcceptanceCriteria);

        public TemplateMilestoneInput ToInput() => new(Title, Deliverable, AcceptanceCriteria, Percentage?.Trim().TrimEnd('%'), Inputs.OptionalEnum<BillingTrigger>(Trigger, "trigger"));
    }
}
