using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Identity;

namespace Cairn.Server.Api;

/// <summary><c>/templates</c>: Cairn's built-in milestone plans and the organization's own.</summary>
public static class TemplatesEndpoints
{
    public static void MapTemplates(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/templates").WithTags("Templates");

        templates.MapGet("/", async (Templates service, CancellationToken ct) =>
            Results.Json(new Page<TemplateJson>((await service.ListAsync(ct)).Select(TemplateJson.Of).ToList(), null), ApiJson.Options))
            .Requires(Permission.Read).Produces<Page<TemplateJson>>();

        templates.MapGet("/{id:guid}", async (Guid id, HttpContext http, Templates service, CancellationToken ct) =>
        {
            var template = await service.GetAsync(id, ct);
            return Http.WithETag(http, TemplateJson.Of(template), template.Version);
        }).Requires(Permission.Read).Produces<TemplateJson>();

        templates.MapPost("/", async (TemplateInput input, HttpContext http, Templates service, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var template = await service.CreateAsync(caller.OrganizationId, Optional(input.Name, "name", 100), Inputs.Optional(input.Description, "description"), input.Plan(), input.CopyFrom, caller.Actor, ct);
            return Http.Created(http, $"/api/v1/templates/{template.Id}", TemplateJson.Of(template), template.Version);
        }).Requires(Permission.ManageTemplates).Produces<TemplateJson>(StatusCodes.Status201Created);

        templates.MapPatch("/{id:guid}", async (Guid id, TemplateInput input, HttpContext http, Templates service, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var template = await service.GetAsync(id, ct);
            if (input.CopyFrom is not null)
                return Problems.Invalid("copyFrom", "copyFrom is for creating a template (POST /api/v1/templates), not for changing one.", "unexpected_field").ToResult();
            if (!Templates.IsBuiltIn(template) && Http.CheckIfMatch(http, template.Version) is { } stale)
                return stale;
            await service.UpdateAsync(template, Optional(input.Name, "name", 100), Inputs.Optional(input.Description, "description"), input.Plan(), caller.Actor, ct);
            return Http.WithETag(http, TemplateJson.Of(template), template.Version);
        }).Requires(Permission.ManageTemplates).Produces<TemplateJson>();
    }

    private static string? Optional(string? value, string field, int max) => Inputs.Optional(value, field, max);
}

/// <summary>A template as the API shows it; <c>builtIn</c> ones are Cairn's read-only starters.</summary>
public sealed record TemplateJson(Guid Id, string Name, string Description, bool BuiltIn, int Version, IReadOnlyList<TemplateMilestoneJson> Milestones, DateTimeOffset CreatedAt)
{
    public static TemplateJson Of(Template t) => new(
        t.Id,
        t.Name,
        t.Description,
        Templates.IsBuiltIn(t),
        t.Version,
        t.Milestones.OrderBy(m => m.Position).Select(m => new TemplateMilestoneJson(m.Position, m.Title, m.Deliverable ?? "", m.AcceptanceCriteria ?? "", m.Share.ToDecimalString(), m.Trigger)).ToList(),
        t.CreatedAt);
}

/// <summary>One milestone of a template: its share of the contract value as a decimal string, e.g. <c>"33.33"</c>.</summary>
public sealed record TemplateMilestoneJson(int Position, string Title, string Deliverable, string AcceptanceCriteria, string Percentage, BillingTrigger Trigger);

/// <summary>Fields to create (or, with <c>copyFrom</c>, copy) or change a template; on PATCH, absent fields stay.</summary>
public sealed record TemplateInput(string? Name, string? Description, IReadOnlyList<TemplateMilestoneInput?>? Milestones, Guid? CopyFrom)
{
    /// <summary>The plan, checked field by field; null when not given.</summary>
    public IReadOnlyList<TemplateMilestone>? Plan() => Milestones?.Select((m, i) =>
    {
        var field = $"milestones[{i}]";
        if (m is null)
            throw new DomainException(new DomainError("required", $"{field} is required.", field));
        return new TemplateMilestone(
            Inputs.Required(m.Title, $"{field}.title"),
            Inputs.Optional(m.Deliverable, $"{field}.deliverable"),
            Inputs.Optional(m.AcceptanceCriteria, $"{field}.acceptanceCriteria"),
            Percentage.Parse(m.Percentage, $"{field}.percentage"),
            m.Trigger ?? BillingTrigger.OnApproval);
    }).ToList();
}

/// <summary>One milestone of a template as sent by a client.</summary>
public sealed record TemplateMilestoneInput(string? Title, string? Deliverable, string? AcceptanceCriteria, string? Percentage, BillingTrigger? Trigger);
