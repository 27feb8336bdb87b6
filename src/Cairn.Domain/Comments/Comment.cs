using System.Text.RegularExpressions;

namespace Cairn.Domain;

/// <summary>What a comment thread is about.</summary>
public enum CommentSubject
{
    /// <summary>A milestone of a contract.</summary>
    Milestone,

    /// <summary>A change order of a contract.</summary>
    ChangeOrder,
}

/// <summary>
/// One comment in the thread of a milestone or a change order, between the organization's staff and
/// the contract client's contacts: plain text, editable by its author for <see cref="EditWindow"/>
/// and then frozen; every edit keeps the previous text (<see cref="CommentEdit"/>). A comment never
/// changes money or status.
/// </summary>
public sealed partial class Comment
{
    /// <summary>The longest comment, in characters.</summary>
    public const int MaxLength = 5000;

    /// <summary>How long after posting its author may still edit a comment.</summary>
    public static readonly TimeSpan EditWindow = TimeSpan.FromMinutes(15);

    private Comment()
    {
    }

    /// <summary>A new comment by <paramref name="author"/> on <paramref name="subjectId"/> of contract <paramref name="contractId"/>.</summary>
    /// <exception cref="DomainException"><c>body_required</c>, <c>body_too_long</c> (field <c>body</c>).</exception>
    public Comment(Guid organizationId, Guid contractId, CommentSubject subject, Guid subjectId, Actor author, string? body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(author);
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        ContractId = contractId;
        Subject = subject;
        SubjectId = subjectId;
        Author = author.ToString();
        AuthorName = author.Name;
        Body = Checked(body);
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The contract the milestone or change order belongs to.</summary>
    public Guid ContractId { get; private set; }

    public CommentSubject Subject { get; private set; }

    /// <summary>The milestone or change order commented on.</summary>
    public Guid SubjectId { get; private set; }

    /// <summary>Who wrote it, in the audit log's <c>kind:id</c> form (a staff user, an API key or a client contact).</summary>
    public string Author { get; private set; } = "";

    /// <summary>The author's name when they wrote it.</summary>
    public string AuthorName { get; private set; } = "";

    /// <summary>The current text, plain (links are shown as links, nothing else is markup).</summary>
    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When it was last edited; null if never.</summary>
    public DateTimeOffset? EditedAt { get; private set; }

    /// <summary>Whether <paramref name="by"/> may still edit it at <paramref name="now"/>: its author, within <see cref="EditWindow"/> of posting.</summary>
    public bool IsEditableBy(Actor by, DateTimeOffset now) => by?.ToString() == Author && now - CreatedAt <= EditWindow;

    /// <summary>
    /// Replaces the text; returns the history entry keeping the previous one.
    /// </summary>
    /// <exception cref="DomainException"><c>not_comment_author</c> (409) unless <paramref name="by"/> wrote it; <c>comment_frozen</c> (409) after <see cref="EditWindow"/>; <c>body_required</c>, <c>body_too_long</c>.</exception>
    public CommentEdit Edit(Actor by, string? body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (by.ToString() != Author)
            throw new DomainException(new CommentConflict("not_comment_author", "Only the author of a comment can edit it."));
        if (now - CreatedAt > EditWindow)
            throw new DomainException(new CommentConflict("comment_frozen", $"A comment can be edited for {EditWindow.TotalMinutes:0} minutes after it is posted; this one is frozen."));
        var text = Checked(body);
        var edit = new CommentEdit(this, by, now);
        Body = text;
        EditedAt = now;
        return edit;
    }

    /// <summary>
    /// The people a text mentions with <c>@handle</c>, where the handle is a person's name without
    /// spaces or the part of their email before the <c>@</c> (case-insensitive). Only the thread's
    /// participants can be mentioned (the organization's staff and the contacts of the contract's
    /// client, given as <paramref name="participants"/>); the author is never mentioned to themselves.
    /// </summary>
    public static IReadOnlyList<Participant> MentionsIn(string body, IEnumerable<Participant> participants, Actor author)
    {
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentNullException.ThrowIfNull(author);
        var handles = Handle().Matches(body ?? "").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (handles.Count == 0)
            return [];
        return participants
            .Where(p => !(p.Kind == author.Kind && p.Id.ToString() == author.Id))
            .Where(p => handles.Contains(string.Concat(p.Name.Where(c => !char.IsWhiteSpace(c)))) || handles.Contains(p.Email.Split('@')[0]))
            .DistinctBy(p => (p.Kind, p.Id))
            .ToList();
    }

    private static string Checked(string? body)
    {
        var text = body?.Trim() ?? "";
        if (text.Length == 0)
            throw new DomainException(new DomainError("body_required", "Write a comment.", "body"));
        if (text.Length > MaxLength)
            throw new DomainException(new DomainError("body_too_long", $"A comment is at most {MaxLength} characters.", "body"));
        return text;
    }

    // "@" at the start or after a space or bracket (not inside an email address), then letters, digits and inner . _ - +
    [GeneratedRegex(@"(?<![\p{L}\p{N}._%+-])@([\p{L}\p{N}](?:[\p{L}\p{N}._+-]*[\p{L}\p{N}])?)")]
    private static partial Regex Handle();
}

/// <summary>Someone who takes part in a comment thread and can be mentioned: a staff user of the organization or a contact of the contract's client.</summary>
/// <param name="Kind"><see cref="ActorKind.User"/> or <see cref="ActorKind.Contact"/>.</param>
/// <param name="Id">The user's or contact's id.</param>
/// <param name="Name">Their name.</param>
/// <param name="Email">Where a mention is emailed.</param>
/// <param name="Language">The language their emails are written in, where one is known (a contact's client's).</param>
public sealed record Participant(ActorKind Kind, Guid Id, string Name, string Email, Language Language = Language.En);

/// <summary>The text a comment had before an edit: kept forever (the database refuses updates and deletes).</summary>
public sealed class CommentEdit
{
    private CommentEdit()
    {
    }

    internal CommentEdit(Comment comment, Actor by, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = comment.OrganizationId;
        CommentId = comment.Id;
        PreviousBody = comment.Body;
        EditedBy = by.ToString();
        EditedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid CommentId { get; private set; }

    /// <summary>The text before this edit.</summary>
    public string PreviousBody { get; private set; } = "";

    public string EditedBy { get; private set; } = "";

    public DateTimeOffset EditedAt { get; private set; }
}

/// <summary>An edit a comment no longer allows: not the author's, or frozen.</summary>
public sealed record CommentConflict(string ErrorCode, string ErrorMessage) : DomainError(ErrorCode, ErrorMessage)
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}
