using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Localization;
using Cairn.Server.Mail;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>A comment with the texts it had before each edit, oldest first.</summary>
public sealed record CommentEntry(Comment Comment, IReadOnlyList<CommentEdit> Edits);

/// <summary>Who comments: the actor, and for a client contact their client (whose contracts alone they reach).</summary>
public sealed record Commenter(Actor Actor, Guid? ClientId);

/// <summary>
/// The conversation on milestones and change orders, for the API, the staff pages and the portal:
/// reads a thread, posts a comment (emailing the people it <c>@mentions</c> through the outbox and
/// writing a <c>comment.created</c> event in the same transaction), and edits one (the domain decides
/// who may, and until when). Comments never change money or status. A milestone or change order of
/// another organization, or of another client for a contact, is not there (404); so is a draft
/// contract's or a draft change order's for a contact.
/// </summary>
public sealed class Comments(CairnDb db, MailQueue mail, TimeProvider clock)
{
    /// <summary>The thread of a milestone or change order, oldest first.</summary>
    /// <exception cref="DomainException">Not found (404), as above.</exception>
    public async Task<IReadOnlyList<CommentEntry>> ThreadAsync(CommentSubject subject, Guid subjectId, Commenter reader, CancellationToken cancellationToken = default)
    {
        await SubjectAsync(subject, subjectId, reader, cancellationToken);
        var comments = await db.Comments.AsNoTracking().Where(c => c.SubjectId == subjectId && c.Subject == subject).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        return await WithEditsAsync(comments, cancellationToken);
    }

    /// <summary>Every thread of a contract of the current tenant, by milestone or change order id, for its page.</summary>
    public async Task<ILookup<Guid, CommentEntry>> OfContractAsync(Guid contractId, CancellationToken cancellationToken = default)
    {
        var comments = await db.Comments.AsNoTracking().Where(c => c.ContractId == contractId).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        return (await WithEditsAsync(comments, cancellationToken)).ToLookup(e => e.Comment.SubjectId);
    }

    /// <summary>The newest comments on the contracts of a client, newest first, for the portal's home.</summary>
    public async Task<IReadOnlyList<Comment>> LatestOfClientAsync(Guid clientId, int count, CancellationToken cancellationToken = default) =>
        await db.Comments.AsNoTracking()
            .Where(c => db.Contracts.Any(k => k.Id == c.ContractId && k.ClientId == clientId && k.Status != ContractStatus.Draft))
            .Where(c => c.Subject != CommentSubject.ChangeOrder || db.ChangeOrders.Any(o => o.Id == c.SubjectId && o.Status != ChangeOrderStatus.Draft))
            .OrderByDescending(c => c.Id).Take(count).ToListAsync(cancellationToken);

    /// <summary>
    /// Posts a comment; everyone it mentions among the thread's participants (the organization's staff
    /// and the contract client's contacts) is emailed, in their language where it is known, with a link
    /// under <paramref name="baseUrl"/>.
    /// </summary>
    /// <exception cref="DomainException">Not found (404), as above; <c>body_required</c>, <c>body_too_long</c> (field <c>body</c>).</exception>
    public async Task<Comment> AddAsync(CommentSubject subject, Guid subjectId, Commenter author, string? body, string baseUrl, CancellationToken cancellationToken = default)
    {
        var about = await SubjectAsync(subject, subjectId, author, cancellationToken);
        var now = clock.GetUtcNow();
        var comment = new Comment(about.OrganizationId, about.ContractId, subject, subjectId, author.Actor, body, now);
        db.Comments.Add(comment);

        var mentioned = Comment.MentionsIn(comment.Body, await ParticipantsAsync(about.ClientId, cancellationToken), author.Actor);
        var organizationName = mentioned.Count == 0 ? "" : await db.Organizations.AsNoTracking().Where(o => o.Id == about.OrganizationId).Select(o => o.Name).SingleAsync(cancellationToken);
        foreach (var person in mentioned)
        {
            // A contact has no sign-in: their link is a fresh portal link, made and audited like the milestone.submitted email's.
            var url = person.Kind == ActorKind.Contact
                ? Identity.PortalInvitations.NewLink(db, await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == person.Id, cancellationToken), about.OrganizationId, Actor.System, now, baseUrl).Url
                : $"{baseUrl.TrimEnd('/')}/contracts/{about.ContractId}";
            mail.Add(db, about.OrganizationId, EventTypes.CommentCreated, now, MentionEmail(person, comment, about, url, organizationName), $"mention_{comment.Id:N}_{person.Id:N}");
        }
        Outbox.Outbox.Add(db, about.OrganizationId, EventTypes.CommentCreated, now, new
        {
            commentId = comment.Id, contractId = about.ContractId, clientId = about.ClientId, subject = subject == CommentSubject.Milestone ? "milestone" : "change_order",
            subjectId, author = comment.Author, mentioned = mentioned.Select(p => new { kind = p.Kind == ActorKind.User ? "user" : "contact", id = p.Id }).ToList(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return comment;
    }

    /// <summary>Edits a comment of the thread: only by its author, within <see cref="Comment.EditWindow"/>; the previous text is kept.</summary>
    /// <exception cref="DomainException">Not found (404), as above, or for a comment of another thread; <c>not_comment_author</c>, <c>comment_frozen</c> (409); <c>body_required</c>, <c>body_too_long</c>.</exception>
    /// <summary>One comment with its previous texts, for someone who may read its thread.</summary>
    /// <exception cref="DomainException">Not found (404): the subject or the comment is not the reader's.</exception>
    public async Task<CommentEntry> EntryAsync(CommentSubject subject, Guid subjectId, Guid commentId, Commenter reader, CancellationToken cancellationToken = default)
    {
        await SubjectAsync(subject, subjectId, reader, cancellationToken);
        var comment = await db.Comments.AsNoTracking().SingleOrDefaultAsync(c => c.Id == commentId && c.SubjectId == subjectId && c.Subject == subject, cancellationToken)
            ?? throw EntityNotFound.Of("comment", commentId);
        return (await WithEditsAsync([comment], cancellationToken))[0];
    }

    public async Task<CommentEntry> EditAsync(CommentSubject subject, Guid subjectId, Guid commentId, Commenter editor, string? body, CancellationToken cancellationToken = default)
    {
        await SubjectAsync(subject, subjectId, editor, cancellationToken);
        var comment = await db.Comments.SingleOrDefaultAsync(c => c.Id == commentId && c.SubjectId == subjectId && c.Subject == subject, cancellationToken)
            ?? throw EntityNotFound.Of("comment", commentId);
        db.CommentEdits.Add(comment.Edit(editor.Actor, body, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return (await WithEditsAsync([comment], cancellationToken))[0];
    }

    private async Task<IReadOnlyList<CommentEntry>> WithEditsAsync(List<Comment> comments, CancellationToken cancellationToken)
    {
        var ids = comments.Where(c => c.EditedAt is not null).Select(c => c.Id).ToList();
        var edits = ids.Count == 0 ? [] : await db.CommentEdits.AsNoTracking().Where(e => ids.Contains(e.CommentId)).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var byComment = edits.ToLookup(e => e.CommentId);
        return comments.Select(c => new CommentEntry(c, byComment[c.Id].ToList())).ToList();
    }

    /// <summary>The milestone or change order commented on, if the commenter may reach it.</summary>
    private async Task<Subject> SubjectAsync(CommentSubject subject, Guid subjectId, Commenter who, CancellationToken cancellationToken)
    {
        var found = subject == CommentSubject.Milestone
            ? await db.Milestones.AsNoTracking().Where(m => m.Id == subjectId)
                .Join(db.Contracts, m => m.ContractId, c => c.Id, (m, c) => new Subject(c.OrganizationId, c.Id, c.ClientId, m.Title, c.Title, c.Status == ContractStatus.Draft))
                .SingleOrDefaultAsync(cancellationToken)
            : await db.ChangeOrders.AsNoTracking().Where(o => o.Id == subjectId)
                .Join(db.Contracts, o => o.ContractId, c => c.Id, (o, c) => new Subject(c.OrganizationId, c.Id, c.ClientId, o.Title, c.Title, o.Status == ChangeOrderStatus.Draft))
                .SingleOrDefaultAsync(cancellationToken);
        var what = subject == CommentSubject.Milestone ? "milestone" : "change order";
        if (found is null || (who.ClientId is { } clientId && (found.ClientId != clientId || found.Draft)))
            throw EntityNotFound.Of(what, subjectId);
        return found;
    }

    /// <summary>Who may be mentioned in a thread of a contract of <paramref name="clientId"/>: the organization's active staff and that client's contacts.</summary>
    private async Task<List<Participant>> ParticipantsAsync(Guid clientId, CancellationToken cancellationToken)
    {
        var staff = await db.Users.AsNoTracking()
            .Where(u => db.Memberships.Any(m => m.UserId == u.Id && m.DeactivatedAt == null && m.AcceptedAt != null))
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.Language }).ToListAsync(cancellationToken);
        var language = await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.Language).SingleAsync(cancellationToken);
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.ClientId == clientId).Select(c => new { c.Id, c.Name, c.Email }).ToListAsync(cancellationToken);
        return
        [
            .. staff.Select(u => new Participant(ActorKind.User, u.Id, u.DisplayName, u.Email, u.Language)),
            .. contacts.Select(c => new Participant(ActorKind.Contact, c.Id, c.Name, c.Email, language)),
        ];
    }

    private static OutgoingMail MentionEmail(Participant person, Comment comment, Subject about, string url, string organizationName)
    {
        var w = Wording.For(person.Language);
        var what = $"{about.Title} ({about.ContractTitle})";
        var subject = Wording.Format(w.MentionSubject, comment.AuthorName, what);
        var body = new Outbox.EmailBody()
            .Paragraph(Wording.Format(w.MentionIntro, comment.AuthorName, what))
            .Paragraph(comment.Body)
            .Link(w.MentionReply, url);
        return new OutgoingMail(person.Email, person.Name, subject, body.Text(), body.Html(subject)) { FromName = organizationName };
    }

    private sealed record Subject(Guid OrganizationId, Guid ContractId, Guid ClientId, string Title, string ContractTitle, bool Draft);
}
