using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary>
/// Documents: files attached to contracts, change orders and milestones (their submitted
/// deliverables), uploaded as <c>multipart/form-data</c> with one <c>file</c> part; listed, downloaded
/// and removed. Files a client contact attached to a request for changes or a dispute are listed
/// with the contract and the dispute. The rules live in <see cref="Attachments"/>.
/// </summary>
public static class AttachmentsEndpoints
{
    public static void MapAttachments(this RouteGroupBuilder api)
    {
        MapOwner(api, "/contracts/{id:guid}/attachments", "Contracts", AttachmentOwnerKind.Contract, Permission.ManageContracts, "the contract itself (a statement of work, the signed contract)",
            "While the contract is draft or proposed its files are part of the offer: attaching or removing one withdraws a pending proposal, which then needs proposing again. Once accepted, its files cannot be removed.");
        MapOwner(api, "/change-orders/{id:guid}/attachments", "Change orders", AttachmentOwnerKind.ChangeOrder, Permission.ManageChangeOrders, "a change order",
            "Files are attached while it is draft or proposed; once the client approved or rejected it, they cannot be removed.");
        MapOwner(api, "/milestones/{id:guid}/attachments", "Milestones", AttachmentOwnerKind.Milestone, Permission.ManageMilestones, "a milestone's submission (the deliverables themselves, beside its links)",
            "Files are attached while it is planned or in progress on an active contract; once submitted, they cannot be removed.");

        api.MapGet("/contracts/{id:guid}/documents", async (Guid id, Attachments attachments, Data.CairnDb db, CancellationToken ct) =>
        {
            if (!await db.Contracts.AnyAsync(c => c.Id == id, ct))
                return Problems.NotFound("contract", id.ToString()).ToResult();
            return Results.Json(new Page<AttachmentJson>((await attachments.OfContractAsync(id, ct)).Select(AttachmentJson.Of).ToList(), null), ApiJson.Options);
        }).WithTags("Contracts").Requires(Permission.Read)
            .WithSummary("Every file of a contract: its own, its change orders', its milestones' deliverables, and those the client's contacts attached to a request for changes or a dispute; oldest first.")
            .Produces<Page<AttachmentJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/disputes/{id:guid}/attachments", (Guid id, Attachments attachments, CancellationToken ct) => ListAsync(attachments, AttachmentOwnerKind.Dispute, id, ct))
            .WithTags("Disputes").Requires(Permission.Read)
            .WithSummary("The files the client contact attached to a dispute when opening it.")
            .Produces<Page<AttachmentJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/attachments/{id:guid}/content", async (Guid id, HttpContext http, Attachments attachments, Data.CairnDb db, CancellationToken ct) =>
            await attachments.FileAsync(db.Attachments, id, ct) is { } file
                ? AttachmentDownload.Serve(http.Response, file)
                : Problems.NotFound("attachment", id.ToString()).ToResult())
            .WithTags("Contracts").Requires(Permission.Read)
            .WithSummary("Downloads a file exactly as uploaded: Content-Disposition attachment with its file name (RFC 6266, filename* in UTF-8), its recognized media type, X-Content-Type-Options nosniff, and its SHA-256 as the ETag. 404 for a removed file.")
            .Produces<Stream>(StatusCodes.Status200OK, MediaTypes[0], MediaTypes[1..])
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    // The media types a download may have: those of the accepted file types, without parameters.
    private static readonly string[] MediaTypes = [.. FileTypes.All.Select(t => t.MediaType.Split(';')[0]).Distinct()];

    private static void MapOwner(RouteGroupBuilder api, string route, string tag, AttachmentOwnerKind kind, Permission manage, string owner, string rules)
    {
        api.MapGet(route, (Guid id, Attachments attachments, CancellationToken ct) => ListAsync(attachments, kind, id, ct))
            .WithTags(tag).Requires(Permission.Read)
            .WithSummary($"The files attached to {owner}, oldest first (removed files are left out).")
            .Produces<Page<AttachmentJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(route, async (Guid id, HttpContext http, Attachments attachments, CancellationToken ct) =>
        {
            // The form is read here, after the permission check: a caller who may not upload never has the body read.
            var file = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(ct)).Files.GetFile("file") : null;
            if (file is null)
                throw new DomainException(new DomainError("file_required", "Send the file as multipart/form-data, in the part named 'file'.", "file"));
            var upload = await Uploads.ReadAsync(file, ct);
            var attachment = await attachments.AttachAsync(kind, id, upload.FileName, upload.Content, http.Caller().Actor, ct);
            return Http.Created(http, $"/api/v1/attachments/{attachment.Id}/content", AttachmentJson.Of(attachment));
        }).WithTags(tag).Requires(manage).WithMetadata(new AcceptsFilesAttribute())
            .WithSummary($"Attaches one file (multipart/form-data, part 'file') to {owner}. {rules} Limits: Cairn:Documents:MaxFileMegabytes per file (default 25 MB), Cairn:Documents:MaxContractMegabytes for all files of a contract (default 200 MB). The content must be PDF, PNG, JPEG, GIF, WebP, docx/xlsx/pptx, odt/ods/odp, ZIP, or UTF-8 text (txt, csv, md), and the file name's extension must agree with it. A refused file is a 400 problem with field 'file' and its fileName: file_too_large, contract_files_too_large, file_type_not_allowed, file_type_mismatch, file_empty, file_name_invalid. The same content uploaded twice is stored once.")
            .Produces<AttachmentJson>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapDelete(route + "/{attachmentId:guid}", async (Guid id, Guid attachmentId, HttpContext http, Attachments attachments, CancellationToken ct) =>
            Results.Json(AttachmentJson.Of(await attachments.RemoveAsync(kind, id, attachmentId, http.Caller().Actor, ct)), ApiJson.Options))
            .WithTags(tag).Requires(manage)
            .WithSummary("Removes a file (it is kept in the history and the audit log, no longer listed or served). 409 attachment_locked once what it belongs to was accepted, approved or submitted.")
            .Produces<AttachmentJson>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(Attachments attachments, AttachmentOwnerKind kind, Guid id, CancellationToken ct) =>
        await attachments.OfOwnerAsync(kind, id, ct) is { } rows
            ? Results.Json(new Page<AttachmentJson>(rows.Select(AttachmentJson.Of).ToList(), null), ApiJson.Options)
            : Problems.NotFound(kind switch { AttachmentOwnerKind.ChangeOrder => "change order", _ => kind.ToString().ToLowerInvariant() }, id.ToString()).ToResult();
}

/// <summary>
/// A file attached to a contract (<c>ownerKind</c> <c>contract</c>), a change order (<c>change_order</c>),
/// a milestone's submission (<c>milestone</c>), a client contact's request for changes
/// (<c>change_request</c>, <c>ownerId</c> the proposal) or a dispute (<c>dispute</c>): its file name, the
/// media type Cairn recognized from its content, its size in bytes, the SHA-256 (lowercase hex) of its
/// content, who uploaded it (<c>kind:id</c>) and when (UTC). <c>contentUrl</c> downloads it.
/// </summary>
public sealed record AttachmentJson(Guid Id, Guid ContractId, AttachmentOwnerKind OwnerKind, Guid OwnerId, string FileName, string MediaType, long SizeBytes, string Sha256, string UploadedBy, DateTimeOffset UploadedAt, DateTimeOffset? RemovedAt, string ContentUrl)
{
    public static AttachmentJson Of(Attachment a) =>
        new(a.Id, a.ContractId, a.OwnerKind, a.OwnerId, a.FileName, a.MediaType, a.SizeBytes, a.Sha256, a.UploadedBy, a.UploadedAt, a.RemovedAt, $"/api/v1/attachments/{a.Id}/content");
}
