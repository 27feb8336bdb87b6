using static Cairn.Domain.Tests.StateMachines.Builders;

namespace Cairn.Domain.Tests.StateMachines;

/// <summary>A submission's deliverable links: at most 20, each an absolute http(s) address the client can open.</summary>
public sealed class SubmissionTests
{
    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/design.pdf")]
    [InlineData("files.example/design.pdf")]
    [InlineData("")]
    public void A_link_that_is_not_an_absolute_web_address_is_refused_naming_it_and_changes_nothing(string link)
    {
        var (_, milestone) = AMilestoneIn(MilestoneStatus.InProgress);

        var refused = Assert.Throws<DomainException>(() => milestone.Submit("Designs attached.", ["https://files.example/ok.pdf", link], ProjectManager, Later));

        Assert.Equal(("invalid_link", "links[1]"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal(MilestoneStatus.InProgress, milestone.Status);
        Assert.Null(milestone.SubmittedAt);
    }

    [Fact]
    public void Twenty_links_are_accepted_and_twenty_one_refused()
    {
        var links = Enumerable.Range(1, 21).Select(i => $"https://files.example/{i}.pdf").ToList();
        var (_, tooMany) = AMilestoneIn(MilestoneStatus.InProgress);
        var (_, enough) = AMilestoneIn(MilestoneStatus.InProgress);

        var refused = Assert.Throws<DomainException>(() => tooMany.Submit("All files.", links, ProjectManager, Later));
        var submitted = enough.Submit("All files.", links[..20], ProjectManager, Later);

        Assert.Equal(("too_many_links", "links"), (refused.Error.Code, refused.Error.Field));
        Assert.Equal(20, submitted.Links.Count);
    }

    [Fact]
    public void A_milestones_terms_read_back_as_they_were_given()
    {
        var contract = ADraftContract(plan: [ByPercent("Design", "30"), ByAmount("Build", "7000.00")]);

        Assert.Equal(Pct("30"), contract.Milestones[0].Terms.Percentage);
        Assert.Null(contract.Milestones[0].Terms.FixedAmount);
        Assert.Equal(Eur("7000.00"), contract.Milestones[1].Terms.FixedAmount);
        Assert.Equal("Build", contract.Milestones[1].Terms.Title);
    }
}
