using System.Text.RegularExpressions;
using Cairn.Domain;
using Cairn.Server.Localization;
using Cairn.Server.Requests;
using Cairn.Server.Web;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>
/// Issue 12, localization: the portal's and the emails' catalogues are complete in every language a
/// client can choose: no empty text, the same placeholders as English, and words for every state a badge shows.
/// </summary>
public sealed partial class LocalizationCatalogueTests
{
    public static TheoryData<Language> Languages => [.. Enum.GetValues<Language>()];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_portal_text_is_written_in_each_language_with_the_placeholders_of_english(Language language)
    {
        var english = PortalWording.English;
        var words = Wording.For(language).Portal;

        foreach (var property in typeof(PortalWording).GetProperties().Where(p => p.PropertyType == typeof(string)))
            SameShape(property.Name, (string)property.GetValue(english)!, (string?)property.GetValue(words));
        Assert.Equal(english.States.Keys.Order(), words.States.Keys.Order());
        Assert.Equal(english.Refusals.Keys.Order(), words.Refusals.Keys.Order());
        foreach (var (key, text) in english.States)
            SameShape(key, text, words.States[key]);
        foreach (var (key, text) in english.Refusals)
            SameShape(key, text, words.Refusals[key]);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_email_text_is_written_in_each_language_with_the_placeholders_of_english(Language language)
    {
        var english = MailWording.English;
        var words = MailWording.For(language);

        foreach (var property in typeof(MailWording).GetProperties().Where(p => p.PropertyType == typeof(string)))
            SameShape(property.Name, (string)property.GetValue(english)!, (string?)property.GetValue(words));
    }

    [Fact]
    public void Every_state_the_portal_shows_as_a_badge_or_in_a_history_has_words()
    {
        var names = Names<MilestoneStatus>().Concat(Names<InvoiceStatus>()).Concat(Names<ContractStatus>()).Concat(Names<ChangeOrderStatus>())
            .Concat(Names<MilestoneEventKind>()).Concat(Names<BillingTrigger>()).Concat(Names<BillingStatus>()).Concat(Names<BillingFlag>());

        foreach (var name in names)
            Assert.True(PortalWording.English.States.ContainsKey(name), $"no words for the state {name}");
        Assert.Equal("in Arbeit", PortalWording.German.StateOf(MilestoneStatus.InProgress));
        Assert.Equal("in progress", PortalWording.English.StateOf(MilestoneStatus.InProgress));
    }

    private static IEnumerable<string> Names<T>()
        where T : struct, Enum => Enum.GetValues<T>().Select(v => Inputs.NameOf(v));

    private static void SameShape(string name, string english, string? text)
    {
        Assert.False(string.IsNullOrWhiteSpace(text), $"{name} is empty");
        Assert.True(Placeholders(english).SequenceEqual(Placeholders(text!)), $"{name}: \"{text}\" does not take the values of \"{english}\"");
    }

    private static IEnumerable<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).Distinct().Order();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
