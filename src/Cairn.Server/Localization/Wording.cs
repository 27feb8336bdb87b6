using System.Globalization;
using Cairn.Domain;

namespace Cairn.Server.Localization;

/// <summary>
/// Every label a client reads on an invoice, credit note or proposal, in one language. The catalogue is
/// typed (a missing translation is a compile error, not an English word in a German invoice);
/// texts with <c>{0}</c> take values through <see cref="Format"/>.
/// </summary>
public sealed record Wording
{
    public required string InvoiceTitle { get; init; }

    /// <summary>The title of a prepayment invoice (UNTDID 1001 type 386), e.g. PREPAYMENT INVOICE.</summary>
    public required string PrepaymentInvoiceTitle { get; init; }
    public required string BillTo { get; init; }
    public required string InvoiceNumber { get; init; }
    public required string IssueDate { get; init; }
    public required string DueDate { get; init; }

    /// <summary>The date the work was delivered (EN 16931 BT-72; the date of supply VAT law asks for, e.g. §14 UStG "Leistungsdatum").</summary>
    public required string DeliveryDate { get; init; }
    public required string Contract { get; init; }
    public required string Milestone { get; init; }
    public required string Status { get; init; }
    public required string PaidInFull { get; init; }
    public required string VoidCredited { get; init; }
    public required string Disputed { get; init; }
    public required string Description { get; init; }
    public required string TaxRate { get; init; }
    public required string NetIn { get; init; }
    public required string TaxIn { get; init; }
    public required string TotalIn { get; init; }
    public required string TaxBreakdown { get; init; }
    public required string Rate { get; init; }
    public required string TaxableAmount { get; init; }
    public required string Tax { get; init; }
    public required string NetTotal { get; init; }
    public required string TaxTotal { get; init; }
    public required string Total { get; init; }
    public required string Paid { get; init; }
    public required string Credited { get; init; }
    public required string BalanceDue { get; init; }
    public required string TaxExemption { get; init; }
    public required string Payment { get; init; }
    public required string PleasePay { get; init; }
    public required string NothingDueCredited { get; init; }
    public required string NothingDuePaid { get; init; }
    /// <summary>The party's VAT id (BT-31, BT-48) with its label, e.g. <c>USt-IdNr.: {0}</c>.</summary>
    public required string TaxId { get; init; }
    public required string InvoiceNamed { get; init; }
    public required string Continued { get; init; }
    public required string PageOf { get; init; }
    public required string CreditNoteTitle { get; init; }
    public required string CreditTo { get; init; }
    public required string CreditNoteNumber { get; init; }
    public required string CreditsInvoice { get; init; }
    public required string Reason { get; init; }
    public required string CreditAgainst { get; init; }
    public required string NetCredited { get; init; }
    public required string TaxCredited { get; init; }
    public required string TotalCredited { get; init; }
    public required string CreditReduces { get; init; }
    public required string CreditNoteNamed { get; init; }
    public required string ProposalTitle { get; init; }
    public required string ProposedTo { get; init; }
    public required string ProposalDate { get; init; }
    public required string ProposalNamed { get; init; }
    public required string Milestones { get; init; }
    public required string Billed { get; init; }
    public required string OnApproval { get; init; }
    public required string OnStart { get; init; }
    public required string OnDate { get; init; }
    public required string Deliverable { get; init; }
    public required string AcceptanceCriteria { get; init; }
    public required string ContractValue { get; init; }
    public required string PaymentTerms { get; init; }
    public required string PaymentTermsText { get; init; }
    public required string AutoApprovalText { get; init; }
    public required string AcceptanceHeading { get; init; }
    public required string AcceptedBy { get; init; }
    public required string AcceptanceEvidence { get; init; }
    public required string AcceptedPdf { get; init; }

    /// <summary>The title of a change-order PDF, e.g. CHANGE ORDER.</summary>
    public required string ChangeOrderTitle { get; init; }
    public required string ChangeOrderNamed { get; init; }
    public required string ProposedOn { get; init; }
    public required string Change { get; init; }
    public required string Before { get; init; }
    public required string After { get; init; }
    public required string Added { get; init; }
    public required string Changed { get; init; }
    public required string Cancelled { get; init; }
    public required string Unchanged { get; init; }

    /// <summary>The subject of the email telling someone they were mentioned: {0} who, {1} what about.</summary>
    public required string MentionSubject { get; init; }

    /// <summary>The first line of that email: {0} who, {1} what about; the comment follows.</summary>
    public required string MentionIntro { get; init; }

    /// <summary>The line before the link to the conversation.</summary>
    public required string MentionReply { get; init; }

    /// <summary>The labels of the client portal (<see cref="PortalWording"/>).</summary>
    public required PortalWording Portal { get; init; }

    /// <summary>A document shown with the accepted proposal: {0} its file name, {1} the SHA-256 of its content.</summary>
    public required string AcceptedDocument { get; init; }

    /// <summary>Fills the <c>{0}</c>, <c>{1}</c> … of a text.</summary>
    public static string Format(string text, params object[] values) => string.Format(CultureInfo.InvariantCulture, text, values);

    /// <summary>The languages a client can choose, with their ISO 639-1 code and their own name.</summary>
    public static IReadOnlyList<(string Code, string Name)> Languages { get; } =
        [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("nl", "Nederlands"), ("es", "Español")];

    /// <summary>The wording of a language.</summary>
    public static Wording For(Language language) => language switch
    {
        Language.De => German,
        Language.Fr => French,
        Language.Nl => Dutch,
        Language.Es => Spanish,
        _ => English,
    };

    public static readonly Wording English = new()
    {
        Portal = PortalWording.English,
        InvoiceTitle = "INVOICE", PrepaymentInvoiceTitle = "PREPAYMENT INVOICE",
        BillTo = "Bill to", InvoiceNumber = "Invoice number", IssueDate = "Issue date", DueDate = "Due date", DeliveryDate = "Delivery date",
        Contract = "Contract", Milestone = "Milestone", Status = "Status", PaidInFull = "Paid in full", VoidCredited = "Void: credited in full",
        Disputed = "Disputed", Description = "Description", TaxRate = "Tax rate", NetIn = "Net ({0})", TaxIn = "Tax ({0})", TotalIn = "Total ({0})",
        TaxBreakdown = "Tax breakdown", Rate = "Rate", TaxableAmount = "Taxable amount", Tax = "Tax", NetTotal = "Net total", TaxTotal = "Tax total",
        Total = "Total", Paid = "Paid", Credited = "Credited", BalanceDue = "Balance due", TaxExemption = "Tax exemption", Payment = "Payment",
        PleasePay = "Please pay {0} by {1}, quoting {2} as the reference.",
        NothingDueCredited = "This invoice has been credited in full; nothing is due.",
        NothingDuePaid = "This invoice is paid in full; thank you.",
        TaxId = "VAT ID: {0}", InvoiceNamed = "Invoice {0}", Continued = "{0} (continued)", PageOf = "Page {0} of {1}",
        CreditNoteTitle = "CREDIT NOTE", CreditTo = "Credit to", CreditNoteNumber = "Credit note", CreditsInvoice = "Credits invoice", Reason = "Reason",
        CreditAgainst = "Credit against invoice {0}", NetCredited = "Net credited", TaxCredited = "Tax credited", TotalCredited = "Total credited",
        CreditReduces = "This credit note reduces what is owed on invoice {0} by {1}.", CreditNoteNamed = "Credit note {0}",
        ProposalTitle = "PROPOSAL", ProposedTo = "Proposed to", ProposalDate = "Proposal date", ProposalNamed = "Proposal {0}", Milestones = "Milestones", Billed = "Invoiced",
        OnApproval = "on approval", OnStart = "on acceptance (deposit)", OnDate = "on {0}", Deliverable = "Deliverable", AcceptanceCriteria = "Acceptance criteria", ContractValue = "Contract value (net)",
        PaymentTerms = "Payment terms", PaymentTermsText = "Each invoice is due {0} days after its issue date. Amounts are net of tax; tax: {1}.", AutoApprovalText = "Delivered work not answered within {0} days is approved.", AcceptanceHeading = "Acceptance", AcceptedBy = "Accepted by {0} (typed name: {1}) on {2} UTC.", AcceptanceEvidence = "IP address {0} · portal link {1} · user agent {2}", AcceptedPdf = "SHA-256 of the proposal PDF accepted: {0}", AcceptedDocument = "Document {0}, SHA-256: {1}",
        ChangeOrderTitle = "CHANGE ORDER", ChangeOrderNamed = "Change order {0}", ProposedOn = "Proposed on", Change = "Change", Before = "Before", After = "After", Added = "added", Changed = "changed", Cancelled = "cancelled", Unchanged = "unchanged",
        MentionSubject = "{0} mentioned you: {1}", MentionIntro = "{0} mentioned you in a comment on {1}:", MentionReply = "Read and reply:",
    };

    public static readonly Wording German = new()
    {
        Portal = PortalWording.German,
        InvoiceTitle = "RECHNUNG", PrepaymentInvoiceTitle = "VORAUSZAHLUNGSRECHNUNG",
        BillTo = "Rechnung an", InvoiceNumber = "Rechnungsnummer", IssueDate = "Rechnungsdatum", DueDate = "Fällig am", DeliveryDate = "Leistungsdatum",
        Contract = "Vertrag", Milestone = "Meilenstein", Status = "Status", PaidInFull = "Vollständig bezahlt", VoidCredited = "Storniert: vollständig gutgeschrieben",
        Disputed = "Beanstandet", Description = "Beschreibung", TaxRate = "Steuersatz", NetIn = "Netto ({0})", TaxIn = "Steuer ({0})", TotalIn = "Gesamt ({0})",
        TaxBreakdown = "Steueraufstellung", Rate = "Satz", TaxableAmount = "Bemessungsgrundlage", Tax = "Steuer", NetTotal = "Summe netto", TaxTotal = "Summe Steuer",
        Total = "Gesamtbetrag", Paid = "Bezahlt", Credited = "Gutgeschrieben", BalanceDue = "Offener Betrag", TaxExemption = "Steuerbefreiung", Payment = "Zahlung",
        PleasePay = "Bitte überweisen Sie {0} bis zum {1} unter Angabe von {2} als Verwendungszweck.",
        NothingDueCredited = "Diese Rechnung wurde vollständig gutgeschrieben; es ist nichts zu zahlen.",
        NothingDuePaid = "Diese Rechnung ist vollständig bezahlt; vielen Dank.",
        TaxId = "USt-IdNr.: {0}", InvoiceNamed = "Rechnung {0}", Continued = "{0} (Fortsetzung)", PageOf = "Seite {0} von {1}",
        CreditNoteTitle = "RECHNUNGSKORREKTUR", CreditTo = "Empfänger", CreditNoteNumber = "Korrekturnummer", CreditsInvoice = "Korrigiert Rechnung", Reason = "Grund",
        CreditAgainst = "Korrektur zu Rechnung {0}", NetCredited = "Netto gutgeschrieben", TaxCredited = "Steuer gutgeschrieben", TotalCredited = "Gesamt gutgeschrieben",
        CreditReduces = "Diese Rechnungskorrektur mindert den offenen Betrag der Rechnung {0} um {1}.", CreditNoteNamed = "Rechnungskorrektur {0}",
        ProposalTitle = "ANGEBOT", ProposedTo = "Angebot an", ProposalDate = "Angebotsdatum", ProposalNamed = "Angebot {0}", Milestones = "Meilensteine", Billed = "Abrechnung",
        OnApproval = "nach Abnahme", OnStart = "bei Annahme (Anzahlung)", OnDate = "am {0}", Deliverable = "Leistung", AcceptanceCriteria = "Abnahmekriterien", ContractValue = "Auftragswert (netto)",
        PaymentTerms = "Zahlungsbedingungen", PaymentTermsText = "Jede Rechnung ist {0} Tage nach Rechnungsdatum fällig. Beträge netto; Steuer: {1}.", AutoApprovalText = "Gelieferte Arbeit, die nicht binnen {0} Tagen beantwortet wird, gilt als abgenommen.", AcceptanceHeading = "Annahme", AcceptedBy = "Angenommen von {0} (getippter Name: {1}) am {2} UTC.", AcceptanceEvidence = "IP-Adresse {0} · Portal-Link {1} · User-Agent {2}", AcceptedPdf = "SHA-256 des angenommenen Angebots-PDF: {0}", AcceptedDocument = "Dokument {0}, SHA-256: {1}",
        ChangeOrderTitle = "ÄNDERUNGSAUFTRAG", ChangeOrderNamed = "Änderungsauftrag {0}", ProposedOn = "Vorgeschlagen am", Change = "Änderung", Before = "Vorher", After = "Nachher", Added = "hinzugefügt", Changed = "geändert", Cancelled = "gestrichen", Unchanged = "unverändert",
        MentionSubject = "{0} hat Sie erwähnt: {1}", MentionIntro = "{0} hat Sie in einem Kommentar zu {1} erwähnt:", MentionReply = "Lesen und antworten:",
    };

    public static readonly Wording French = new()
    {
        Portal = PortalWording.French,
        InvoiceTitle = "FACTURE", PrepaymentInvoiceTitle = "FACTURE D'ACOMPTE",
        BillTo = "Facturé à", InvoiceNumber = "Numéro de facture", IssueDate = "Date d'émission", DueDate = "Date d'échéance", DeliveryDate = "Date de la prestation",
        Contract = "Contrat", Milestone = "Jalon", Status = "Statut", PaidInFull = "Payée intégralement", VoidCredited = "Annulée : créditée intégralement",
        Disputed = "Contestée", Description = "Désignation", TaxRate = "Taux de taxe", NetIn = "Montant HT ({0})", TaxIn = "Taxe ({0})", TotalIn = "Total ({0})",
        TaxBreakdown = "Détail des taxes", Rate = "Taux", TaxableAmount = "Base imposable", Tax = "Taxe", NetTotal = "Total HT", TaxTotal = "Total taxes",
        Total = "Total TTC", Paid = "Payé", Credited = "Crédité", BalanceDue = "Reste à payer", TaxExemption = "Exonération de taxe", Payment = "Paiement",
        PleasePay = "Merci de régler {0} au plus tard le {1}, en indiquant la référence {2}.",
        NothingDueCredited = "Cette facture a été créditée intégralement ; aucun montant n'est dû.",
        NothingDuePaid = "Cette facture est intégralement réglée ; merci.",
        TaxId = "N° TVA : {0}", InvoiceNamed = "Facture {0}", Continued = "{0} (suite)", PageOf = "Page {0} sur {1}",
        CreditNoteTitle = "AVOIR", CreditTo = "Au bénéfice de", CreditNoteNumber = "Numéro d'avoir", CreditsInvoice = "Facture concernée", Reason = "Motif",
        CreditAgainst = "Avoir sur la facture {0}", NetCredited = "Montant HT crédité", TaxCredited = "Taxe créditée", TotalCredited = "Total crédité",
        CreditReduces = "Cet avoir réduit de {1} le montant dû sur la facture {0}.", CreditNoteNamed = "Avoir {0}",
        ProposalTitle = "PROPOSITION", ProposedTo = "Proposé à", ProposalDate = "Date de la proposition", ProposalNamed = "Proposition {0}", Milestones = "Jalons", Billed = "Facturation",
        OnApproval = "à l'approbation", OnStart = "à l'acceptation (acompte)", OnDate = "le {0}", Deliverable = "Livrable", AcceptanceCriteria = "Critères d'acceptation", ContractValue = "Valeur du contrat (HT)",
        PaymentTerms = "Conditions de paiement", PaymentTermsText = "Chaque facture est payable {0} jours après sa date d'émission. Montants hors taxes ; taxe : {1}.", AutoApprovalText = "Un travail livré sans réponse sous {0} jours est approuvé.", AcceptanceHeading = "Acceptation", AcceptedBy = "Accepté par {0} (nom saisi : {1}) le {2} UTC.", AcceptanceEvidence = "Adresse IP {0} · lien du portail {1} · navigateur {2}", AcceptedPdf = "SHA-256 du PDF de la proposition acceptée : {0}", AcceptedDocument = "Document {0}, SHA-256 : {1}",
        ChangeOrderTitle = "AVENANT", ChangeOrderNamed = "Avenant {0}", ProposedOn = "Proposé le", Change = "Modification", Before = "Avant", After = "Après", Added = "ajouté", Changed = "modifié", Cancelled = "annulé", Unchanged = "inchangé",
        MentionSubject = "{0} vous a mentionné : {1}", MentionIntro = "{0} vous a mentionné dans un commentaire sur {1} :", MentionReply = "Lire et répondre :",
    };

    public static readonly Wording Dutch = new()
    {
        Portal = PortalWording.Dutch,
        InvoiceTitle = "FACTUUR", PrepaymentInvoiceTitle = "VOORSCHOTFACTUUR",
        BillTo = "Factuur aan", InvoiceNumber = "Factuurnummer", IssueDate = "Factuurdatum", DueDate = "Vervaldatum", DeliveryDate = "Leveringsdatum",
        Contract = "Contract", Milestone = "Mijlpaal", Status = "Status", PaidInFull = "Volledig betaald", VoidCredited = "Vervallen: volledig gecrediteerd",
        Disputed = "Betwist", Description = "Omschrijving", TaxRate = "Belastingtarief", NetIn = "Netto ({0})", TaxIn = "Belasting ({0})", TotalIn = "Totaal ({0})",
        TaxBreakdown = "Belastingoverzicht", Rate = "Tarief", TaxableAmount = "Belastbaar bedrag", Tax = "Belasting", NetTotal = "Totaal netto", TaxTotal = "Totaal belasting",
        Total = "Totaal", Paid = "Betaald", Credited = "Gecrediteerd", BalanceDue = "Te betalen", TaxExemption = "Belastingvrijstelling", Payment = "Betaling",
        PleasePay = "Gelieve {0} te betalen vóór {1}, onder vermelding van {2}.",
        NothingDueCredited = "Deze factuur is volledig gecrediteerd; er hoeft niets betaald te worden.",
        NothingDuePaid = "Deze factuur is volledig betaald; hartelijk dank.",
        TaxId = "Btw-nummer: {0}", InvoiceNamed = "Factuur {0}", Continued = "{0} (vervolg)", PageOf = "Pagina {0} van {1}",
        CreditNoteTitle = "CREDITNOTA", CreditTo = "Ten gunste van", CreditNoteNumber = "Creditnotanummer", CreditsInvoice = "Crediteert factuur", Reason = "Reden",
        CreditAgainst = "Creditering van factuur {0}", NetCredited = "Netto gecrediteerd", TaxCredited = "Belasting gecrediteerd", TotalCredited = "Totaal gecrediteerd",
        CreditReduces = "Deze creditnota vermindert het verschuldigde bedrag van factuur {0} met {1}.", CreditNoteNamed = "Creditnota {0}",
        ProposalTitle = "VOORSTEL", ProposedTo = "Voorgesteld aan", ProposalDate = "Datum voorstel", ProposalNamed = "Voorstel {0}", Milestones = "Mijlpalen", Billed = "Facturering",
        OnApproval = "na goedkeuring", OnStart = "bij aanvaarding (voorschot)", OnDate = "op {0}", Deliverable = "Op te leveren", AcceptanceCriteria = "Acceptatiecriteria", ContractValue = "Contractwaarde (excl. btw)",
        PaymentTerms = "Betalingsvoorwaarden", PaymentTermsText = "Elke factuur is {0} dagen na factuurdatum verschuldigd. Bedragen excl. belasting; belasting: {1}.", AutoApprovalText = "Opgeleverd werk zonder antwoord binnen {0} dagen geldt als goedgekeurd.", AcceptanceHeading = "Aanvaarding", AcceptedBy = "Aanvaard door {0} (getypte naam: {1}) op {2} UTC.", AcceptanceEvidence = "IP-adres {0} · portaallink {1} · browser {2}", AcceptedPdf = "SHA-256 van de aanvaarde voorstel-PDF: {0}", AcceptedDocument = "Document {0}, SHA-256: {1}",
        ChangeOrderTitle = "WIJZIGINGSOPDRACHT", ChangeOrderNamed = "Wijzigingsopdracht {0}", ProposedOn = "Voorgesteld op", Change = "Wijziging", Before = "Voor", After = "Na", Added = "toegevoegd", Changed = "gewijzigd", Cancelled = "geschrapt", Unchanged = "ongewijzigd",
        MentionSubject = "{0} heeft u genoemd: {1}", MentionIntro = "{0} heeft u genoemd in een opmerking bij {1}:", MentionReply = "Lezen en antwoorden:",
    };

    public static readonly Wording Spanish = new()
    {
        Portal = PortalWording.Spanish,
        InvoiceTitle = "FACTURA", PrepaymentInvoiceTitle = "FACTURA DE ANTICIPO",
        BillTo = "Facturar a", InvoiceNumber = "Número de factura", IssueDate = "Fecha de emisión", DueDate = "Fecha de vencimiento", DeliveryDate = "Fecha de la operación",
        Contract = "Contrato", Milestone = "Hito", Status = "Estado", PaidInFull = "Pagada en su totalidad", VoidCredited = "Anulada: abonada en su totalidad",
        Disputed = "En disputa", Description = "Descripción", TaxRate = "Tipo impositivo", NetIn = "Neto ({0})", TaxIn = "Impuesto ({0})", TotalIn = "Total ({0})",
        TaxBreakdown = "Desglose de impuestos", Rate = "Tipo", TaxableAmount = "Base imponible", Tax = "Impuesto", NetTotal = "Total neto", TaxTotal = "Total impuestos",
        Total = "Total", Paid = "Pagado", Credited = "Abonado", BalanceDue = "Importe pendiente", TaxExemption = "Exención de impuestos", Payment = "Pago",
        PleasePay = "Le rogamos que abone {0} antes del {1}, indicando {2} como referencia.",
        NothingDueCredited = "Esta factura se ha abonado en su totalidad; no queda importe pendiente.",
        NothingDuePaid = "Esta factura está pagada en su totalidad; gracias.",
        TaxId = "NIF-IVA: {0}", InvoiceNamed = "Factura {0}", Continued = "{0} (continuación)", PageOf = "Página {0} de {1}",
        CreditNoteTitle = "FACTURA RECTIFICATIVA", CreditTo = "A favor de", CreditNoteNumber = "Rectificativa", CreditsInvoice = "Rectifica la factura", Reason = "Motivo",
        CreditAgainst = "Abono sobre la factura {0}", NetCredited = "Neto abonado", TaxCredited = "Impuesto abonado", TotalCredited = "Total abonado",
        CreditReduces = "Esta factura rectificativa reduce en {1} el importe adeudado de la factura {0}.", CreditNoteNamed = "Factura rectificativa {0}",
        ProposalTitle = "PROPUESTA", ProposedTo = "Propuesta para", ProposalDate = "Fecha de la propuesta", ProposalNamed = "Propuesta {0}", Milestones = "Hitos", Billed = "Facturación",
        OnApproval = "al aprobarse", OnStart = "al aceptar (anticipo)", OnDate = "el {0}", Deliverable = "Entregable", AcceptanceCriteria = "Criterios de aceptación", ContractValue = "Valor del contrato (neto)",
        PaymentTerms = "Condiciones de pago", PaymentTermsText = "Cada factura vence {0} días después de su fecha de emisión. Importes sin impuestos; impuesto: {1}.", AutoApprovalText = "El trabajo entregado sin respuesta en {0} días se considera aprobado.", AcceptanceHeading = "Aceptación", AcceptedBy = "Aceptado por {0} (nombre escrito: {1}) el {2} UTC.", AcceptanceEvidence = "Dirección IP {0} · enlace del portal {1} · navegador {2}", AcceptedPdf = "SHA-256 del PDF de la propuesta aceptada: {0}", AcceptedDocument = "Documento {0}, SHA-256: {1}",
        ChangeOrderTitle = "ORDEN DE CAMBIO", ChangeOrderNamed = "Orden de cambio {0}", ProposedOn = "Propuesta el", Change = "Cambio", Before = "Antes", After = "Después", Added = "añadido", Changed = "modificado", Cancelled = "cancelado", Unchanged = "sin cambios",
        MentionSubject = "{0} le ha mencionado: {1}", MentionIntro = "{0} le ha mencionado en un comentario sobre {1}:", MentionReply = "Leer y responder:",
    };
}
