using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Outbox;

namespace Cairn.Server.Billing;

/// <summary>
/// The thin payload of each event, one method per entity, written through <see cref="Outbox.Outbox.Add"/>
/// in the transaction of the change: ids, the key fields a receiver shows, and the entity's
/// version or status so a receiver can tell an old event from a new one.
/// </summary>
internal static class Events
{
    /// <summary><c>contract.activated</c>.</summary>
    public static void Contract(CairnDb db, string type, Contract contract, DateTimeOffset at) =>
        Outbox.Outbox.Add(db, contract.OrganizationId, type, at, new
        {
            contractId = contract.Id, clientId = contract.ClientId, contract.Title, status = contract.Status, contract.Version,
            value = MoneyJson.Of(contract.Value),
        });

    /// <summary><c>milestone.*</c>: the milestone, its contract and client, its amount and state.</summary>
    public static void Milestone(CairnDb db, string type, Contract contract, Milestone milestone, DateTimeOffset at, string? reason = null, Guid? disputeId = null) =>
        Outbox.Outbox.Add(db, contract.OrganizationId, type, at, new
        {
            milestoneId = milestone.Id, contractId = contract.Id, clientId = contract.ClientId, milestone.Title, status = milestone.Status,
            milestone.Version, amount = MoneyJson.Of(milestone.Amount), reason, disputeId,
        });

    /// <summary><c>invoice.issued</c>, <c>invoice.sent</c>, <c>invoice.paid</c>, <c>invoice.voided</c>.</summary>
    public static void Invoice(CairnDb db, string type, Invoice invoice, DateTimeOffset at, object? extra = null) =>
        Outbox.Outbox.Add(db, invoice.OrganizationId, type, at, new
        {
            invoiceId = invoice.Id, invoice.Number, clientId = invoice.ClientId, contractId = invoice.ContractId, milestoneId = invoice.MilestoneId,
            status = invoice.Status, gross = MoneyJson.Of(invoice.Gross), balance = MoneyJson.Of(invoice.Balance), invoice.DueDate, sent = extra,
        });

    /// <summary><c>invoice.paid</c> or <c>invoice.voided</c> when a change moved the invoice into that status.</summary>
    public static void InvoiceStatus(CairnDb db, Invoice invoice, Domain.InvoiceStatus before, DateTimeOffset at)
    {
        if (invoice.Status == before)
            return;
        if (invoice.Status == Domain.InvoiceStatus.Paid)
            Invoice(db, EventTypes.InvoicePaid, invoice, at);
        else if (invoice.Status == Domain.InvoiceStatus.Void)
            Invoice(db, EventTypes.InvoiceVoided, invoice, at);
    }

    /// <summary><c>credit_note.issued</c>.</summary>
    public static void CreditNote(CairnDb db, CreditNote note, DateTimeOffset at) =>
        Outbox.Outbox.Add(db, note.OrganizationId, EventTypes.CreditNoteIssued, at, new
        {
            creditNoteId = note.Id, note.Number, invoiceId = note.InvoiceId, clientId = note.ClientId, gross = MoneyJson.Of(note.Gross),
        });

    /// <summary><c>payment.recorded</c>, <c>payment.reversed</c>.</summary>
    public static void Payment(CairnDb db, string type, Payment payment, DateTimeOffset at) =>
        Outbox.Outbox.Add(db, payment.OrganizationId, type, at, new
        {
            paymentId = payment.Id, clientId = payment.ClientId, amount = MoneyJson.Of(payment.Amount), payment.ReceivedOn, payment.Method,
            payment.Reference, status = payment.Status, applied = MoneyJson.Of(payment.Applied), unapplied = MoneyJson.Of(payment.Unapplied),
        });

    /// <summary><c>change_order.*</c>.</summary>
    public static void ChangeOrder(CairnDb db, string type, ChangeOrder order, Guid clientId, DateTimeOffset at) =>
        Outbox.Outbox.Add(db, order.OrganizationId, type, at, new
        {
            changeOrderId = order.Id, contractId = order.ContractId, clientId, order.Title, status = order.Status, order.ResultingContractVersion,
        });

    /// <summary><c>dispute.resolved</c>.</summary>
    public static void DisputeResolved(CairnDb db, Dispute dispute, DateTimeOffset at) =>
        Outbox.Outbox.Add(db, dispute.OrganizationId, EventTypes.DisputeResolved, at, new
        {
            disputeId = dispute.Id, contractId = dispute.ContractId, milestoneId = dispute.MilestoneId, invoiceId = dispute.InvoiceId,
            status = dispute.Status, outcome = dispute.Outcome,
        });
}
