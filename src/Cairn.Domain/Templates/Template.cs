namespace Cairn.Domain;

/// <summary>A reusable milestone plan; creating a contract from it fills the plan by percentages.</summary>
public sealed class Template
{
    private readonly List<TemplateMilestone> _milestones = [];

    private Template()
    {
    }

    /// <summary>Creates a template; the percentages must add up to exactly 100.</summary>
    public Template(Guid id, Guid? organizationId, string name, string? description, IEnumerable<TemplateMilestone> milestones, DateTimeOffset now)
    {
        Id = id;
        OrganizationId = organizationId;
        CreatedAt = now;
        Update(name, description, milestones);
    }

    public Guid Id { get; private set; }

    /// <summary>The owning organization; null for Cairn's built-in starter templates.</summary>
    public Guid? OrganizationId { get; private set; }

    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";

    public int Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyList<TemplateMilestone> Milestones => _milestones;

    /// <summary>Replaces the name, description and plan; the percentages must add up to 100.</summary>
    public void Update(string name, string? description, IEnumerable<TemplateMilestone> milestones)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new DomainException(new DomainError("name_required", "A template needs a name of at most 100 characters.", "name"));
        var plan = milestones.ToList();
        if (plan.Count is 0 or > 50)
            throw new DomainException(new DomainError("milestones_required", "A template has 1 to 50 milestones.", "milestones"));
        for (var i = 0; i < plan.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(plan[i].Title))
                throw new DomainException(new DomainError("title_required", "Every milestone needs a title.", $"milestones[{i}].title"));
            if (plan[i].Trigger == BillingTrigger.OnDate)
                throw new DomainException(new DomainError("trigger_unsupported", "Templates carry no dates; use on_approval or on_start and set dates on the contract.", $"milestones[{i}].trigger"));
        }

        var total = plan.Sum(m => m.Share.BasisPoints);
        if (total != Percentage.Hundred.BasisPoints)
            throw new DomainException(new DomainError("percentages_do_not_add_up", $"The percentages add up to {(total / 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}%, not 100%.", "milestones"));
        Name = name.Trim();
        Description = description?.Trim() ?? "";
        _milestones.Clear();
        _milestones.AddRange(plan.Select((m, i) => m with { Position = i + 1 }));
        Version++;
    }

    /// <summary>The plan as milestone terms, priced by percentage of the contract value.</summary>
    public IEnumerable<MilestoneTerms> ToTerms() =>
        _milestones.OrderBy(m => m.Position).Select(m => new MilestoneTerms(m.Title, m.Deliverable, m.AcceptanceCriteria, null, null, m.Share, m.Trigger));
}

/// <summary>One milestone of a template plan.</summary>
public sealed record TemplateMilestone(string Title, string? Deliverable, string? AcceptanceCriteria, Percentage Share, BillingTrigger Trigger = BillingTrigger.OnApproval)
{
    /// <summary>Order within the template, from 1.</summary>
    public int Position { get; init; }
}

/// <summary>Cairn's starter templates, offered to every organization to use or copy.</summary>
public static class BuiltInTemplates
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The five starter plans: website, software, construction, design, fixed fee.</summary>
    public static IReadOnlyList<Template> All { get; } =
    [
        Make("0190a000-0000-7000-8000-000000000001", "Website 30/40/30", "Design, build, launch.",
            ("Design approved", "Page designs and style guide", "Client signs off the homepage and two inner page designs.", 3000),
            ("Site built", "Working site on staging", "All agreed pages work on staging on desktop and phone.", 4000),
            ("Launch", "Site live on the client's domain", "Site is live, content migrated, analytics installed.", 3000)),
        Make("0190a000-0000-7000-8000-000000000002", "Software 25/25/50", "Specification, beta, acceptance.",
            ("Specification", "Written specification", "Client approves the specification document.", 2500),
            ("Beta release", "Beta build for testing", "Beta installed in the client's test environment.", 2500),
            ("Acceptance", "Production release", "Acceptance tests pass in production.", 5000)),
        Make("0190a000-0000-7000-8000-000000000003", "Construction 20/30/30/20", "Site works to handover.",
            ("Site preparation", "Site cleared and foundations laid", "Inspection of foundations passed.", 2000),
            ("Structure", "Structure complete", "Structural inspection passed.", 3000),
            ("Fit-out", "Interior and services complete", "Services tested and signed off.", 3000),
            ("Handover", "Building handed over", "Snag list closed and keys handed over.", 2000)),
        Make("0190a000-0000-7000-8000-000000000004", "Design 30/30/40", "Concepts, refinement, final files.",
            ("Concepts", "Three concept directions", "Client chooses one direction.", 3000),
            ("Refinement", "Refined design", "Client approves the refined design.", 3000),
            ("Final files", "Production-ready files", "All agreed formats delivered.", 4000)),
        MakeDeposit("0190a000-0000-7000-8000-000000000005", "Fixed fee 40/30/30", "40% upfront, then two deliveries.",
            ("Deposit", "Project start", "Invoiced when the contract starts.", 4000, BillingTrigger.OnStart),
            ("First delivery", "First half of the work", "Client approves the first delivery.", 3000, BillingTrigger.OnApproval),
            ("Final delivery", "Remaining work", "Client approves the final delivery.", 3000, BillingTrigger.OnApproval)),
    ];

    private static Template Make(string id, string name, string description, params (string Title, string Deliverable, string Criteria, int BasisPoints)[] plan) =>
        new(Guid.Parse(id), null, name, description, plan.Select(p => new TemplateMilestone(p.Title, p.Deliverable, p.Criteria, Percentage.FromBasisPoints(p.BasisPoints))), Epoch);

    private static Template MakeDeposit(string id, string name, string description, params (string Title, string Deliverable, string Criteria, int BasisPoints, BillingTrigger Trigger)[] plan) =>
        new(Guid.Parse(id), null, name, description, plan.Select(p => new TemplateMilestone(p.Title, p.Deliverable, p.Criteria, Percentage.FromBasisPoints(p.BasisPoints), p.Trigger)), Epoch);
}
