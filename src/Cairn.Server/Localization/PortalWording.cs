namespace Cairn.Server.Localization;

/// <summary>
/// Every label of the client portal's start page, in one language: part of <see cref="Wording"/>
/// (<see cref="Wording.Portal"/>), so the portal and the documents a client receives speak the
/// client's language through one catalogue. Texts with <c>{0}</c> take values through <see cref="Wording.Format"/>.
/// </summary>
public sealed record PortalWording
{
    public required string Title { get; init; }
    public required string PortalOf { get; init; }
    public required string SessionEnded { get; init; }
    public required string SessionEndedHelp { get; init; }
    public required string Welcome { get; init; }
    public required string WaitingForYou { get; init; }
    public required string NothingWaits { get; init; }
    public required string ProposalToAccept { get; init; }
    public required string BeforeTax { get; init; }
    public required string WorkToReview { get; init; }
    public required string DeliveredOn { get; init; }
    public required string ApprovingInvoices { get; init; }
    public required string ChangeToDecide { get; init; }
    public required string InvoiceToPay { get; init; }
    public required string AmountDueOn { get; init; }
    public required string NothingInvoiced { get; init; }
    public required string DueIn { get; init; }
    public required string CreditOnAccount { get; init; }
    public required string Contracts { get; init; }
    public required string NoContracts { get; init; }
    public required string Value { get; init; }
    public required string Progress { get; init; }
    public required string DeliveredOf { get; init; }
    public required string BilledOf { get; init; }
    public required string Invoices { get; init; }
    public required string NoInvoices { get; init; }
    public required string Invoice { get; init; }
    public required string Issued { get; init; }
    public required string Due { get; init; }
    public required string Balance { get; init; }
    public required string EInvoice { get; init; }
    public required string Download { get; init; }
    public required string DownloadPdf { get; init; }
    public required string DownloadUbl { get; init; }

    /// <summary>The accessible name of an invoice's CII (UN/CEFACT D16B) e-invoice link; <c>{0}</c> is the invoice number.</summary>
    public required string DownloadCii { get; init; }
    public required string Calendar { get; init; }
    public required string CalendarHelp { get; init; }
    public required string CalendarReplaces { get; init; }
    public required string CalendarCopy { get; init; }
    public required string MakeCalendarLink { get; init; }
    public required string MakeNewCalendarLink { get; init; }

    public static readonly PortalWording English = new()
    {
        Title = "Client portal", PortalOf = "{0} · client portal",
        SessionEnded = "Your portal session has ended", SessionEndedHelp = "Open the link from your email again, or ask your contact for a new one.",
        Welcome = "Welcome, {0}. These are your contracts with {1}.",
        WaitingForYou = "Waiting for you", NothingWaits = "Nothing waits for you right now.",
        ProposalToAccept = "Proposal to accept:", BeforeTax = "{0} (before tax)",
        WorkToReview = "Delivered work to review:", DeliveredOn = "delivered {0}", ApprovingInvoices = "Approving it invoices {0} ({1} net).",
        ChangeToDecide = "Change to decide:", InvoiceToPay = "Invoice to pay:", AmountDueOn = "{0} due {1}",
        NothingInvoiced = "Nothing has been invoiced yet.", DueIn = "Due in {0}", CreditOnAccount = "Credit on account {0}",
        Contracts = "Contracts", NoContracts = "There are no contracts yet.", Value = "Value", Progress = "Progress",
        DeliveredOf = "Delivered (net) {0} of {1}", BilledOf = "Billed (net) {0} of {1}",
        Invoices = "Invoices", NoInvoices = "No invoices yet.", Invoice = "Invoice", Issued = "Issued", Due = "Due", Balance = "Balance",
        EInvoice = "E-invoice", Download = "Download", DownloadPdf = "Download invoice {0} as PDF", DownloadUbl = "XML e-invoice (UBL) of invoice {0}", DownloadCii = "XML e-invoice (CII) of invoice {0}",
        Calendar = "Calendar", CalendarHelp = "Subscribe your calendar app to the due dates of your milestones and invoices.",
        CalendarReplaces = "You have a calendar link; a new one replaces it.",
        CalendarCopy = "Copy this link into your calendar app's \"subscribe by URL\"; it is shown only now.",
        MakeCalendarLink = "Make a calendar link", MakeNewCalendarLink = "Make a new calendar link",
    };

    public static readonly PortalWording German = new()
    {
        Title = "Kundenportal", PortalOf = "{0} · Kundenportal",
        SessionEnded = "Ihre Portalsitzung ist abgelaufen", SessionEndedHelp = "Öffnen Sie den Link aus Ihrer E-Mail erneut oder bitten Sie Ihren Ansprechpartner um einen neuen.",
        Welcome = "Willkommen, {0}. Dies sind Ihre Verträge mit {1}.",
        WaitingForYou = "Wartet auf Sie", NothingWaits = "Im Moment wartet nichts auf Sie.",
        ProposalToAccept = "Angebot zur Annahme:", BeforeTax = "{0} (netto)",
        WorkToReview = "Gelieferte Arbeit zur Prüfung:", DeliveredOn = "geliefert am {0}", ApprovingInvoices = "Mit der Freigabe werden {0} in Rechnung gestellt ({1} netto).",
        ChangeToDecide = "Änderung zur Entscheidung:", InvoiceToPay = "Zu zahlende Rechnung:", AmountDueOn = "{0} fällig am {1}",
        NothingInvoiced = "Bisher wurde nichts in Rechnung gestellt.", DueIn = "Offen in {0}", CreditOnAccount = "Guthaben {0}",
        Contracts = "Verträge", NoContracts = "Noch keine Verträge.", Value = "Wert", Progress = "Fortschritt",
        DeliveredOf = "Geliefert (netto) {0} von {1}", BilledOf = "Berechnet (netto) {0} von {1}",
        Invoices = "Rechnungen", NoInvoices = "Noch keine Rechnungen.", Invoice = "Rechnung", Issued = "Ausgestellt", Due = "Fällig", Balance = "Offen",
        EInvoice = "E-Rechnung", Download = "Herunterladen", DownloadPdf = "Rechnung {0} als PDF herunterladen", DownloadUbl = "XML-E-Rechnung (UBL) der Rechnung {0}", DownloadCii = "XML-E-Rechnung (CII) der Rechnung {0}",
        Calendar = "Kalender", CalendarHelp = "Abonnieren Sie die Fälligkeitstermine Ihrer Meilensteine und Rechnungen in Ihrer Kalender-App.",
        CalendarReplaces = "Sie haben einen Kalenderlink; ein neuer ersetzt ihn.",
        CalendarCopy = "Kopieren Sie diesen Link in das „Abonnieren per URL“ Ihrer Kalender-App; er wird nur jetzt angezeigt.",
        MakeCalendarLink = "Kalenderlink erstellen", MakeNewCalendarLink = "Neuen Kalenderlink erstellen",
    };

    public static readonly PortalWording French = new()
    {
        Title = "Espace client", PortalOf = "{0} · espace client",
        SessionEnded = "Votre session a expiré", SessionEndedHelp = "Ouvrez à nouveau le lien reçu par e-mail, ou demandez-en un nouveau à votre contact.",
        Welcome = "Bienvenue, {0}. Voici vos contrats avec {1}.",
        WaitingForYou = "En attente de votre part", NothingWaits = "Rien ne vous attend pour le moment.",
        ProposalToAccept = "Proposition à accepter :", BeforeTax = "{0} (HT)",
        WorkToReview = "Travail livré à examiner :", DeliveredOn = "livré le {0}", ApprovingInvoices = "L'approuver facture {0} ({1} HT).",
        ChangeToDecide = "Modification à décider :", InvoiceToPay = "Facture à payer :", AmountDueOn = "{0} à payer le {1}",
        NothingInvoiced = "Rien n'a encore été facturé.", DueIn = "Dû en {0}", CreditOnAccount = "Avoir disponible {0}",
        Contracts = "Contrats", NoContracts = "Aucun contrat pour l'instant.", Value = "Montant", Progress = "Avancement",
        DeliveredOf = "Livré (HT) {0} sur {1}", BilledOf = "Facturé (HT) {0} sur {1}",
        Invoices = "Factures", NoInvoices = "Aucune facture pour l'instant.", Invoice = "Facture", Issued = "Émise le", Due = "Échéance", Balance = "Reste dû",
        EInvoice = "Facture électronique", Download = "Télécharger", DownloadPdf = "Télécharger la facture {0} en PDF", DownloadUbl = "Facture électronique XML (UBL) de la facture {0}", DownloadCii = "Facture électronique XML (CII) de la facture {0}",
        Calendar = "Calendrier", CalendarHelp = "Abonnez votre agenda aux échéances de vos jalons et de vos factures.",
        CalendarReplaces = "Vous avez un lien d'agenda ; un nouveau le remplace.",
        CalendarCopy = "Copiez ce lien dans « s'abonner par URL » de votre agenda ; il n'est affiché qu'une fois.",
        MakeCalendarLink = "Créer un lien d'agenda", MakeNewCalendarLink = "Créer un nouveau lien d'agenda",
    };

    public static readonly PortalWording Dutch = new()
    {
        Title = "Klantportaal", PortalOf = "{0} · klantportaal",
        SessionEnded = "Uw portaalsessie is verlopen", SessionEndedHelp = "Open de link uit uw e-mail opnieuw, of vraag uw contactpersoon om een nieuwe.",
        Welcome = "Welkom, {0}. Dit zijn uw contracten met {1}.",
        WaitingForYou = "Wacht op u", NothingWaits = "Er wacht op dit moment niets op u.",
        ProposalToAccept = "Voorstel om te aanvaarden:", BeforeTax = "{0} (excl. btw)",
        WorkToReview = "Opgeleverd werk om te beoordelen:", DeliveredOn = "opgeleverd op {0}", ApprovingInvoices = "Goedkeuren factureert {0} ({1} netto).",
        ChangeToDecide = "Wijziging om te beslissen:", InvoiceToPay = "Te betalen factuur:", AmountDueOn = "{0} te betalen op {1}",
        NothingInvoiced = "Er is nog niets gefactureerd.", DueIn = "Te betalen in {0}", CreditOnAccount = "Tegoed {0}",
        Contracts = "Contracten", NoContracts = "Nog geen contracten.", Value = "Waarde", Progress = "Voortgang",
        DeliveredOf = "Opgeleverd (netto) {0} van {1}", BilledOf = "Gefactureerd (netto) {0} van {1}",
        Invoices = "Facturen", NoInvoices = "Nog geen facturen.", Invoice = "Factuur", Issued = "Uitgegeven", Due = "Vervaldatum", Balance = "Openstaand",
        EInvoice = "E-factuur", Download = "Downloaden", DownloadPdf = "Factuur {0} als pdf downloaden", DownloadUbl = "XML-e-factuur (UBL) van factuur {0}", DownloadCii = "XML-e-factuur (CII) van factuur {0}",
        Calendar = "Agenda", CalendarHelp = "Abonneer uw agenda-app op de vervaldata van uw mijlpalen en facturen.",
        CalendarReplaces = "U hebt een agendalink; een nieuwe vervangt die.",
        CalendarCopy = "Kopieer deze link naar \"abonneren via URL\" van uw agenda-app; hij wordt alleen nu getoond.",
        MakeCalendarLink = "Agendalink maken", MakeNewCalendarLink = "Nieuwe agendalink maken",
    };

    public static readonly PortalWording Spanish = new()
    {
        Title = "Portal del cliente", PortalOf = "{0} · portal del cliente",
        SessionEnded = "Su sesión del portal ha caducado", SessionEndedHelp = "Abra de nuevo el enlace de su correo o pida uno nuevo a su contacto.",
        Welcome = "Bienvenido, {0}. Estos son sus contratos con {1}.",
        WaitingForYou = "Pendiente de usted", NothingWaits = "Ahora mismo no hay nada pendiente.",
        ProposalToAccept = "Propuesta para aceptar:", BeforeTax = "{0} (sin impuestos)",
        WorkToReview = "Trabajo entregado para revisar:", DeliveredOn = "entregado el {0}", ApprovingInvoices = "Al aprobarlo se facturan {0} ({1} neto).",
        ChangeToDecide = "Cambio para decidir:", InvoiceToPay = "Factura por pagar:", AmountDueOn = "{0} vence el {1}",
        NothingInvoiced = "Todavía no se ha facturado nada.", DueIn = "Pendiente en {0}", CreditOnAccount = "Saldo a favor {0}",
        Contracts = "Contratos", NoContracts = "Todavía no hay contratos.", Value = "Importe", Progress = "Avance",
        DeliveredOf = "Entregado (neto) {0} de {1}", BilledOf = "Facturado (neto) {0} de {1}",
        Invoices = "Facturas", NoInvoices = "Todavía no hay facturas.", Invoice = "Factura", Issued = "Emitida", Due = "Vencimiento", Balance = "Pendiente",
        EInvoice = "Factura electrónica", Download = "Descargar", DownloadPdf = "Descargar la factura {0} en PDF", DownloadUbl = "Factura electrónica XML (UBL) de la factura {0}", DownloadCii = "Factura electrónica XML (CII) de la factura {0}",
        Calendar = "Calendario", CalendarHelp = "Suscriba su aplicación de calendario a los vencimientos de sus hitos y facturas.",
        CalendarReplaces = "Ya tiene un enlace de calendario; uno nuevo lo sustituye.",
        CalendarCopy = "Copie este enlace en «suscribirse por URL» de su calendario; solo se muestra ahora.",
        MakeCalendarLink = "Crear un enlace de calendario", MakeNewCalendarLink = "Crear un nuevo enlace de calendario",
    };
}
