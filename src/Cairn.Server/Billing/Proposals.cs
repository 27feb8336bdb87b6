using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Cairn.Server.Localization;
using Cairn.Server.Mail;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// Proposals of draft contracts to a client contact, and the contact's answer: accepting activates
/// the contract through <see cref="Contracts.ActivateAsync"/> (deposits invoiced in the same
/// transaction) with an immutable acceptance record; declining or asking for changes returns it to
/// Draft. Runs inside the caller's transaction; every change is audited.
/// </summary>
public sealed class Proposals(CairnDb db, Contracts contracts, Attachments attachments, MailQueue mail, TimeProvider clock)
{
    /// <summary>
    /// Draft → Proposed to <paramref name="contactId"/>, one of the contract's client's contacts. The
    /// proposal PDF is rendered now from the contract and kept, byte for byte, with its SHA-256; the
    /// contact is emailed the plan summary and a new portal link (under <paramref name="baseUrl"/>)
    /// through the outbox, sent after the commit.
    /// </summary>
    /// <exception cref="DomainException"><c>unknown_contact</c> (field <c>contactId</c>); <c>invalid_transition</c> unless Draft; <c>plan_does_not_add_up</c>; <c>einvoice_incomplete</c> naming the party or contract field its invoices would miss (<see cref="EInvoiceRules.CheckProposable"/>).</exception>
    public async Task<Proposal> ProposeAsync(Contract contract, Guid contactId, Actor actor, string baseUrl, CancellationToken cancellationToken = default)
    {
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId && c.ClientId == contract.ClientId, cancellationToken)
            ?? throw new DomainException(new DomainError("unknown_contact", $"The contract's client has no contact with id {contactId}.", "contactId"));
        var before = ContractState.Of(contract);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == contract.OrganizationId, cancellationToken);
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == contract.ClientId, cancellationToken);
        contract.Propose(id, now);

        // Accepting commits the client to these invoices: they must be issuable as e-invoices in the client's profile.
        EInvoiceRules.CheckProposable(client.EInvoiceProfile, organization.ToSnapshot(), client.ToSnapshot(organization.CountryCode), contract);
        var document = new ProposalDocument(
            organization.ToSnapshot(), client.ToSnapshot(organization.CountryCode), contact.Name, organization.Calendar.DayOf(now),
            InvoiceDocument.PaperFor(organization.DefaultCurrency), client.Language);
        var proposal = new Proposal(id, contract, contact.Id, ProposalPdf.Render(contract, document), actor, now);
        db.Proposals.Add(proposal);
        Audit.Record(db, contract.OrganizationId, "contract", contract.Id, "proposed", actor, now, before, ContractState.Of(contract));
        var (link, url) = PortalInvitations.NewLink(db, contact, contract.OrganizationId, actor, now, baseUrl);
        mail.Add(db, contract.OrganizationId, "proposal", now, ProposalEmail(contract, contact, organization, client.Language, url, link.ExpiresAt), "proposal_" + proposal.Id.ToString("N"));
        await db.SaveChangesAsync(cancellationToken);
        return proposal;
    }

    /// <summary>The email that asks the contact to review the proposal: the plan with amounts, due dates and terms, and their portal link.</summary>
    private static OutgoingMail ProposalEmail(Contract contract, Contact contact, Organization organization, Language language, string url, DateTimeOffset expiresAt)
    {
        var words = MailWording.For(language);
        var organizationName = organization.Name;
        var plan = contract.Milestones.Where(m => m.Status != MilestoneStatus.Cancelled).OrderBy(m => m.Position).Select(m =>
            $"{m.Position}. {m.Title}: {Formats.Amount(m.Amount, language)}{(m.DueDate is { } due ? ", " + Wording.Format(words.ProposalDue, Formats.Date(due, language)) : "")}").ToList();
        var subject = Wording.Format(words.ProposalSubject, organizationName, contract.Title);
        var body = new Outbox.EmailBody()
            .Paragraph(Wording.Format(words.Hello, contact.Name))
            .Paragraph(Wording.Format(words.ProposalIntro, organizationName, contract.Title))
            .List(null, plan)
            .Paragraph($"{Wording.Format(words.ProposalValue, Formats.Amount(contract.Value, language))}\n{Wording.Format(words.ProposalTerms, contract.PaymentTermsDays)}")
            .Link(words.ProposalInPortal, url)
            .Paragraph(Wording.Format(words.LinkWorksUntil, Formats.MomentWithZone(expiresAt, language, organization.Calendar)))
            .Paragraph(Wording.Format(words.Regards, organizationName));
        return new OutgoingMail(contact.Email, contact.Name, subject, body.Text(), body.Html(subject, Outbox.EmailLook.Of(organization))) { FromName = organizationName };
    }

    /// <summary>
    /// The contact accepts the pending proposal <paramref name="proposalId"/> with their typed full
    /// name, having ticked "I agree": the contract becomes Active exactly as when staff activate it,
    /// and the acceptance record keeps who, when (UTC), from where, and the SHA-256 of the PDF and of
    /// each of the contract's documents shown.
    /// Accepting twice (or concurrently) activates once: the second finds the contract Active.
    /// </summary>
    /// <exception cref="DomainException">Not found (404) for another client's contract or another contact's proposal; <c>typed_name_required</c>, <c>agreement_required</c>; <c>proposal_superseded</c>, <c>invalid_transition</c>.</exception>
    public async Task<Acceptance> AcceptAsync(Guid contractId, Guid proposalId, Guid clientId, Actor contact, string? typedName, bool agreed, AcceptanceEvidence evidence, CancellationToken cancellationToken = default)
    {
        var (contract, proposal) = await LoadForAnswerAsync(contractId, proposalId, clientId, contact, cancellationToken);
        var now = clock.GetUtcNow();

        // Adding or removing a document withdraws the proposal, so the contract's files now are those shown with it.
        var documents = await attachments.ShownWithProposalAsync(contractId, cancellationToken);
        var acceptance = Acceptance.ByContact(contract, proposal, contact, typedName, agreed, evidence, now, documents);
        proposal.Answer(ProposalStatus.Accepted, null, now);
        await contracts.ActivateAsync(contract, contact, acceptance, cancellationToken);
        return acceptance;
    }

    /// <summary>
    /// The contact declines the pending proposal, or asks for changes, with a reason: the contract is a
    /// draft again for staff to revise and propose again. <paramref name="files"/> are attached to a
    /// request for changes (<see cref="AttachmentOwnerKind.ChangeRequest"/>, owned by the proposal).
    /// </summary>
    /// <exception cref="DomainException">Not found (404) as for <see cref="AcceptAsync"/>; <c>reason_required</c>; <c>proposal_superseded</c>, <c>invalid_transition</c>; a <see cref="FileRefused"/> for a file (nothing is changed).</exception>
    public async Task AnswerAsync(Guid contractId, Guid proposalId, Guid clientId, Actor contact, ProposalStatus answer, string? reason, IReadOnlyList<UploadedFile>? files = null, CancellationToken cancellationToken = default)
    {
        var (contract, proposal) = await LoadForAnswerAsync(contractId, proposalId, clientId, contact, cancellationToken);
        var before = ContractState.Of(contract);
        var now = clock.GetUtcNow();
        proposal.Answer(answer, reason, now);
        contract.ReturnToDraft(proposalId);
        Audit.Record(db, contract.OrganizationId, "contract", contract.Id, answer == ProposalStatus.Declined ? "proposal_declined" : "changes_requested", contact, now, before, new { State = ContractState.Of(contract), proposal.Reason });
        await db.SaveChangesAsync(cancellationToken);
        if (files is { Count: > 0 })
        {
            if (answer != ProposalStatus.ChangesRequested)
                throw new ArgumentException("Files go with a request for changes.", nameof(files));
            await attachments.AttachAllAsync(AttachmentOwnerKind.ChangeRequest, proposalId, files, contact, cancellationToken);
        }
    }

    /// <summary>The proposals of a contract of the current tenant, newest first, without their PDF bytes.</summary>
    public async Task<List<ProposalSummary>> OfContractAsync(Guid contractId, CancellationToken cancellationToken = default)
    {
        var rows = await db.Proposals.AsNoTracking().Where(p => p.ContractId == contractId)
            .Select(p => new ProposalSummary(p.Id, p.ContractId, p.ContactId, db.Contacts.Where(c => c.Id == p.ContactId).Select(c => c.Name).FirstOrDefault() ?? "", p.ContractVersion, p.PdfSha256, p.ProposedBy, p.ProposedAt, p.Outcome, p.DecidedAt, p.Reason))
            .ToListAsync(cancellationToken);

        // A contract has a handful of proposals: ordered here, as SQLite cannot order by a DateTimeOffset.
        return [.. rows.OrderByDescending(p => p.ProposedAt).ThenByDescending(p => p.Id)];
    }

    /// <summary>
    /// The signed copy of an accepted proposal: the proposal PDF as accepted, then the acceptance
    /// record; null when the contract (of the current tenant) was not accepted by a client in the portal.
    /// </summary>
    public async Task<PdfFile?> SignedCopyAsync(Guid contractId, CancellationToken cancellationToken = default)
    {
        var acceptance = await db.Acceptances.AsNoTracking().SingleOrDefaultAsync(a => a.ContractId == contractId && a.Owner == AcceptanceOwner.Contract && a.Method == AcceptanceMethod.Portal, cancellationToken);
        if (acceptance is null)
            return null;
        var pdf = await db.Proposals.AsNoTracking().Where(p => p.Id == acceptance.ProposalId).Select(p => p.Pdf).SingleAsync(cancellationToken);
        var contract = await db.Contracts.AsNoTracking().Where(c => c.Id == contractId).Select(c => new { c.Title, c.ClientId }).SingleAsync(cancellationToken);
        var organization = await db.Organizations.AsNoTracking().Select(o => new { o.Name, o.DefaultCurrency }).SingleAsync(cancellationToken);
        var language = await db.Clients.AsNoTracking().Where(c => c.Id == contract.ClientId).Select(c => c.Language).SingleAsync(cancellationToken);
        var signed = ProposalPdf.SignedCopy(pdf, acceptance, organization.Name, contract.Title, InvoiceDocument.PaperFor(organization.DefaultCurrency), language);
        return new PdfFile(DocumentFiles.FileName($"proposal-{contractId}-signed"), signed);
    }

    /// <summary>
    /// Locks the contract and loads the proposal a contact answers; anything that is not their own
    /// (another client's contract, a proposal to another contact) is not there for them.
    /// </summary>
    private async Task<(Contract Contract, Proposal Proposal)> LoadForAnswerAsync(Guid contractId, Guid proposalId, Guid clientId, Actor contact, CancellationToken cancellationToken)
    {
        var contract = await contracts.LoadForChangeAsync(contractId, cancellationToken);
        var proposal = await db.Proposals.SingleOrDefaultAsync(p => p.Id == proposalId && p.ContractId == contractId, cancellationToken);
        if (contract.ClientId != clientId || proposal is null || proposal.ContactId.ToString() != contact.Id)
            throw new DomainException(new NotFound("proposal", proposalId));

        // Withdrawn or replaced: said before anything else about the answer (a typed name is beside the point).
        if (proposal.StatusIn(contract) == ProposalStatus.Superseded)
            throw new DomainException(new ProposalSuperseded(contract.Id, proposal.Id));
        return (contract, proposal);
    }
}

/// <summary>A proposal as lists show it: its status comes from its contract (see <see cref="Proposal.StatusIn"/>).</summary>
public sealed record ProposalSummary(Guid Id, Guid ContractId, Guid ContactId, string ContactName, int ContractVersion, string PdfSha256, string ProposedBy, DateTimeOffset ProposedAt, ProposalStatus? Outcome, DateTimeOffset? DecidedAt, string? Reason);
