using Cairn.Domain;

namespace Cairn.Server.Localization;

/// <summary>
/// Every text of the notification emails a client contact reads (milestone submitted, invoice issued
/// or sent, change order proposed), in one language; the companion of <see cref="Wording"/> for emails,
/// typed the same way (a missing translation is a compile error). Texts with <c>{0}</c> take values
/// through <see cref="Wording.Format"/>; labels shared with documents (due date, acceptance criteria) come from <see cref="Wording"/>.
/// </summary>
public sealed record MailWording
{
    /// <summary>The greeting; {0} is the contact's name.</summary>
    public required string Hello { get; init; }

    /// <summary>Subject of <c>milestone.submitted</c>; {0} the milestone, {1} the contract.</summary>
    public required string SubmittedSubject { get; init; }

    /// <summary>First sentence of <c>milestone.submitted</c>; {0} the organization, {1} the milestone, {2} the contract.</summary>
    public required string SubmittedIntro { get; init; }
    public required string WhatWasDelivered { get; init; }

    /// <summary>What approving bills; {0} the gross amount incl. tax, {1} the net, {2} the tax.</summary>
    public required string ApprovingInvoices { get; init; }

    /// <summary>Approving a checkpoint or a milestone billed on its own trigger issues no invoice.</summary>
    public required string ApprovingInvoicesNothing { get; init; }

    /// <summary>The approval window; {0} the date it runs out.</summary>
    public required string AutoApprovalBy { get; init; }
    public required string ReviewInPortal { get; init; }
    public required string LinkIsYours { get; init; }

    /// <summary>Subject of an issued or sent invoice; {0} the number, {1} the organization.</summary>
    public required string InvoiceSubject { get; init; }

    /// <summary>{0} the organization, {1} the invoice number, {2} the gross amount.</summary>
    public required string InvoiceIntro { get; init; }
    public required string InvoiceAttached { get; init; }
    public required string EInvoiceAttached { get; init; }

    /// <summary>Subject of <c>change_order.proposed</c>; {0} the change order, {1} the contract.</summary>
    public required string ChangeOrderSubject { get; init; }

    /// <summary>{0} the organization, {1} the change order, {2} the contract.</summary>
    public required string ChangeOrderIntro { get; init; }
    public required string ChangeOrderInPortal { get; init; }

    /// <summary>The closing line; {0} the organization.</summary>
    public required string Regards { get; init; }

    /// <summary>The wording of a language.</summary>
    public static MailWording For(Language language) => language switch
    {
        Language.De => German,
        Language.Fr => French,
        Language.Nl => Dutch,
        Language.Es => Spanish,
        _ => English,
    };

    public static readonly MailWording English = new()
    {
        Hello = "Hello {0},",
        SubmittedSubject = "Ready for your review: {0} ({1})",
        SubmittedIntro = "{0} has delivered the milestone “{1}” of “{2}” and asks you to review it.",
        WhatWasDelivered = "What was delivered",
        ApprovingInvoices = "Approving it issues an invoice of {0} ({1} net plus {2} tax).",
        ApprovingInvoicesNothing = "Approving it issues no invoice.",
        AutoApprovalBy = "If you do not answer, it is approved on {0}.",
        ReviewInPortal = "Review it, approve it, ask for changes or dispute it in your client portal:",
        LinkIsYours = "This link is yours alone; please do not forward it.",
        InvoiceSubject = "Invoice {0} from {1}",
        InvoiceIntro = "{0} sends you invoice {1} for {2}.",
        InvoiceAttached = "The invoice is attached as a PDF.",
        EInvoiceAttached = "The e-invoice (UBL 2.1) is attached too.",
        ChangeOrderSubject = "Change order proposed: {0} ({1})",
        ChangeOrderIntro = "{0} proposes the change order “{1}” to “{2}”.",
        ChangeOrderInPortal = "Review it and approve or reject it in your client portal:",
        Regards = "Kind regards,\n{0}",
    };

    public static readonly MailWording German = new()
    {
        Hello = "Guten Tag {0},",
        SubmittedSubject = "Bereit zur Abnahme: {0} ({1})",
        SubmittedIntro = "{0} hat den Meilenstein „{1}“ von „{2}“ geliefert und bittet Sie um Prüfung.",
        WhatWasDelivered = "Geliefert wurde",
        ApprovingInvoices = "Mit der Abnahme wird eine Rechnung über {0} gestellt ({1} netto zuzüglich {2} Steuer).",
        ApprovingInvoicesNothing = "Mit der Abnahme wird keine Rechnung gestellt.",
        AutoApprovalBy = "Ohne Ihre Antwort gilt er am {0} als abgenommen.",
        ReviewInPortal = "Prüfen, abnehmen, Änderungen anfordern oder beanstanden können Sie in Ihrem Kundenportal:",
        LinkIsYours = "Dieser Link gilt nur für Sie; bitte leiten Sie ihn nicht weiter.",
        InvoiceSubject = "Rechnung {0} von {1}",
        InvoiceIntro = "{0} sendet Ihnen die Rechnung {1} über {2}.",
        InvoiceAttached = "Die Rechnung ist als PDF beigefügt.",
        EInvoiceAttached = "Die E-Rechnung (UBL 2.1) ist ebenfalls beigefügt.",
        ChangeOrderSubject = "Änderungsauftrag vorgeschlagen: {0} ({1})",
        ChangeOrderIntro = "{0} schlägt den Änderungsauftrag „{1}“ zu „{2}“ vor.",
        ChangeOrderInPortal = "Prüfen und annehmen oder ablehnen können Sie ihn in Ihrem Kundenportal:",
        Regards = "Mit freundlichen Grüßen\n{0}",
    };

    public static readonly MailWording French = new()
    {
        Hello = "Bonjour {0},",
        SubmittedSubject = "Prêt pour votre validation : {0} ({1})",
        SubmittedIntro = "{0} a livré le jalon « {1} » de « {2} » et vous demande de le valider.",
        WhatWasDelivered = "Ce qui a été livré",
        ApprovingInvoices = "Sa validation émet une facture de {0} ({1} HT plus {2} de taxe).",
        ApprovingInvoicesNothing = "Sa validation n'émet aucune facture.",
        AutoApprovalBy = "Sans réponse de votre part, il sera validé le {0}.",
        ReviewInPortal = "Examinez-le, validez-le, demandez des modifications ou contestez-le dans votre portail client :",
        LinkIsYours = "Ce lien vous est personnel ; merci de ne pas le transférer.",
        InvoiceSubject = "Facture {0} de {1}",
        InvoiceIntro = "{0} vous adresse la facture {1} d'un montant de {2}.",
        InvoiceAttached = "La facture est jointe au format PDF.",
        EInvoiceAttached = "La facture électronique (UBL 2.1) est également jointe.",
        ChangeOrderSubject = "Avenant proposé : {0} ({1})",
        ChangeOrderIntro = "{0} propose l'avenant « {1} » à « {2} ».",
        ChangeOrderInPortal = "Examinez-le et acceptez-le ou refusez-le dans votre portail client :",
        Regards = "Cordialement,\n{0}",
    };

    public static readonly MailWording Dutch = new()
    {
        Hello = "Beste {0},",
        SubmittedSubject = "Klaar voor uw beoordeling: {0} ({1})",
        SubmittedIntro = "{0} heeft de mijlpaal ‘{1}’ van ‘{2}’ opgeleverd en vraagt u die te beoordelen.",
        WhatWasDelivered = "Wat is opgeleverd",
        ApprovingInvoices = "Bij goedkeuring wordt een factuur van {0} verstuurd ({1} netto plus {2} btw).",
        ApprovingInvoicesNothing = "Bij goedkeuring wordt geen factuur verstuurd.",
        AutoApprovalBy = "Zonder uw antwoord wordt hij op {0} goedgekeurd.",
        ReviewInPortal = "Beoordeel, keur goed, vraag wijzigingen of betwist hem in uw klantportaal:",
        LinkIsYours = "Deze link is alleen voor u; stuur hem niet door.",
        InvoiceSubject = "Factuur {0} van {1}",
        InvoiceIntro = "{0} stuurt u factuur {1} voor {2}.",
        InvoiceAttached = "De factuur is als pdf bijgevoegd.",
        EInvoiceAttached = "De e-factuur (UBL 2.1) is ook bijgevoegd.",
        ChangeOrderSubject = "Wijzigingsopdracht voorgesteld: {0} ({1})",
        ChangeOrderIntro = "{0} stelt de wijzigingsopdracht ‘{1}’ voor ‘{2}’ voor.",
        ChangeOrderInPortal = "Beoordeel en accepteer of weiger hem in uw klantportaal:",
        Regards = "Met vriendelijke groet,\n{0}",
    };

    public static readonly MailWording Spanish = new()
    {
        Hello = "Hola, {0}:",
        SubmittedSubject = "Listo para su revisión: {0} ({1})",
        SubmittedIntro = "{0} ha entregado el hito «{1}» de «{2}» y le pide que lo revise.",
        WhatWasDelivered = "Lo entregado",
        ApprovingInvoices = "Al aprobarlo se emite una factura de {0} ({1} de base más {2} de impuestos).",
        ApprovingInvoicesNothing = "Al aprobarlo no se emite ninguna factura.",
        AutoApprovalBy = "Si no responde, se aprobará el {0}.",
        ReviewInPortal = "Revíselo, apruébelo, pida cambios o dispútelo en su portal de cliente:",
        LinkIsYours = "Este enlace es solo para usted; no lo reenvíe.",
        InvoiceSubject = "Factura {0} de {1}",
        InvoiceIntro = "{0} le envía la factura {1} por {2}.",
        InvoiceAttached = "La factura va adjunta en PDF.",
        EInvoiceAttached = "También se adjunta la factura electrónica (UBL 2.1).",
        ChangeOrderSubject = "Orden de cambio propuesta: {0} ({1})",
        ChangeOrderIntro = "{0} propone la orden de cambio «{1}» para «{2}».",
        ChangeOrderInPortal = "Revísela y apruébela o recházela en su portal de cliente:",
        Regards = "Atentamente,\n{0}",
    };
}
