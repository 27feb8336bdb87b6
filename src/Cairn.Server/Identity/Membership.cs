using Cairn.Domain;

namespace Cairn.Server.Identity;

/// <summary>
/// What a person (<see cref="StaffUser"/>) is in one organization: their role, whether they are
/// deactivated there, and a pending invitation. One person signs in once and may hold memberships
/// in several organizations; every permission, the last-owner rule and deactivation are per
/// membership, never per person (issue 11, finding 3).
/// </summary>
public sealed class Membership
{
    private Membership()
    {
    }

    private Membership(Guid organizationId, Guid userId, string invitedName, Role role, DateTimeOffset now)
    {
        OrganizationId = organizationId;
        UserId = userId;
        InvitedName = invitedName;
        Role = role;
        CreatedAt = now;
    }

    public Guid OrganizationId { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The name the inviter gave (or the part of the email before the @): what the organization sees until the person enters it.</summary>
    public string InvitedName { get; private set; } = "";

    public Role Role { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the person first entered the organization (accepted the invitation, signed in or switched to it); null while invited.</summary>
    public DateTimeOffset? AcceptedAt { get; private set; }

    public DateTimeOffset? DeactivatedAt { get; private set; }

    /// <summary>SHA-256 of the pending invitation's token; the token itself is never stored.</summary>
    public string? InviteTokenHash { get; private set; }

    public DateTimeOffset? InviteExpiresAt { get; private set; }

    /// <summary>Optimistic-concurrency version, surfaced as the user's ETag in this organization.</summary>
    public int Version { get; private set; } = 1;

    /// <summary>Whether the person may work in this organization (not deactivated here).</summary>
    public bool IsActive => DeactivatedAt is null;

    /// <summary>Whether the person has entered the organization at least once.</summary>
    public bool IsAccepted => AcceptedAt is not null;

    /// <summary>How the organization sees the person: <c>invited</c>, <c>active</c> or <c>deactivated</c>.</summary>
    public string Status => !IsActive ? "deactivated" : IsAccepted ? "active" : "invited";

    /// <summary>The caller a signed-in person acts as in this organization.</summary>
    /// <param name="user">The person this membership belongs to.</param>
    /// <param name="requiresTwoFactor">Whether the organization requires a second factor (<see cref="Organization.RequireTwoFactor"/>).</param>
    public Caller CallerFor(StaffUser user, bool requiresTwoFactor) =>
        new(OrganizationId, user.Actor, Role, null, requiresTwoFactor && !user.HasTwoFactor);

    /// <summary>A membership that starts as a pending invitation; the returned token goes into the emailed link and is never stored.</summary>
    public static (Membership Membership, string Token) Invite(Guid organizationId, Guid userId, string invitedName, Role role, DateTimeOffset now)
    {
        var membership = new Membership(organizationId, userId, invitedName, role, now);
        return (membership, membership.Reinvite(role, now));
    }

    /// <summary>A membership the person holds at once (the first owner of a new organization).</summary>
    public static Membership Accepted(StaffUser user, Guid organizationId, Role role, DateTimeOffset now) =>
        new(organizationId, user.Id, user.DisplayName, role, now) { AcceptedAt = now };

    /// <summary>
    /// Invites the person again with <paramref name="role"/>: a new token (the previous one stops
    /// working), and a deactivated membership becomes active again, waiting for the person to come back.
    /// </summary>
    public string Reinvite(Role role, DateTimeOffset now)
    {
        var token = Tokens.New();
        InviteTokenHash = Tokens.Hash(token);
        InviteExpiresAt = now + StaffUser.InvitationLifetime;
        if (DeactivatedAt is not null)
            AcceptedAt = null;
        DeactivatedAt = null;
        Role = role;
        Version++;
        return token;
    }

    /// <summary>Whether the invitation link still opens this membership.</summary>
    public bool HasValidInvitation(DateTimeOffset now) => IsActive && InviteTokenHash is not null && InviteExpiresAt > now;

    /// <summary>Records that the person entered the organization; the invitation link stops working.</summary>
    public void Accept(DateTimeOffset now)
    {
        if (AcceptedAt is null)
        {
            AcceptedAt = now;
            Version++;
        }

        if (InviteTokenHash is not null)
        {
            InviteTokenHash = null;
            InviteExpiresAt = null;
            Version++;
        }
    }

    /// <summary>Changes the role; the person's sessions in this organization pick it up at their next request.</summary>
    public void ChangeRole(Role role)
    {
        if (Role == role)
            return;
        Role = role;
        Version++;
    }

    /// <summary>Records a change shown with the membership (e.g. the person's name), so a stale ETag is refused.</summary>
    public void Touch() => Version++;

    /// <summary>Deactivates the membership: the person can no longer enter this organization and their sessions in it end; the invitation stops working.</summary>
    public void Deactivate(DateTimeOffset now)
    {
        if (DeactivatedAt is not null)
            return;
        DeactivatedAt = now;
        InviteTokenHash = null;
        InviteExpiresAt = null;
        Version++;
    }

    /// <summary>Lets the person enter the organization again, with the role they had; an invitation never accepted needs sending again.</summary>
    public void Reactivate()
    {
        if (DeactivatedAt is null)
            return;
        DeactivatedAt = null;
        Version++;
    }
}

/// <summary>A person together with their membership of the current organization: what the API and Settings show as a user.</summary>
public sealed record Member(StaffUser User, Membership Membership)
{
    /// <summary>
    /// The name the organization sees: the inviter's name for the person until they enter the
    /// organization, then the person's own (so an invitation tells nothing about an existing account).
    /// </summary>
    public string DisplayName => Membership.IsAccepted ? User.DisplayName : Membership.InvitedName;

    /// <summary>The ETag of the user in this organization.</summary>
    public int Version => Membership.Version;
}
