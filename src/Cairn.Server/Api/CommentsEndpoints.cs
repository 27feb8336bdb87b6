using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Identity;

namespace Cairn.Server.Api;

/// <summary>
/// The conversation on a milestone or change order: <c>GET/POST /milestones/{id}/comments</c>,
/// <c>PATCH /milestones/{id}/comments/{commentId}</c>, and the same under <c>/change-orders/{id}</c>.
/// </summary>
public static class CommentsEndpoints
{
    public static void MapComments(this RouteGroupBuilder api)
    {
        api.MapThread("/milestones", CommentSubject.Milestone, "Milestones");
        api.MapThread("/change-orders", CommentSubject.ChangeOrder, "Change orders");
    }

    private static void MapThread(this RouteGroupBuilder api, string prefix, CommentSubject subject, string tag)
    {
        var thread = api.MapGroup(prefix + "/{id:guid}/comments").WithTags(tag);

        thread.MapGet("/", async (Guid id, HttpContext http, Comments comments, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var entries = await comments.ThreadAsync(subject, id, new Commenter(caller.Actor, caller.ClientId), ct);
            return Results.Json(new Page<CommentJson>(entries.Select(e => CommentJson.Of(e, caller.Actor, clock.GetUtcNow())).ToList(), null), ApiJson.Options);
        }).Requires(Permission.Read)
            .WithSummary("The comment thread, oldest first: each comment's text, author, when it was posted and last edited, its previous texts, and until when its author may still edit it.")
            .Produces<Page<CommentJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        thread.MapPost("/", async (Guid id, CommentInput input, HttpContext http, Comments comments, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var comment = await comments.AddAsync(subject, id, new Commenter(caller.Actor, caller.ClientId), input.Body, PublicUrl.Of(http), ct);
            return Http.Created(http, $"/api/v1{prefix}/{id}/comments/{comment.Id}", CommentJson.Of(new CommentEntry(comment, []), caller.Actor, clock.GetUtcNow()));
        }).Requires(Permission.Read)
            .WithSummary("Posts a plain-text comment (at most 5000 characters; links are shown as links). Everyone it @mentions — a staff user or a contact of the contract's client, by their name without spaces or the part of their email before the @ — is emailed. Writes the event comment.created; never changes money or status.")
            .Produces<CommentJson>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        thread.MapGet("/{commentId:guid}", async (Guid id, Guid commentId, HttpContext http, Comments comments, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var entry = await comments.EntryAsync(subject, id, commentId, new Commenter(caller.Actor, caller.ClientId), ct);
            return Http.WithETag(http, CommentJson.Of(entry, caller.Actor, clock.GetUtcNow()), VersionOf(entry));
        }).Requires(Permission.Read)
            .WithSummary("One comment, with its previous texts; its ETag changes with every edit.")
            .Produces<CommentJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        thread.MapPatch("/{commentId:guid}", async (Guid id, Guid commentId, CommentInput input, HttpContext http, Comments comments, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var commenter = new Commenter(caller.Actor, caller.ClientId);
            if (Http.CheckIfMatch(http, VersionOf(await comments.EntryAsync(subject, id, commentId, commenter, ct))) is { } stale)
                return stale;
            var entry = await comments.EditAsync(subject, id, commentId, commenter, input.Body, ct);
            return Http.WithETag(http, CommentJson.Of(entry, caller.Actor, clock.GetUtcNow()), VersionOf(entry));
        }).Requires(Permission.Read)
            .WithSummary("Edits a comment's text: only its author, within 15 minutes of posting (then 409 comment_frozen; another author's comment: 409 not_comment_author). The previous text is kept in the comment's edits.")
            .Produces<CommentJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>A comment's version for its ETag: 1, plus one per edit.</summary>
    private static int VersionOf(CommentEntry entry) => 1 + entry.Edits.Count;
}

/// <summary>A comment's text: plain text, at most 5000 characters.</summary>
public sealed record CommentInput(string? Body);

/// <summary>
/// A comment on a milestone or change order (<c>subject</c> <c>milestone</c> or <c>change_order</c>,
/// <c>subjectId</c>). <c>author</c> is in the audit log's <c>kind:id</c> form (<c>user:</c>, <c>apikey:</c>,
/// <c>contact:</c>); <c>editedAt</c> is null unless edited, and <c>edits</c> holds every previous text,
/// oldest first. <c>editableUntil</c> is when the author's edit window closes (UTC); <c>editable</c>
/// says whether the caller may edit it now.
/// </summary>
public sealed record CommentJson(Guid Id, CommentSubject Subject, Guid SubjectId, Guid ContractId, string Author, string AuthorName, string Body, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, DateTimeOffset EditableUntil, bool Editable, IReadOnlyList<CommentEditJson> Edits)
{
    public static CommentJson Of(CommentEntry e, Actor caller, DateTimeOffset now)
    {
        var c = e.Comment;
        return new(c.Id, c.Subject, c.SubjectId, c.ContractId, c.Author, c.AuthorName, c.Body, c.CreatedAt, c.EditedAt, c.CreatedAt + Comment.EditWindow, c.IsEditableBy(caller, now),
            e.Edits.Select(x => new CommentEditJson(x.PreviousBody, x.EditedBy, x.EditedAt)).ToList());
    }
}

/// <summary>A comment's text before one of its edits, who edited it and when (UTC).</summary>
public sealed record CommentEditJson(string PreviousBody, string EditedBy, DateTimeOffset EditedAt);
