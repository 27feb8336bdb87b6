using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary>
/// Proposals and acceptance records of contracts: <c>POST /contracts/{id}/propose</c>,
/// <c>GET /contracts/{id}/proposals</c> (and each proposal's PDF), <c>GET /contracts/{id}/acceptance</c>
/// (and the signed copy). The client answers a proposal in the portal.
/// </summary>
public static class ProposalsEndpoints
{
    public static void MapProposals(this RouteGroupBuilder api)
    {
        var contracts = api.MapGroup("/contracts/{id:guid}").WithTags("Contracts");

        contracts.MapPost("/propose", async (Guid id, ProposeInput input, HttpContext http, CairnDb db, Billing.Contracts service, Proposals proposals, CancellationToken ct) =>
        {
            var contract = await service.LoadForChangeAsync(id, ct);
            if (Http.CheckIfMatch(http, contract.Version) is { } stale)
                return stale;
            if (input.ContactId is not { } contactId)
                throw new DomainException(new DomainError("required", "contactId is required: the client contact who will accept the proposal.", "contactId"));
            await proposals.ProposeAsync(contract, contactId, http.Caller().Actor, ct);
            return Http.WithETag(http, await ContractJson.LoadAsync(db, contract, ct), contract.Version);
        }).Requires(Permission.ManageContracts)
            .WithSummary("Proposes a draft contract to one of its client's contacts (status proposed): they accept, decline or ask for changes in the portal. The plan must add up; any later change of plan or terms withdraws the proposal.")
            .Produces<ContractJson>();

        contracts.MapGet("/proposals", async (Guid id, CairnDb db, Proposals proposals, CancellationToken ct) =>
        {
            if (await db.Contracts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is not { } contract)
                return Problems.NotFound("contract", id.ToString()).ToResult();
            var rows = await proposals.OfContractAsync(id, ct);
            return Results.Json(new Page<ProposalJson>(rows.Select(p => ProposalJson.Of(p, contract)).ToList(), null), ApiJson.Options);
        }).Requires(Permission.Read)
            .WithSummary("The proposals of a contract, newest first, each with its status and the SHA-256 of its PDF.")
            .Produces<Page<ProposalJson>>();

        contracts.MapGet("/proposals/{proposalId:guid}/pdf", async (Guid id, Guid proposalId, HttpContext http, CairnDb db, CancellationToken ct) =>
        {
            var pdf = await db.Proposals.AsNoTracking().Where(p => p.Id == proposalId && p.ContractId == id).Select(p => p.Pdf).SingleOrDefaultAsync(ct);
            return DocumentsEndpoints.Download(http, pdf is null ? null : new Documents.PdfFile(Documents.DocumentFiles.FileName($"proposal-{proposalId}"), pdf), "proposal", proposalId);
        }).Requires(Permission.Read)
            .WithSummary("The proposal PDF exactly as the client was shown it (its SHA-256 is the proposal's pdfSha256).")
            .Produces<Stream>(StatusCodes.Status200OK, DocumentsEndpoints.PdfContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);

        contracts.MapGet("/acceptance", async (Guid id, CairnDb db, CancellationToken ct) =>
            await db.Acceptances.AsNoTracking().SingleOrDefaultAsync(a => a.ContractId == id, ct) is { } acceptance
                ? Results.Json(AcceptanceJson.Of(acceptance), ApiJson.Options)
                : Problems.NotFound("acceptance of contract", id.ToString()).ToResult())
            .Requires(Permission.Read)
            .WithSummary("How the contract became active: accepted by a client contact in the portal (typed name, UTC time, IP address, user agent, portal link, SHA-256 of the proposal PDF), or activated by staff directly. 404 until it is active.")
            .Produces<AcceptanceJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        contracts.MapGet("/acceptance/pdf", async (Guid id, HttpContext http, Proposals proposals, CancellationToken ct) =>
            DocumentsEndpoints.Download(http, await proposals.SignedCopyAsync(id, ct), "acceptance of contract", id))
            .Requires(Permission.Read)
            .WithSummary("The signed copy: the proposal PDF as accepted, followed by a page with the acceptance record. 404 unless a client accepted the contract in the portal.")
            .Produces<Stream>(StatusCodes.Status200OK, DocumentsEndpoints.PdfContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}

/// <summary>Whom to propose a draft contract to: one of its client's contacts.</summary>
public sealed record ProposeInput(Guid? ContactId);

/// <summary>
/// A proposal of a contract: to whom, the contract version it showed, the SHA-256 (hex) of its
/// PDF, and its status: <c>pending</c>, <c>accepted</c>, <c>declined</c> or <c>changes_requested</c>
/// (with the contact's <c>reason</c>), or <c>superseded</c> (never answered; the plan or terms changed,
/// or staff activated or cancelled the contract).
/// </summary>
public sealed record ProposalJson(Guid Id, Guid ContractId, Guid ContactId, string ContactName, int ContractVersion, ProposalStatus Status, string PdfSha256, string ProposedBy, DateTimeOffset ProposedAt, DateTimeOffset? DecidedAt, string? Reason)
{
    public static ProposalJson Of(ProposalSummary p, Contract contract) =>
        new(p.Id, p.ContractId, p.ContactId, p.ContactName, p.ContractVersion, Proposal.StatusOf(p.Id, p.Outcome, contract), p.PdfSha256, p.ProposedBy, p.ProposedAt, p.DecidedAt, p.Reason);
}

/// <summary>
/// The immutable record of how a contract became active. <c>method</c> <c>portal</c>: the contact
/// (<c>contactId</c>, <c>contactName</c>) accepted <c>proposalId</c> by typing <c>typedName</c> at
/// <c>acceptedAt</c> (UTC) from <c>ipAddress</c> with <c>userAgent</c>, in the session of portal link
/// <c>portalLinkId</c>; <c>proposalPdfSha256</c> is the SHA-256 (hex) of the proposal PDF they were
/// shown, and <c>documents</c> the contract's files shown with it (<c>attachmentId</c>, <c>fileName</c>,
/// <c>sha256</c> of the content, which <c>GET /attachments/{attachmentId}/content</c> serves).
/// <c>method</c> <c>staff</c>: <c>actor</c> activated it directly (signed elsewhere); no documents.
/// </summary>
public sealed record AcceptanceJson(Guid Id, Guid ContractId, AcceptanceMethod Method, string Actor, DateTimeOffset AcceptedAt, Guid? ProposalId, Guid? ContactId, string? ContactName, string? TypedName, string? IpAddress, string? UserAgent, Guid? PortalLinkId, string? ProposalPdfSha256, IReadOnlyList<AcceptedDocument> Documents)
{
    public static AcceptanceJson Of(Acceptance a) =>
        new(a.Id, a.ContractId, a.Method, a.Actor, a.AcceptedAt, a.ProposalId, a.ContactId, a.ContactName, a.TypedName, a.IpAddress, a.UserAgent, a.PortalLinkId, a.ProposalPdfSha256, a.Documents);
}
