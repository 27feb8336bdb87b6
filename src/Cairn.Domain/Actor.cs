namespace Cairn.Domain;

/// <summary>Who does something: a staff user, an API key, a client contact, or Cairn itself.</summary>
public enum ActorKind
{
    /// <summary>A signed-in staff member of the organization.</summary>
    User,

    /// <summary>An integrator's API key.</summary>
    ApiKey,

    /// <summary>A client contact acting through the portal.</summary>
    Contact,

    /// <summary>Cairn's own scheduled work (auto-approval, dated instalments).</summary>
    System,
}

/// <summary>The party behind a change of state, recorded in history and the audit log.</summary>
/// <param name="Kind">What kind of party it is.</param>
/// <param name="Id">The user, key or contact id; <c>system</c> for Cairn itself.</param>
/// <param name="Name">A readable name for history views.</param>
public sealed record Actor(ActorKind Kind, string Id, string Name)
{
    /// <summary>Cairn itself, for scheduled work.</summary>
    public static Actor System { get; } = new(ActorKind.System, "system", "Cairn");

    /// <summary>Compact form stored with history rows, e.g. <c>user:4f1c…</c>.</summary>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Id}";
}
