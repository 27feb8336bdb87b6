using Cairn.Server.Data;
using Cairn.Server.Localization;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web;

/// <summary>Who did something, by name: history keeps actors as <c>user:…</c> or <c>contact:…</c>; people read names (in the portal, in the client's language).</summary>
public sealed class ActorNames(IReadOnlyDictionary<string, string> names, PortalWording words)
{
    /// <summary>The names of the current organization's users and client contacts, the others said in <paramref name="words"/> (English by default).</summary>
    public static async Task<ActorNames> LoadAsync(CairnDb db, CancellationToken cancellationToken, PortalWording? words = null)
    {
        words ??= PortalWording.English;
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken);
        var contacts = await db.Contacts.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var u in users)
            names[$"user:{u.Id}"] = u.DisplayName;
        foreach (var c in contacts)
            names[$"contact:{c.Id}"] = Wording.Format(words.ActorClient, c.Name);
        return new ActorNames(names, words);
    }

    /// <summary>The name behind an actor string; API keys and Cairn itself are named as such.</summary>
    public string Of(string actor) =>
        names.TryGetValue(actor, out var name) ? name
        : actor.StartsWith("system", StringComparison.Ordinal) ? words.ActorCairn
        : actor.StartsWith("apikey", StringComparison.Ordinal) ? words.ActorApiKey
        : actor.StartsWith("contact", StringComparison.Ordinal) ? words.ActorContact
        : words.ActorTeamMember;
}
