using Cairn.Domain;
using Cairn.Server.Outbox;

namespace Cairn.Server.Localization;

/// <summary>
/// Every text of the notification emails a client contact reads (milestone submitted, invoice issued
/// or sent, change order proposed) and of those staff read (notifications, the daily digest, a
/// disabled webhook endpoint: the <c>Staff…</c>, <c>Digest…</c> and <c>Webhook…</c> texts), in one language; the companion of <see cref="Wording"/> for emails,
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

    /// <summary>Subject of the proposal email; {0} the organization, {1} the contract.</summary>
    public required string ProposalSubject { get; init; }

    /// <summary>{0} the organization, {1} the contract.</summary>
    public required string ProposalIntro { get; init; }

    /// <summary>A milestone's due date in the proposal's plan; {0} the date.</summary>
    public required string ProposalDue { get; init; }

    /// <summary>{0} the contract value before tax.</summary>
    public required string ProposalValue { get; init; }

    /// <summary>{0} the payment terms in days.</summary>
    public required string ProposalTerms { get; init; }

    public required string ProposalInPortal { get; init; }

    /// <summary>The portal link's rule and end; {0} when it ends, on the organization's clock with its zone (<see cref="Formats.MomentWithZone"/>).</summary>
    public required string LinkWorksUntil { get; init; }

    /// <summary>Subject of the email with a portal link; {0} the organization.</summary>
    public required string PortalInviteSubject { get; init; }

    /// <summary>{0} the organization.</summary>
    public required string PortalInviteIntro { get; init; }

    /// <summary>Staff, <c>milestone.approved</c>; {0} the client, {1} the milestone, {2} the contract, {3} the amount.</summary>
    public required string StaffApproved { get; init; }

    /// <summary>Staff, <c>milestone.auto_approved</c>; {0} the client, {1} the milestone, {2} the contract, {3} the amount.</summary>
    public required string StaffAutoApproved { get; init; }

    /// <summary>Staff, <c>milestone.changes_requested</c>; {0} the client, {1} the milestone, {2} the contract, {3} the client's reason.</summary>
    public required string StaffChangesRequested { get; init; }

    /// <summary>Staff, <c>milestone.disputed</c>; {0} the client, {1} the milestone, {2} the contract, {3} the client's reason.</summary>
    public required string StaffDisputed { get; init; }

    /// <summary>Staff, <c>milestone.auto_approval_due</c>; {0} the client, {1} the milestone, {2} the contract, {3} when the window ends.</summary>
    public required string StaffAutoApprovalDue { get; init; }

    /// <summary>When the end of an approval window is not known.</summary>
    public required string StaffWindowEnd { get; init; }

    /// <summary>A moment in the organization's time zone; {0} the day (yyyy-MM-dd), {1} the time (HH:mm), {2} the IANA zone.</summary>
    public required string StaffDayAt { get; init; }

    /// <summary>Staff, <c>payment.recorded</c>; {0} the client, {1} the amount, {2} the method.</summary>
    public required string StaffPaid { get; init; }

    /// <summary>Staff, <c>payment.recorded</c> with a reference; {0} the client, {1} the amount, {2} the method, {3} the reference.</summary>
    public required string StaffPaidReference { get; init; }
    public required string StaffOpen { get; init; }

    /// <summary>Why a staff email came; {0} what happened as <see cref="StaffEvents"/> says it, {1} the account page's address.</summary>
    public required string StaffWhy { get; init; }

    /// <summary>
    /// Each event a member can be emailed about (<see cref="Outbox.NotificationPreference.StaffEvents"/>) as the
    /// clause "when …" ends with: what the account's Notifications page offers and a staff email says it was sent for.
    /// </summary>
    public required IReadOnlyDictionary<string, string> StaffEvents { get; init; }

    /// <summary>What <paramref name="eventType"/> is called in <see cref="StaffEvents"/>; the type itself for any other.</summary>
    public string StaffEvent(string eventType) => StaffEvents.TryGetValue(eventType, out var said) ? said : eventType;

    /// <summary>Subject of a daily digest of one event; {0} the day.</summary>
    public required string DigestSubjectOne { get; init; }

    /// <summary>Subject of a daily digest; {0} the day, {1} how many events.</summary>
    public required string DigestSubjectMany { get; init; }

    /// <summary>{0} the organization.</summary>
    public required string DigestIntro { get; init; }

    /// <summary>Why the digest came; {0} the account page's address.</summary>
    public required string DigestWhy { get; init; }

    /// <summary>Subject to owners when Cairn disabled a webhook endpoint; {0} its URL.</summary>
    public required string WebhookDisabledSubject { get; init; }

    /// <summary>{0} the endpoint's URL and description.</summary>
    public required string WebhookDisabledIntro { get; init; }

    /// <summary>{0} how many hours deliveries failed.</summary>
    public required string WebhookDisabledFailing { get; init; }
    public required string WebhookDisabledNext { get; init; }

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
        InvoiceSubject = "Invoice {0} from {1}",
        InvoiceIntro = "{0} sends you invoice {1} for {2}.",
        InvoiceAttached = "The invoice is attached as a PDF.",
        EInvoiceAttached = "The e-invoice (UBL 2.1) is attached too.",
        ChangeOrderSubject = "Change order proposed: {0} ({1})",
        ChangeOrderIntro = "{0} proposes the change order “{1}” to “{2}”.",
        ChangeOrderInPortal = "Review it and approve or reject it in your client portal:",
        Regards = "Kind regards,\n{0}",
        StaffApproved = "{0} approved “{1}” of “{2}” ({3}).",
        StaffAutoApproved = "Cairn approved “{1}” of “{2}” ({3}): {0} did not answer within the approval window.",
        StaffChangesRequested = "{0} asked for changes to “{1}” of “{2}”: {3}",
        StaffDisputed = "{0} disputed “{1}” of “{2}”: {3}",
        StaffAutoApprovalDue = "Cairn will approve “{1}” of “{2}” on {3} unless {0} answers first.",
        StaffWindowEnd = "the end of its approval window",
        StaffDayAt = "{0} at {1} ({2})",
        StaffPaid = "{0} paid {1} ({2}); the payment is recorded.",
        StaffPaidReference = "{0} paid {1} ({2}, reference {3}); the payment is recorded.",
        StaffOpen = "Open it in Cairn:",
        StaffWhy = "You receive this email because you asked to hear when {0} (Notifications on your account page: {1}).",
        StaffEvents = new Dictionary<string, string> { [EventTypes.MilestoneApproved] = "a client approves a milestone", [EventTypes.MilestoneAutoApproved] = "Cairn approves a milestone the client left unanswered", [EventTypes.MilestoneChangesRequested] = "a client asks for changes", [EventTypes.MilestoneDisputed] = "a client disputes a milestone", [EventTypes.MilestoneAutoApprovalDue] = "an approval window runs out within two days", [EventTypes.PaymentRecorded] = "a payment is recorded" },
        DigestSubjectOne = "Your Cairn digest for {0}: 1 event",
        DigestSubjectMany = "Your Cairn digest for {0}: {1} events",
        DigestIntro = "This is what happened at {0} since your last digest:",
        DigestWhy = "You receive one digest a day at 08:00 because you chose it under Notifications on your account page ({0}).",
        WebhookDisabledSubject = "Webhook endpoint disabled: {0}",
        WebhookDisabledIntro = "Cairn stopped delivering webhooks to {0}.",
        WebhookDisabledFailing = "Deliveries failed for {0} hours.",
        WebhookDisabledNext = "The failed deliveries are listed under Settings → Webhooks, where you can enable the endpoint again and resend them.",
        ProposalSubject = "Proposal from {0}: {1}",
        ProposalIntro = "{0} proposes “{1}” for your acceptance:",
        ProposalDue = "due {0}",
        ProposalValue = "Contract value (before tax): {0}",
        ProposalTerms = "Each invoice is due {0} days after its issue date.",
        ProposalInPortal = "Review the plan and the proposal PDF, then accept it, ask for changes or decline it in your client portal:",
        LinkWorksUntil = "No password is needed: this link is yours alone, so please do not forward it. It works until {0}.",
        PortalInviteSubject = "Your client portal at {0}",
        PortalInviteIntro = "{0} invites you to its client portal on Cairn, where you can follow your contracts, review delivered milestones, and see your invoices and what is due:",
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
        InvoiceSubject = "Rechnung {0} von {1}",
        InvoiceIntro = "{0} sendet Ihnen die Rechnung {1} über {2}.",
        InvoiceAttached = "Die Rechnung ist als PDF beigefügt.",
        EInvoiceAttached = "Die E-Rechnung (UBL 2.1) ist ebenfalls beigefügt.",
        ChangeOrderSubject = "Änderungsauftrag vorgeschlagen: {0} ({1})",
        ChangeOrderIntro = "{0} schlägt den Änderungsauftrag „{1}“ zu „{2}“ vor.",
        ChangeOrderInPortal = "Prüfen und annehmen oder ablehnen können Sie ihn in Ihrem Kundenportal:",
        Regards = "Mit freundlichen Grüßen\n{0}",
        StaffApproved = "{0} hat „{1}“ von „{2}“ abgenommen ({3}).",
        StaffAutoApproved = "Cairn hat „{1}“ von „{2}“ abgenommen ({3}): {0} hat innerhalb der Abnahmefrist nicht geantwortet.",
        StaffChangesRequested = "{0} bittet um Änderungen an „{1}“ von „{2}“: {3}",
        StaffDisputed = "{0} hat „{1}“ von „{2}“ beanstandet: {3}",
        StaffAutoApprovalDue = "Cairn nimmt „{1}“ von „{2}“ am {3} ab, falls {0} nicht vorher antwortet.",
        StaffWindowEnd = "Ende der Abnahmefrist",
        StaffDayAt = "{0} um {1} ({2})",
        StaffPaid = "{0} hat {1} gezahlt ({2}); die Zahlung ist erfasst.",
        StaffPaidReference = "{0} hat {1} gezahlt ({2}, Referenz {3}); die Zahlung ist erfasst.",
        StaffOpen = "In Cairn öffnen:",
        StaffWhy = "Sie erhalten diese E-Mail, weil Sie benachrichtigt werden möchten, wenn {0} (Benachrichtigungen auf Ihrer Kontoseite: {1}).",
        StaffEvents = new Dictionary<string, string> { [EventTypes.MilestoneApproved] = "ein Kunde einen Meilenstein abnimmt", [EventTypes.MilestoneAutoApproved] = "Cairn einen Meilenstein abnimmt, zu dem sich der Kunde nicht geäußert hat", [EventTypes.MilestoneChangesRequested] = "ein Kunde Änderungen anfordert", [EventTypes.MilestoneDisputed] = "ein Kunde einen Meilenstein beanstandet", [EventTypes.MilestoneAutoApprovalDue] = "eine Abnahmefrist in den nächsten zwei Tagen abläuft", [EventTypes.PaymentRecorded] = "eine Zahlung erfasst wird" },
        DigestSubjectOne = "Ihre Cairn-Übersicht für {0}: 1 Ereignis",
        DigestSubjectMany = "Ihre Cairn-Übersicht für {0}: {1} Ereignisse",
        DigestIntro = "Das ist bei {0} seit Ihrer letzten Übersicht geschehen:",
        DigestWhy = "Sie erhalten täglich um 08:00 eine Übersicht, weil Sie sie unter Benachrichtigungen auf Ihrer Kontoseite gewählt haben ({0}).",
        WebhookDisabledSubject = "Webhook-Endpunkt deaktiviert: {0}",
        WebhookDisabledIntro = "Cairn liefert keine Webhooks mehr an {0}.",
        WebhookDisabledFailing = "Die Zustellungen sind {0} Stunden lang fehlgeschlagen.",
        WebhookDisabledNext = "Die fehlgeschlagenen Zustellungen stehen unter Einstellungen → Webhooks, wo Sie den Endpunkt wieder aktivieren und sie erneut senden können.",
        ProposalSubject = "Angebot von {0}: {1}",
        ProposalIntro = "{0} legt Ihnen „{1}“ zur Annahme vor:",
        ProposalDue = "fällig am {0}",
        ProposalValue = "Vertragswert (netto): {0}",
        ProposalTerms = "Jede Rechnung ist {0} Tage nach ihrem Ausstellungsdatum fällig.",
        ProposalInPortal = "Prüfen Sie den Plan und das Angebot als PDF und nehmen Sie es in Ihrem Kundenportal an, fragen Sie Änderungen an oder lehnen Sie es ab:",
        LinkWorksUntil = "Sie brauchen kein Passwort: Dieser Link gilt nur für Sie, bitte leiten Sie ihn nicht weiter. Er gilt bis {0}.",
        PortalInviteSubject = "Ihr Kundenportal bei {0}",
        PortalInviteIntro = "{0} lädt Sie in sein Kundenportal auf Cairn ein. Dort verfolgen Sie Ihre Verträge, prüfen gelieferte Meilensteine und sehen Ihre Rechnungen und offenen Beträge:",
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
        InvoiceSubject = "Facture {0} de {1}",
        InvoiceIntro = "{0} vous adresse la facture {1} d'un montant de {2}.",
        InvoiceAttached = "La facture est jointe au format PDF.",
        EInvoiceAttached = "La facture électronique (UBL 2.1) est également jointe.",
        ChangeOrderSubject = "Avenant proposé : {0} ({1})",
        ChangeOrderIntro = "{0} propose l'avenant « {1} » à « {2} ».",
        ChangeOrderInPortal = "Examinez-le et acceptez-le ou refusez-le dans votre portail client :",
        Regards = "Cordialement,\n{0}",
        StaffApproved = "{0} a validé « {1} » de « {2} » ({3}).",
        StaffAutoApproved = "Cairn a validé « {1} » de « {2} » ({3}) : {0} n'a pas répondu dans le délai de validation.",
        StaffChangesRequested = "{0} demande des modifications de « {1} » de « {2} » : {3}",
        StaffDisputed = "{0} conteste « {1} » de « {2} » : {3}",
        StaffAutoApprovalDue = "Cairn validera « {1} » de « {2} » le {3}, sauf si {0} répond avant.",
        StaffWindowEnd = "la fin de son délai de validation",
        StaffDayAt = "{0} à {1} ({2})",
        StaffPaid = "{0} a payé {1} ({2}) ; le paiement est enregistré.",
        StaffPaidReference = "{0} a payé {1} ({2}, référence {3}) ; le paiement est enregistré.",
        StaffOpen = "Ouvrir dans Cairn :",
        StaffWhy = "Vous recevez cet e-mail parce que vous avez demandé à être prévenu quand {0} (Notifications sur la page de votre compte : {1}).",
        StaffEvents = new Dictionary<string, string> { [EventTypes.MilestoneApproved] = "un client valide un jalon", [EventTypes.MilestoneAutoApproved] = "Cairn valide un jalon resté sans réponse du client", [EventTypes.MilestoneChangesRequested] = "un client demande des modifications", [EventTypes.MilestoneDisputed] = "un client conteste un jalon", [EventTypes.MilestoneAutoApprovalDue] = "un délai de validation expire dans les deux jours", [EventTypes.PaymentRecorded] = "un paiement est enregistré" },
        DigestSubjectOne = "Votre récapitulatif Cairn du {0} : 1 événement",
        DigestSubjectMany = "Votre récapitulatif Cairn du {0} : {1} événements",
        DigestIntro = "Voici ce qui s'est passé chez {0} depuis votre dernier récapitulatif :",
        DigestWhy = "Vous recevez un récapitulatif par jour à 08:00 parce que vous l'avez choisi sous Notifications sur la page de votre compte ({0}).",
        WebhookDisabledSubject = "Point de terminaison webhook désactivé : {0}",
        WebhookDisabledIntro = "Cairn a cessé de livrer les webhooks à {0}.",
        WebhookDisabledFailing = "Les livraisons ont échoué pendant {0} heures.",
        WebhookDisabledNext = "Les livraisons échouées sont listées sous Paramètres → Webhooks, où vous pouvez réactiver le point de terminaison et les renvoyer.",
        ProposalSubject = "Proposition de {0} : {1}",
        ProposalIntro = "{0} vous propose « {1} » pour acceptation :",
        ProposalDue = "échéance le {0}",
        ProposalValue = "Montant du contrat (HT) : {0}",
        ProposalTerms = "Chaque facture est payable {0} jours après sa date d'émission.",
        ProposalInPortal = "Examinez le plan et la proposition en PDF, puis acceptez-la, demandez des modifications ou refusez-la dans votre espace client :",
        LinkWorksUntil = "Aucun mot de passe n'est nécessaire : ce lien vous est personnel, merci de ne pas le transférer. Il est valable jusqu'au {0}.",
        PortalInviteSubject = "Votre espace client chez {0}",
        PortalInviteIntro = "{0} vous invite dans son espace client sur Cairn, où vous suivez vos contrats, examinez les jalons livrés et consultez vos factures et ce qui est dû :",
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
        InvoiceSubject = "Factuur {0} van {1}",
        InvoiceIntro = "{0} stuurt u factuur {1} voor {2}.",
        InvoiceAttached = "De factuur is als pdf bijgevoegd.",
        EInvoiceAttached = "De e-factuur (UBL 2.1) is ook bijgevoegd.",
        ChangeOrderSubject = "Wijzigingsopdracht voorgesteld: {0} ({1})",
        ChangeOrderIntro = "{0} stelt de wijzigingsopdracht ‘{1}’ voor ‘{2}’ voor.",
        ChangeOrderInPortal = "Beoordeel en accepteer of weiger hem in uw klantportaal:",
        Regards = "Met vriendelijke groet,\n{0}",
        StaffApproved = "{0} heeft ‘{1}’ van ‘{2}’ goedgekeurd ({3}).",
        StaffAutoApproved = "Cairn heeft ‘{1}’ van ‘{2}’ goedgekeurd ({3}): {0} heeft niet binnen de goedkeuringstermijn geantwoord.",
        StaffChangesRequested = "{0} vraagt wijzigingen in ‘{1}’ van ‘{2}’: {3}",
        StaffDisputed = "{0} betwist ‘{1}’ van ‘{2}’: {3}",
        StaffAutoApprovalDue = "Cairn keurt ‘{1}’ van ‘{2}’ op {3} goed, tenzij {0} eerder antwoordt.",
        StaffWindowEnd = "het einde van de goedkeuringstermijn",
        StaffDayAt = "{0} om {1} ({2})",
        StaffPaid = "{0} heeft {1} betaald ({2}); de betaling is geboekt.",
        StaffPaidReference = "{0} heeft {1} betaald ({2}, kenmerk {3}); de betaling is geboekt.",
        StaffOpen = "Openen in Cairn:",
        StaffWhy = "U ontvangt deze e-mail omdat u een melding wilt krijgen wanneer {0} (Meldingen op uw accountpagina: {1}).",
        StaffEvents = new Dictionary<string, string> { [EventTypes.MilestoneApproved] = "een klant een mijlpaal goedkeurt", [EventTypes.MilestoneAutoApproved] = "Cairn een mijlpaal goedkeurt waarop de klant niet heeft gereageerd", [EventTypes.MilestoneChangesRequested] = "een klant om wijzigingen vraagt", [EventTypes.MilestoneDisputed] = "een klant een mijlpaal betwist", [EventTypes.MilestoneAutoApprovalDue] = "een goedkeuringstermijn binnen twee dagen afloopt", [EventTypes.PaymentRecorded] = "een betaling wordt geregistreerd" },
        DigestSubjectOne = "Uw Cairn-overzicht van {0}: 1 gebeurtenis",
        DigestSubjectMany = "Uw Cairn-overzicht van {0}: {1} gebeurtenissen",
        DigestIntro = "Dit is er bij {0} gebeurd sinds uw vorige overzicht:",
        DigestWhy = "U ontvangt elke dag om 08:00 een overzicht omdat u dat hebt gekozen onder Meldingen op uw accountpagina ({0}).",
        WebhookDisabledSubject = "Webhook-eindpunt uitgeschakeld: {0}",
        WebhookDisabledIntro = "Cairn levert geen webhooks meer aan {0}.",
        WebhookDisabledFailing = "De leveringen mislukten {0} uur lang.",
        WebhookDisabledNext = "De mislukte leveringen staan onder Instellingen → Webhooks, waar u het eindpunt weer kunt inschakelen en ze opnieuw kunt versturen.",
        ProposalSubject = "Voorstel van {0}: {1}",
        ProposalIntro = "{0} legt u „{1}” ter aanvaarding voor:",
        ProposalDue = "te leveren op {0}",
        ProposalValue = "Contractwaarde (excl. btw): {0}",
        ProposalTerms = "Elke factuur moet binnen {0} dagen na de factuurdatum betaald zijn.",
        ProposalInPortal = "Bekijk het plan en het voorstel als pdf en aanvaard het, vraag wijzigingen of wijs het af in uw klantportaal:",
        LinkWorksUntil = "U hebt geen wachtwoord nodig: deze link is alleen voor u, stuur hem dus niet door. Hij werkt tot {0}.",
        PortalInviteSubject = "Uw klantportaal bij {0}",
        PortalInviteIntro = "{0} nodigt u uit in zijn klantportaal op Cairn, waar u uw contracten volgt, opgeleverde mijlpalen bekijkt en uw facturen en openstaande bedragen ziet:",
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
        InvoiceSubject = "Factura {0} de {1}",
        InvoiceIntro = "{0} le envía la factura {1} por {2}.",
        InvoiceAttached = "La factura va adjunta en PDF.",
        EInvoiceAttached = "También se adjunta la factura electrónica (UBL 2.1).",
        ChangeOrderSubject = "Orden de cambio propuesta: {0} ({1})",
        ChangeOrderIntro = "{0} propone la orden de cambio «{1}» para «{2}».",
        ChangeOrderInPortal = "Revísela y apruébela o recházela en su portal de cliente:",
        Regards = "Atentamente,\n{0}",
        StaffApproved = "{0} ha aprobado «{1}» de «{2}» ({3}).",
        StaffAutoApproved = "Cairn ha aprobado «{1}» de «{2}» ({3}): {0} no respondió dentro del plazo de aprobación.",
        StaffChangesRequested = "{0} pide cambios en «{1}» de «{2}»: {3}",
        StaffDisputed = "{0} ha disputado «{1}» de «{2}»: {3}",
        StaffAutoApprovalDue = "Cairn aprobará «{1}» de «{2}» el {3}, salvo que {0} responda antes.",
        StaffWindowEnd = "el final de su plazo de aprobación",
        StaffDayAt = "{0} a las {1} ({2})",
        StaffPaid = "{0} ha pagado {1} ({2}); el pago está registrado.",
        StaffPaidReference = "{0} ha pagado {1} ({2}, referencia {3}); el pago está registrado.",
        StaffOpen = "Ábralo en Cairn:",
        StaffWhy = "Recibe este correo porque pidió que se le avisara cuando {0} (Notificaciones, en la página de su cuenta: {1}).",
        StaffEvents = new Dictionary<string, string> { [EventTypes.MilestoneApproved] = "un cliente apruebe un hito", [EventTypes.MilestoneAutoApproved] = "Cairn apruebe un hito que el cliente dejó sin respuesta", [EventTypes.MilestoneChangesRequested] = "un cliente pida cambios", [EventTypes.MilestoneDisputed] = "un cliente dispute un hito", [EventTypes.MilestoneAutoApprovalDue] = "un plazo de aprobación venza en menos de dos días", [EventTypes.PaymentRecorded] = "se registre un pago" },
        DigestSubjectOne = "Su resumen de Cairn del {0}: 1 evento",
        DigestSubjectMany = "Su resumen de Cairn del {0}: {1} eventos",
        DigestIntro = "Esto es lo que ha pasado en {0} desde su último resumen:",
        DigestWhy = "Recibe un resumen al día a las 08:00 porque lo eligió en Notificaciones, en la página de su cuenta ({0}).",
        WebhookDisabledSubject = "Endpoint de webhook desactivado: {0}",
        WebhookDisabledIntro = "Cairn ha dejado de entregar webhooks a {0}.",
        WebhookDisabledFailing = "Las entregas fallaron durante {0} horas.",
        WebhookDisabledNext = "Las entregas fallidas aparecen en Ajustes → Webhooks, donde puede volver a activar el endpoint y reenviarlas.",
        ProposalSubject = "Propuesta de {0}: {1}",
        ProposalIntro = "{0} le propone «{1}» para su aceptación:",
        ProposalDue = "vence el {0}",
        ProposalValue = "Importe del contrato (sin impuestos): {0}",
        ProposalTerms = "Cada factura vence {0} días después de su fecha de emisión.",
        ProposalInPortal = "Revise el plan y la propuesta en PDF y acéptela, pida cambios o rechácela en su portal del cliente:",
        LinkWorksUntil = "No necesita contraseña: este enlace es solo suyo, no lo reenvíe. Funciona hasta el {0}.",
        PortalInviteSubject = "Su portal del cliente en {0}",
        PortalInviteIntro = "{0} le invita a su portal del cliente en Cairn, donde puede seguir sus contratos, revisar los hitos entregados y ver sus facturas y lo pendiente:",
    };
}
