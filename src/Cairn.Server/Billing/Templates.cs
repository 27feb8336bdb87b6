using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// Milestone plan templates: Cairn's built-in starters (read-only, shared by every organization)
/// and the organization's own, which it creates, copies and edits.
/// </summary>
public sealed class Templates(CairnDb db, TimeProvider clock)
{
    /// <summary>Whether a template is one of Cairn's built-in starters.</summary>
    public static bool IsBuiltIn(Template template) => template.OrganizationId is null;

    /// <summary>The built-in templates, then the organization's own in creation order.</summary>
    public async Task<IReadOnlyList<Template>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. BuiltInTemplates.All, .. await db.Templates.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken)];

    /// <summary>A built-in template or one of the organization's own; null when neither has the id.</summary>
    public async Task<Template?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        BuiltInTemplates.All.FirstOrDefault(t => t.Id == id) ?? await db.Templates.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);

    /// <summary>Like <see cref="FindAsync"/>, but a missing template is a 404.</summary>
    public async Task<Template> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken) ?? throw new DomainException(new NotFound("template", id));

    /// <summary>Creates an organization template, from scratch or as a copy of another (built-in or own) with optional changes.</summary>
    public async Task<Template> CreateAsync(Guid organizationId, string? name, string? description, IReadOnlyList<TemplateMilestone>? milestones, Guid? copyFrom, Actor actor, CancellationToken cancellationToken = default)
    {
        Template? source = null;
        if (copyFrom is { } sourceId)
        {
            source = await FindAsync(sourceId, cancellationToken)
                ?? throw new DomainException(new DomainError("unknown_template", $"There is no template with id {sourceId} to copy.", "copyFrom"));
        }
        else
        {
            if (name is null)
                throw new DomainException(new DomainError("name_required", "A template needs a name of at most 100 characters.", "name"));
            if (milestones is null)
                throw new DomainException(new DomainError("milestones_required", "A template has 1 to 50 milestones.", "milestones"));
        }

        var now = clock.GetUtcNow();
        var template = new Template(
            Guid.CreateVersion7(),
            organizationId,
            name ?? CopyName(source!.Name),
            description ?? source?.Description,
            milestones ?? source!.Milestones,
            now);
        db.Templates.Add(template);
        Audit.Record(db, organizationId, "template", template.Id, source is null ? "created" : "copied", actor, now, after: new { template.Name, template.Version, CopiedFrom = source?.Id, Milestones = template.Milestones.Count });
        await db.SaveChangesAsync(cancellationToken);
        return template;
    }

    /// <summary>Changes an organization template; built-in templates are read-only (copy one to change it).</summary>
    public async Task UpdateAsync(Template template, string? name, string? description, IReadOnlyList<TemplateMilestone>? milestones, Actor actor, CancellationToken cancellationToken = default)
    {
        if (IsBuiltIn(template))
            throw new DomainException(new BuiltInTemplateReadOnly(template.Id));
        var before = new { template.Name, template.Description, template.Version, Plan = Describe(template) };
        template.Update(name ?? template.Name, description ?? template.Description, milestones ?? template.Milestones);
        Audit.Record(db, template.OrganizationId!.Value, "template", template.Id, "updated", actor, clock.GetUtcNow(), before, new { template.Name, template.Description, template.Version, Plan = Describe(template) });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string CopyName(string name) => name.Length > 93 ? name[..93] + " (copy)" : name + " (copy)";

    private static string Describe(Template template) =>
        string.Join(", ", template.Milestones.Select(m => $"{m.Title} {m.Share.ToDecimalString()}%"));
}

/// <summary>A change to one of Cairn's built-in templates, which are shared and read-only: 409.</summary>
public sealed record BuiltInTemplateReadOnly(Guid TemplateId)
    : DomainError("built_in_template_read_only", $"Template {TemplateId} is one of Cairn's built-in templates and cannot be changed; copy it (POST /api/v1/templates with copyFrom) and change the copy.")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}
