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

    /// <summary>The heading of the client's credit notes and a credit note's column; <c>CreditsInvoice</c> heads the invoice it credits.</summary>
    public required string CreditNotes { get; init; }
    public required string CreditNote { get; init; }
    public required string CreditsInvoice { get; init; }

    /// <summary>The accessible names of a credit note's PDF, UBL and CII links; <c>{0}</c> is the credit note's number.</summary>
    public required string DownloadCreditNotePdf { get; init; }
    public required string DownloadCreditNoteUbl { get; init; }
    public required string DownloadCreditNoteCii { get; init; }
    public required string Calendar { get; init; }
    public required string CalendarHelp { get; init; }
    public required string CalendarReplaces { get; init; }
    public required string CalendarCopy { get; init; }
    public required string MakeCalendarLink { get; init; }
    public required string MakeNewCalendarLink { get; init; }
    public required string ReviewAndAccept { get; init; }
    public required string ReviewTheWork { get; init; }

    /// <summary>What a change order does to the contract value: {0} before, {1} after, {2} the difference (<see cref="AmountLess"/> or <see cref="AmountMore"/>).</summary>
    public required string ChangeValue { get; init; }
    public required string AmountLess { get; init; }
    public required string AmountMore { get; init; }
    public required string ReviewTheChange { get; init; }
    public required string Documents { get; init; }
    public required string PaidOf { get; init; }
    public required string LatestComments { get; init; }
    public required string NoComments { get; init; }

    /// <summary>Between a comment's author and what it is about.</summary>
    public required string CommentedOn { get; init; }
    public required string AllContracts { get; init; }
    public required string ProposalWithdrawn { get; init; }
    public required string RevisedByEmail { get; init; }
    public required string ValueBeforeTax { get; init; }
    public required string ProposalForYou { get; init; }

    /// <summary>{0} when, {1} the contact it is addressed to.</summary>
    public required string ProposedOnTo { get; init; }
    public required string DownloadProposal { get; init; }
    public required string ThePlan { get; init; }

    /// <summary>The column saying when a milestone is invoiced.</summary>
    public required string InvoicedColumn { get; init; }
    public required string AmountNet { get; init; }
    public required string Terms { get; init; }
    public required string TermsDue { get; init; }

    /// <summary>{0} the tax rate (with the exemption reason, if any).</summary>
    public required string TermsTax { get; init; }
    public required string TermsWindow { get; init; }
    public required string TermsCriteria { get; init; }
    public required string ProposalDocuments { get; init; }
    public required string ProposalDocumentsHelp { get; init; }
    public required string TypeNameToSign { get; init; }
    public required string AgreeProposal { get; init; }
    public required string AcceptProposal { get; init; }
    public required string AskForChanges { get; init; }
    public required string WhatShouldChange { get; init; }
    public required string AttachFiles { get; init; }
    public required string SendChangeRequest { get; init; }
    public required string DeclineProposal { get; init; }
    public required string WhyDecline { get; init; }
    public required string Decline { get; init; }
    public required string ProposalAddressedTo { get; init; }
    public required string Acceptance { get; init; }
    public required string DownloadSignedProposal { get; init; }
    public required string ProposedChange { get; init; }
    public required string WhyChange { get; init; }
    public required string DownloadChangeOrder { get; init; }
    public required string AgreeChange { get; init; }
    public required string ApproveChange { get; init; }

    /// <summary>The accessible name of the button; {0} the change order.</summary>
    public required string ApproveChangeNamed { get; init; }
    public required string Reject { get; init; }

    /// <summary>The accessible name of the button; {0} the change order.</summary>
    public required string RejectChangeNamed { get; init; }
    public required string ApprovedChanges { get; init; }
    public required string ChangeOrder { get; init; }
    public required string DownloadApprovedChange { get; init; }
    public required string InvoicePdf { get; init; }
    public required string YourDispute { get; init; }
    public required string DeliveredWorkFor { get; init; }
    public required string DeliveredAt { get; init; }

    /// <summary>A link or the page title; {0} the milestone.</summary>
    public required string ApproveNamed { get; init; }
    public required string RequestChanges { get; init; }
    public required string WhatNeedsToChange { get; init; }
    public required string DisputeMilestone { get; init; }
    public required string WhyDispute { get; init; }
    public required string OpenDispute { get; init; }
    public required string HistoryOf { get; init; }

    /// <summary>A step of a milestone's history: {0} what happened, {1} who.</summary>
    public required string EventBy { get; init; }

    /// <summary>The approval step's heading; {0} the milestone (emphasized).</summary>
    public required string ApproveQuestion { get; init; }
    public required string BackTo { get; init; }
    public required string WhatWasDelivered { get; init; }
    public required string WhatApprovingDoes { get; init; }
    public required string YouConfirm { get; init; }
    public required string InvoiceAtOnce { get; init; }
    public required string InvoicePrepared { get; init; }
    public required string ApproveAndReceive { get; init; }
    public required string NotYet { get; init; }
    public required string Net { get; init; }
    public required string VatRate { get; init; }
    public required string TotalToPay { get; init; }
    public required string PlanBecomes { get; init; }

    /// <summary>{0} the new contract value, {1} the difference (<see cref="AmountLess"/> or <see cref="AmountMore"/>).</summary>
    public required string PlanAddsUp { get; init; }
    public required string PlanCheck { get; init; }
    public required string AcceptedBy { get; init; }

    /// <summary>{0} the contact, {1} the name they typed (emphasized).</summary>
    public required string TypedName { get; init; }
    public required string WhenUtc { get; init; }
    public required string IpAddress { get; init; }
    public required string UserAgent { get; init; }
    public required string PortalLink { get; init; }
    public required string ChangeOrderSha { get; init; }
    public required string ProposalSha { get; init; }
    public required string DocumentSha { get; init; }

    /// <summary>{0} when (UTC).</summary>
    public required string StaffApprovedChange { get; init; }

    /// <summary>{0} when (UTC).</summary>
    public required string StaffActivated { get; init; }
    public required string NoFiles { get; init; }
    public required string Conversation { get; init; }
    public required string ConversationOn { get; init; }
    public required string Edited { get; init; }
    public required string PreviousVersions { get; init; }
    public required string Replaced { get; init; }
    public required string EditUntil { get; init; }
    public required string YourComment { get; init; }
    public required string SaveEdit { get; init; }
    public required string AddCommentOn { get; init; }
    public required string CommentHint { get; init; }
    public required string PostComment { get; init; }

    /// <summary>The heading of a form's error summary.</summary>
    public required string PleaseCorrect { get; init; }
    public required string FlashCommentPosted { get; init; }
    public required string FlashCommentEdited { get; init; }
    public required string FlashProposalAccepted { get; init; }
    public required string FlashProposalDeclined { get; init; }
    public required string FlashProposalChanges { get; init; }
    public required string FlashApproved { get; init; }
    public required string FlashChangesRequested { get; init; }
    public required string FlashDisputed { get; init; }
    public required string FlashChangeApproved { get; init; }
    public required string FlashChangeRejected { get; init; }
    public required string LinkNotValid { get; init; }
    public required string LinkNotValidHelp { get; init; }
    public required string NotFound { get; init; }
    public required string NotFoundHelp { get; init; }
    public required string SessionEndedLinkHelp { get; init; }
    public required string TooManyAttempts { get; init; }
    public required string TooManyAttemptsHelp { get; init; }
    public required string SomethingWentWrong { get; init; }
    public required string SomethingWentWrongHelp { get; init; }
    public required string PortalHome { get; init; }
    public required string SkipToContent { get; init; }

    /// <summary>The portal header's button that ends the session on this browser.</summary>
    public required string SignOut { get; init; }
    public required string SignedOut { get; init; }
    public required string SignedOutHelp { get; init; }

    /// <summary>A file's size under 1 KB; {0} the number of bytes.</summary>
    public required string Bytes { get; init; }

    /// <summary>A client contact in a history; {0} their name.</summary>
    public required string ActorClient { get; init; }
    public required string ActorCairn { get; init; }
    public required string ActorApiKey { get; init; }
    public required string ActorContact { get; init; }
    public required string ActorTeamMember { get; init; }

    /// <summary>
    /// The words of a state or event (milestone, invoice, billing, contract, change order, history) by its API name,
    /// e.g. <c>in_progress</c>; <see cref="StateOf{T}"/> reads it. Every language names the same states (a test checks it).
    /// </summary>
    public required IReadOnlyDictionary<string, string> States { get; init; }

    /// <summary>
    /// What a refused portal form says, by the domain error's code, for a language other than English
    /// (English shows the domain's own message, its one home); an unknown code shows the domain's message.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Refusals { get; init; }

    /// <summary>The words of a state or event in this language, e.g. <c>InProgress</c> → "in Arbeit".</summary>
    public string StateOf<T>(T value)
        where T : struct, Enum
    {
        var name = Requests.Inputs.NameOf(value);
        return States.TryGetValue(name, out var words) ? words : name.Replace('_', ' ');
    }

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
        EInvoice = "E-invoice", Download = "Download", DownloadPdf = "Download invoice {0} as PDF", DownloadUbl = "XML e-invoice (UBL) of invoice {0}", DownloadCii = "XML e-invoice (CII) of invoice {0}", CreditNotes = "Credit notes", CreditNote = "Credit note", CreditsInvoice = "Credits invoice", DownloadCreditNotePdf = "Download credit note {0} as PDF", DownloadCreditNoteUbl = "XML e-invoice (UBL) of credit note {0}", DownloadCreditNoteCii = "XML e-invoice (CII) of credit note {0}",
        Calendar = "Calendar", CalendarHelp = "Subscribe your calendar app to the due dates of your milestones and invoices.",
        CalendarReplaces = "You have a calendar link; a new one replaces it.",
        CalendarCopy = "Copy this link into your calendar app's \"subscribe by URL\"; it is shown only now.",
        MakeCalendarLink = "Make a calendar link", MakeNewCalendarLink = "Make a new calendar link",
        ReviewAndAccept = "Review and accept",
        ReviewTheWork = "Review the work",
        ChangeValue = "the contract value goes from {0} to {1} ({2}, before tax)",
        AmountLess = "{0} less",
        AmountMore = "{0} more",
        ReviewTheChange = "Review the change",
        Documents = "Documents",
        PaidOf = "Paid {0} of {1} billed",
        LatestComments = "Latest comments",
        NoComments = "No comments yet. You can write one on any milestone or proposed change of your contracts.",
        CommentedOn = "on",
        AllContracts = "All contracts and invoices",
        ProposalWithdrawn = "Proposal withdrawn",
        RevisedByEmail = "You will receive the revised proposal by email.",
        ValueBeforeTax = "Value {0} (before tax)",
        ProposalForYou = "Proposal for your acceptance",
        ProposedOnTo = "Proposed {0} to {1}.",
        DownloadProposal = "Download the proposal (PDF)",
        ThePlan = "The plan",
        InvoicedColumn = "Invoiced",
        AmountNet = "Amount (net)",
        Terms = "Terms",
        TermsDue = "Each invoice is due {0} days after its issue date.",
        TermsTax = "Amounts are net of tax; tax {0}.",
        TermsWindow = "Delivered work not answered within {0} days is approved.",
        TermsCriteria = "Each milestone's deliverable and acceptance criteria are listed below and in the PDF.",
        ProposalDocuments = "Documents of the proposal",
        ProposalDocumentsHelp = "These documents are part of the proposal; your acceptance records the SHA-256 of each.",
        TypeNameToSign = "Type your full name to sign",
        AgreeProposal = "I agree to this proposal, its plan and its terms",
        AcceptProposal = "Accept the proposal",
        AskForChanges = "Ask for changes",
        WhatShouldChange = "What should change",
        AttachFiles = "Attach files (optional)",
        SendChangeRequest = "Send request for changes",
        DeclineProposal = "Decline the proposal",
        WhyDecline = "Why you decline it",
        Decline = "Decline",
        ProposalAddressedTo = "This proposal is addressed to {0}, who accepts or answers it.",
        Acceptance = "Acceptance",
        DownloadSignedProposal = "Download the signed proposal (PDF)",
        ProposedChange = "Proposed change: {0}",
        WhyChange = "Why: {0}",
        DownloadChangeOrder = "Download the change order (PDF)",
        AgreeChange = "I agree to this change and the plan it makes",
        ApproveChange = "Approve the change",
        ApproveChangeNamed = "Approve the change {0}",
        Reject = "Reject",
        RejectChangeNamed = "Reject the change {0}",
        ApprovedChanges = "Approved changes",
        ChangeOrder = "Change order",
        DownloadApprovedChange = "Download the change order you approved (PDF)",
        InvoicePdf = "{0} (PDF)",
        YourDispute = "Your dispute",
        DeliveredWorkFor = "Delivered work for {0}",
        DeliveredAt = "Delivered {0}",
        ApproveNamed = "Approve {0}",
        RequestChanges = "Request changes",
        WhatNeedsToChange = "What needs to change",
        DisputeMilestone = "Dispute this milestone",
        WhyDispute = "Why you dispute it",
        OpenDispute = "Open a dispute",
        HistoryOf = "History of {0}",
        EventBy = "{0} by {1}",
        ApproveQuestion = "Approve {0}?",
        BackTo = "Back to {0}",
        WhatWasDelivered = "What was delivered",
        WhatApprovingDoes = "What approving does",
        YouConfirm = "You confirm the work meets the acceptance criteria.",
        InvoiceAtOnce = "An invoice is issued to you at once, due {0} days after today:",
        InvoicePrepared = "An invoice is prepared for you:",
        ApproveAndReceive = "Approve and receive the invoice of {0}",
        NotYet = "Not yet",
        Net = "Net",
        VatRate = "VAT {0}",
        TotalToPay = "Total to pay",
        PlanBecomes = "If approved, the plan becomes",
        PlanAddsUp = "Plan check: the milestones add up exactly to the new contract value of {0} ({1} than now).",
        PlanCheck = "Plan check: {0}",
        AcceptedBy = "Accepted by",
        TypedName = "{0} (typed name: {1})",
        WhenUtc = "When (UTC)",
        IpAddress = "IP address",
        UserAgent = "User agent",
        PortalLink = "Portal link",
        ChangeOrderSha = "SHA-256 of the change-order PDF",
        ProposalSha = "SHA-256 of the proposal PDF",
        DocumentSha = "SHA-256 of {0}",
        StaffApprovedChange = "Approved by staff on the client's behalf on {0} (agreed outside Cairn; no client acceptance recorded here).",
        StaffActivated = "Activated directly by staff on {0} (agreed outside Cairn; no client acceptance recorded here).",
        NoFiles = "No files.",
        Conversation = "Conversation ({0})",
        ConversationOn = "Conversation on {0}",
        Edited = "edited",
        PreviousVersions = "Previous versions ({0})",
        Replaced = "replaced:",
        EditUntil = "Edit (until {0})",
        YourComment = "Your comment",
        SaveEdit = "Save the edit",
        AddCommentOn = "Add a comment on {0}",
        CommentHint = "Plain text; links become links. Mention someone with @ and their name without spaces to email them. You can edit a comment for 15 minutes.",
        PostComment = "Post the comment",
        PleaseCorrect = "Please correct this",
        FlashCommentPosted = "Your comment was posted.",
        FlashCommentEdited = "Your comment was edited.",
        FlashProposalAccepted = "Thank you: you accepted the proposal and the contract is active.",
        FlashProposalDeclined = "You declined the proposal; we have been told why.",
        FlashProposalChanges = "Your request for changes was sent; you will receive a revised proposal.",
        FlashApproved = "Thank you: the milestone is approved.",
        FlashChangesRequested = "Your request for changes was sent.",
        FlashDisputed = "Your dispute was recorded; we will be in touch.",
        FlashChangeApproved = "Thank you: the change is approved and the plan is updated.",
        FlashChangeRejected = "The change was rejected; the contract stays as it is.",
        LinkNotValid = "This link is not valid",
        LinkNotValidHelp = "It may have expired or been withdrawn. Ask the person who sent it to you for a new link: it arrives by email and opens your contracts and invoices at once.",
        NotFound = "Not found",
        NotFoundHelp = "There is nothing at this address for you. Your contracts and invoices are on your portal home.",
        SessionEndedLinkHelp = "Open the link from your email again. If it no longer works, ask the person who sent it to you for a new link.",
        TooManyAttempts = "Too many attempts",
        TooManyAttemptsHelp = "Please wait a minute, then try again.",
        SomethingWentWrong = "Something went wrong",
        SomethingWentWrongHelp = "The request could not be handled. Go back and try again.",
        PortalHome = "Your portal home",
        SkipToContent = "Skip to content",
        SignOut = "Sign out", SignedOut = "You have signed out", SignedOutHelp = "This browser no longer opens your portal. To come back, open the link from your email again.",
        ActorClient = "{0} (client)",
        ActorCairn = "Cairn (automatically)",
        ActorApiKey = "an API key",
        ActorContact = "a client contact",
        ActorTeamMember = "a team member",
        Bytes = "{0} bytes",
        States = new Dictionary<string, string>
        {
            ["planned"] = "planned",
            ["in_progress"] = "in progress",
            ["submitted"] = "submitted",
            ["approved"] = "approved",
            ["auto_approved"] = "auto approved",
            ["changes_requested"] = "changes requested",
            ["disputed"] = "disputed",
            ["dispute_resolved"] = "dispute resolved",
            ["started"] = "started",
            ["changed"] = "changed",
            ["cancelled"] = "cancelled",
            ["draft"] = "draft",
            ["proposed"] = "proposed",
            ["active"] = "active",
            ["completed"] = "completed",
            ["rejected"] = "rejected",
            ["issued"] = "issued",
            ["paid"] = "paid",
            ["partially_paid"] = "partially paid",
            ["void"] = "void",
            ["unbilled"] = "unbilled",
            ["invoiced"] = "invoiced",
            ["credited"] = "credited",
            ["checkpoint"] = "checkpoint",
            ["overdue"] = "overdue",
            ["on_approval"] = "on approval",
            ["on_start"] = "on start",
            ["on_date"] = "on date",
        },
        Refusals = new Dictionary<string, string>
        {
            ["typed_name_required"] = "Type your full name to sign the acceptance.",
            ["agreement_required"] = "Tick \"I agree\" to accept.",
            ["reason_required"] = "Say why: a reason is required.",
            ["body_required"] = "Write a comment.",
            ["proposal_superseded"] = "This proposal is no longer the offer: it was withdrawn or replaced since it was sent. You will receive the current proposal by email.",
            ["invalid_transition"] = "This can no longer be done: it has changed since you opened the page.",
            ["concurrent_update"] = "Someone else changed this at the same moment; nothing was saved. Please try again.",
        },
    };

    public static readonly PortalWording German = new()
    {
        Title = "Kundenportal", PortalOf = "{0} · Kundenportal",
        SessionEnded = "Ihre Portalsitzung ist beendet", SessionEndedHelp = "Öffnen Sie den Link aus Ihrer E-Mail erneut oder bitten Sie Ihren Ansprechpartner um einen neuen.",
        Welcome = "Willkommen, {0}. Dies sind Ihre Verträge mit {1}.",
        WaitingForYou = "Wartet auf Sie", NothingWaits = "Im Moment wartet nichts auf Sie.",
        ProposalToAccept = "Angebot zur Annahme:", BeforeTax = "{0} (netto)",
        WorkToReview = "Gelieferte Arbeit zur Prüfung:", DeliveredOn = "geliefert am {0}", ApprovingInvoices = "Mit der Freigabe werden {0} in Rechnung gestellt ({1} netto).",
        ChangeToDecide = "Änderung zur Entscheidung:", InvoiceToPay = "Zu zahlende Rechnung:", AmountDueOn = "{0} fällig am {1}",
        NothingInvoiced = "Bisher wurde nichts in Rechnung gestellt.", DueIn = "Offen in {0}", CreditOnAccount = "Guthaben {0}",
        Contracts = "Verträge", NoContracts = "Noch keine Verträge.", Value = "Wert", Progress = "Fortschritt",
        DeliveredOf = "Geliefert (netto) {0} von {1}", BilledOf = "Berechnet (netto) {0} von {1}",
        Invoices = "Rechnungen", NoInvoices = "Noch keine Rechnungen.", Invoice = "Rechnung", Issued = "Ausgestellt", Due = "Fällig", Balance = "Offen",
        EInvoice = "E-Rechnung", Download = "Herunterladen", DownloadPdf = "Rechnung {0} als PDF herunterladen", DownloadUbl = "XML-E-Rechnung (UBL) der Rechnung {0}", DownloadCii = "XML-E-Rechnung (CII) der Rechnung {0}", CreditNotes = "Gutschriften", CreditNote = "Gutschrift", CreditsInvoice = "Zur Rechnung", DownloadCreditNotePdf = "Gutschrift {0} als PDF herunterladen", DownloadCreditNoteUbl = "XML-E-Rechnung (UBL) der Gutschrift {0}", DownloadCreditNoteCii = "XML-E-Rechnung (CII) der Gutschrift {0}",
        Calendar = "Kalender", CalendarHelp = "Abonnieren Sie die Fälligkeitstermine Ihrer Meilensteine und Rechnungen in Ihrer Kalender-App.",
        CalendarReplaces = "Sie haben einen Kalenderlink; ein neuer ersetzt ihn.",
        CalendarCopy = "Kopieren Sie diesen Link in das „Abonnieren per URL“ Ihrer Kalender-App; er wird nur jetzt angezeigt.",
        MakeCalendarLink = "Kalenderlink erstellen", MakeNewCalendarLink = "Neuen Kalenderlink erstellen",
        ReviewAndAccept = "Prüfen und annehmen",
        ReviewTheWork = "Arbeit prüfen",
        ChangeValue = "der Vertragswert ändert sich von {0} auf {1} ({2}, netto)",
        AmountLess = "{0} weniger",
        AmountMore = "{0} mehr",
        ReviewTheChange = "Änderung prüfen",
        Documents = "Dokumente",
        PaidOf = "Bezahlt {0} von {1} berechnet",
        LatestComments = "Neueste Kommentare",
        NoComments = "Noch keine Kommentare. Sie können zu jedem Meilenstein und jeder vorgeschlagenen Änderung Ihrer Verträge einen schreiben.",
        CommentedOn = "zu",
        AllContracts = "Alle Verträge und Rechnungen",
        ProposalWithdrawn = "Angebot zurückgezogen",
        RevisedByEmail = "Sie erhalten das überarbeitete Angebot per E-Mail.",
        ValueBeforeTax = "Wert {0} (netto)",
        ProposalForYou = "Angebot zu Ihrer Annahme",
        ProposedOnTo = "Vorgelegt am {0} an {1}.",
        DownloadProposal = "Angebot herunterladen (PDF)",
        ThePlan = "Der Plan",
        InvoicedColumn = "Berechnung",
        AmountNet = "Betrag (netto)",
        Terms = "Bedingungen",
        TermsDue = "Jede Rechnung ist {0} Tage nach ihrem Ausstellungsdatum fällig.",
        TermsTax = "Beträge sind Nettobeträge; Steuer {0}.",
        TermsWindow = "Gelieferte Arbeit, die nicht innerhalb von {0} Tagen beantwortet wird, gilt als freigegeben.",
        TermsCriteria = "Liefergegenstand und Abnahmekriterien jedes Meilensteins stehen unten und im PDF.",
        ProposalDocuments = "Dokumente des Angebots",
        ProposalDocumentsHelp = "Diese Dokumente gehören zum Angebot; Ihre Annahme hält den SHA-256 jedes Dokuments fest.",
        TypeNameToSign = "Geben Sie zum Unterschreiben Ihren vollständigen Namen ein",
        AgreeProposal = "Ich stimme diesem Angebot, seinem Plan und seinen Bedingungen zu",
        AcceptProposal = "Angebot annehmen",
        AskForChanges = "Änderungen anfragen",
        WhatShouldChange = "Was sich ändern soll",
        AttachFiles = "Dateien anhängen (optional)",
        SendChangeRequest = "Änderungswunsch senden",
        DeclineProposal = "Angebot ablehnen",
        WhyDecline = "Warum Sie es ablehnen",
        Decline = "Ablehnen",
        ProposalAddressedTo = "Dieses Angebot richtet sich an {0}, der oder die es annimmt oder beantwortet.",
        Acceptance = "Annahme",
        DownloadSignedProposal = "Unterschriebenes Angebot herunterladen (PDF)",
        ProposedChange = "Vorgeschlagene Änderung: {0}",
        WhyChange = "Warum: {0}",
        DownloadChangeOrder = "Änderungsauftrag herunterladen (PDF)",
        AgreeChange = "Ich stimme dieser Änderung und dem daraus folgenden Plan zu",
        ApproveChange = "Änderung freigeben",
        ApproveChangeNamed = "Änderung {0} freigeben",
        Reject = "Ablehnen",
        RejectChangeNamed = "Änderung {0} ablehnen",
        ApprovedChanges = "Freigegebene Änderungen",
        ChangeOrder = "Änderungsauftrag",
        DownloadApprovedChange = "Freigegebenen Änderungsauftrag herunterladen (PDF)",
        InvoicePdf = "{0} (PDF)",
        YourDispute = "Ihre Beanstandung",
        DeliveredWorkFor = "Gelieferte Arbeit für {0}",
        DeliveredAt = "Geliefert am {0}",
        ApproveNamed = "{0} freigeben",
        RequestChanges = "Änderungen anfordern",
        WhatNeedsToChange = "Was geändert werden muss",
        DisputeMilestone = "Diesen Meilenstein beanstanden",
        WhyDispute = "Warum Sie ihn beanstanden",
        OpenDispute = "Beanstandung einreichen",
        HistoryOf = "Verlauf von {0}",
        EventBy = "{0} von {1}",
        ApproveQuestion = "{0} freigeben?",
        BackTo = "Zurück zu {0}",
        WhatWasDelivered = "Was geliefert wurde",
        WhatApprovingDoes = "Was die Freigabe bewirkt",
        YouConfirm = "Sie bestätigen, dass die Arbeit die Abnahmekriterien erfüllt.",
        InvoiceAtOnce = "Sie erhalten sofort eine Rechnung, fällig {0} Tage nach heute:",
        InvoicePrepared = "Für Sie wird eine Rechnung vorbereitet:",
        ApproveAndReceive = "Freigeben und die Rechnung über {0} erhalten",
        NotYet = "Noch nicht",
        Net = "Netto",
        VatRate = "USt. {0}",
        TotalToPay = "Zu zahlen",
        PlanBecomes = "Nach Freigabe lautet der Plan",
        PlanAddsUp = "Planprüfung: Die Meilensteine ergeben genau den neuen Vertragswert von {0} ({1} als bisher).",
        PlanCheck = "Planprüfung: {0}",
        AcceptedBy = "Angenommen von",
        TypedName = "{0} (eingegebener Name: {1})",
        WhenUtc = "Wann (UTC)",
        IpAddress = "IP-Adresse",
        UserAgent = "User-Agent",
        PortalLink = "Portallink",
        ChangeOrderSha = "SHA-256 des Änderungsauftrags (PDF)",
        ProposalSha = "SHA-256 des Angebots (PDF)",
        DocumentSha = "SHA-256 von {0}",
        StaffApprovedChange = "Vom Anbieter im Namen des Kunden freigegeben am {0} (außerhalb von Cairn vereinbart; hier ist keine Annahme durch den Kunden festgehalten).",
        StaffActivated = "Vom Anbieter direkt aktiviert am {0} (außerhalb von Cairn vereinbart; hier ist keine Annahme durch den Kunden festgehalten).",
        NoFiles = "Keine Dateien.",
        Conversation = "Unterhaltung ({0})",
        ConversationOn = "Unterhaltung zu {0}",
        Edited = "bearbeitet",
        PreviousVersions = "Frühere Fassungen ({0})",
        Replaced = "ersetzt:",
        EditUntil = "Bearbeiten (bis {0})",
        YourComment = "Ihr Kommentar",
        SaveEdit = "Änderung speichern",
        AddCommentOn = "Kommentar zu {0} schreiben",
        CommentHint = "Nur Text; Links werden zu Links. Erwähnen Sie jemanden mit @ und dem Namen ohne Leerzeichen, um ihm eine E-Mail zu senden. Sie können einen Kommentar 15 Minuten lang bearbeiten.",
        PostComment = "Kommentar senden",
        PleaseCorrect = "Bitte korrigieren Sie dies",
        FlashCommentPosted = "Ihr Kommentar wurde veröffentlicht.",
        FlashCommentEdited = "Ihr Kommentar wurde bearbeitet.",
        FlashProposalAccepted = "Vielen Dank: Sie haben das Angebot angenommen, der Vertrag ist aktiv.",
        FlashProposalDeclined = "Sie haben das Angebot abgelehnt; Ihre Begründung wurde übermittelt.",
        FlashProposalChanges = "Ihr Änderungswunsch wurde gesendet; Sie erhalten ein überarbeitetes Angebot.",
        FlashApproved = "Vielen Dank: Der Meilenstein ist freigegeben.",
        FlashChangesRequested = "Ihr Änderungswunsch wurde gesendet.",
        FlashDisputed = "Ihre Beanstandung wurde festgehalten; wir melden uns bei Ihnen.",
        FlashChangeApproved = "Vielen Dank: Die Änderung ist freigegeben und der Plan aktualisiert.",
        FlashChangeRejected = "Die Änderung wurde abgelehnt; der Vertrag bleibt unverändert.",
        LinkNotValid = "Dieser Link ist nicht gültig",
        LinkNotValidHelp = "Er ist womöglich abgelaufen oder wurde zurückgezogen. Bitten Sie die Person, die ihn Ihnen geschickt hat, um einen neuen Link: Er kommt per E-Mail und öffnet sofort Ihre Verträge und Rechnungen.",
        NotFound = "Nicht gefunden",
        NotFoundHelp = "Unter dieser Adresse gibt es nichts für Sie. Ihre Verträge und Rechnungen finden Sie auf Ihrer Portal-Startseite.",
        SessionEndedLinkHelp = "Öffnen Sie den Link aus Ihrer E-Mail erneut. Wenn er nicht mehr funktioniert, bitten Sie die Person, die ihn Ihnen geschickt hat, um einen neuen.",
        TooManyAttempts = "Zu viele Versuche",
        TooManyAttemptsHelp = "Bitte warten Sie eine Minute und versuchen Sie es dann erneut.",
        SomethingWentWrong = "Etwas ist schiefgelaufen",
        SomethingWentWrongHelp = "Die Anfrage konnte nicht bearbeitet werden. Gehen Sie zurück und versuchen Sie es erneut.",
        PortalHome = "Ihre Portal-Startseite",
        SkipToContent = "Zum Inhalt springen",
        SignOut = "Abmelden", SignedOut = "Sie haben sich abgemeldet", SignedOutHelp = "Dieser Browser öffnet Ihr Portal nicht mehr. Um zurückzukehren, öffnen Sie den Link aus Ihrer E-Mail erneut.",
        ActorClient = "{0} (Kunde)",
        ActorCairn = "Cairn (automatisch)",
        ActorApiKey = "ein API-Schlüssel",
        ActorContact = "ein Ansprechpartner des Kunden",
        ActorTeamMember = "ein Teammitglied",
        Bytes = "{0} Byte",
        States = new Dictionary<string, string>
        {
            ["planned"] = "geplant",
            ["in_progress"] = "in Arbeit",
            ["submitted"] = "geliefert",
            ["approved"] = "freigegeben",
            ["auto_approved"] = "automatisch freigegeben",
            ["changes_requested"] = "Änderungen angefordert",
            ["disputed"] = "beanstandet",
            ["dispute_resolved"] = "Beanstandung geklärt",
            ["started"] = "begonnen",
            ["changed"] = "geändert",
            ["cancelled"] = "storniert",
            ["draft"] = "Entwurf",
            ["proposed"] = "vorgeschlagen",
            ["active"] = "aktiv",
            ["completed"] = "abgeschlossen",
            ["rejected"] = "abgelehnt",
            ["issued"] = "ausgestellt",
            ["paid"] = "bezahlt",
            ["partially_paid"] = "teilweise bezahlt",
            ["void"] = "ungültig",
            ["unbilled"] = "nicht berechnet",
            ["invoiced"] = "berechnet",
            ["credited"] = "gutgeschrieben",
            ["checkpoint"] = "Prüfpunkt",
            ["overdue"] = "überfällig",
            ["on_approval"] = "bei Freigabe",
            ["on_start"] = "bei Beginn",
            ["on_date"] = "zum Datum",
        },
        Refusals = new Dictionary<string, string>
        {
            ["typed_name_required"] = "Geben Sie zum Unterschreiben Ihren vollständigen Namen ein.",
            ["agreement_required"] = "Setzen Sie das Häkchen bei „Ich stimme zu“, um anzunehmen.",
            ["reason_required"] = "Bitte geben Sie einen Grund an.",
            ["body_required"] = "Schreiben Sie einen Kommentar.",
            ["proposal_superseded"] = "Dieses Angebot gilt nicht mehr: Es wurde seit dem Versand zurückgezogen oder ersetzt. Sie erhalten das aktuelle Angebot per E-Mail.",
            ["invalid_transition"] = "Das ist nicht mehr möglich: Es hat sich seit dem Öffnen der Seite geändert.",
            ["concurrent_update"] = "Gleichzeitig hat jemand anderes dies geändert; nichts wurde gespeichert. Bitte versuchen Sie es erneut.",
        },
    };

    public static readonly PortalWording French = new()
    {
        Title = "Espace client", PortalOf = "{0} · espace client",
        SessionEnded = "Votre session est terminée", SessionEndedHelp = "Ouvrez à nouveau le lien reçu par e-mail, ou demandez-en un nouveau à votre contact.",
        Welcome = "Bienvenue, {0}. Voici vos contrats avec {1}.",
        WaitingForYou = "En attente de votre part", NothingWaits = "Rien ne vous attend pour le moment.",
        ProposalToAccept = "Proposition à accepter :", BeforeTax = "{0} (HT)",
        WorkToReview = "Travail livré à examiner :", DeliveredOn = "livré le {0}", ApprovingInvoices = "L'approuver facture {0} ({1} HT).",
        ChangeToDecide = "Modification à décider :", InvoiceToPay = "Facture à payer :", AmountDueOn = "{0} à payer le {1}",
        NothingInvoiced = "Rien n'a encore été facturé.", DueIn = "Dû en {0}", CreditOnAccount = "Avoir disponible {0}",
        Contracts = "Contrats", NoContracts = "Aucun contrat pour l'instant.", Value = "Montant", Progress = "Avancement",
        DeliveredOf = "Livré (HT) {0} sur {1}", BilledOf = "Facturé (HT) {0} sur {1}",
        Invoices = "Factures", NoInvoices = "Aucune facture pour l'instant.", Invoice = "Facture", Issued = "Émise le", Due = "Échéance", Balance = "Reste dû",
        EInvoice = "Facture électronique", Download = "Télécharger", DownloadPdf = "Télécharger la facture {0} en PDF", DownloadUbl = "Facture électronique XML (UBL) de la facture {0}", DownloadCii = "Facture électronique XML (CII) de la facture {0}", CreditNotes = "Avoirs", CreditNote = "Avoir", CreditsInvoice = "Facture créditée", DownloadCreditNotePdf = "Télécharger l'avoir {0} en PDF", DownloadCreditNoteUbl = "Facture électronique XML (UBL) de l'avoir {0}", DownloadCreditNoteCii = "Facture électronique XML (CII) de l'avoir {0}",
        Calendar = "Calendrier", CalendarHelp = "Abonnez votre agenda aux échéances de vos jalons et de vos factures.",
        CalendarReplaces = "Vous avez un lien d'agenda ; un nouveau le remplace.",
        CalendarCopy = "Copiez ce lien dans « s'abonner par URL » de votre agenda ; il n'est affiché qu'une fois.",
        MakeCalendarLink = "Créer un lien d'agenda", MakeNewCalendarLink = "Créer un nouveau lien d'agenda",
        ReviewAndAccept = "Examiner et accepter",
        ReviewTheWork = "Examiner le travail",
        ChangeValue = "le montant du contrat passe de {0} à {1} ({2}, HT)",
        AmountLess = "{0} de moins",
        AmountMore = "{0} de plus",
        ReviewTheChange = "Examiner la modification",
        Documents = "Documents",
        PaidOf = "Payé {0} sur {1} facturés",
        LatestComments = "Derniers commentaires",
        NoComments = "Aucun commentaire pour l'instant. Vous pouvez en écrire un sur chaque jalon ou modification proposée de vos contrats.",
        CommentedOn = "sur",
        AllContracts = "Tous les contrats et factures",
        ProposalWithdrawn = "Proposition retirée",
        RevisedByEmail = "Vous recevrez la proposition révisée par e-mail.",
        ValueBeforeTax = "Montant {0} (HT)",
        ProposalForYou = "Proposition soumise à votre acceptation",
        ProposedOnTo = "Proposée le {0} à {1}.",
        DownloadProposal = "Télécharger la proposition (PDF)",
        ThePlan = "Le plan",
        InvoicedColumn = "Facturation",
        AmountNet = "Montant (HT)",
        Terms = "Conditions",
        TermsDue = "Chaque facture est payable {0} jours après sa date d'émission.",
        TermsTax = "Les montants sont HT ; taxe {0}.",
        TermsWindow = "Un travail livré sans réponse sous {0} jours est approuvé.",
        TermsCriteria = "Le livrable et les critères d'acceptation de chaque jalon figurent ci-dessous et dans le PDF.",
        ProposalDocuments = "Documents de la proposition",
        ProposalDocumentsHelp = "Ces documents font partie de la proposition ; votre acceptation enregistre le SHA-256 de chacun.",
        TypeNameToSign = "Saisissez votre nom complet pour signer",
        AgreeProposal = "J'accepte cette proposition, son plan et ses conditions",
        AcceptProposal = "Accepter la proposition",
        AskForChanges = "Demander des modifications",
        WhatShouldChange = "Ce qui doit changer",
        AttachFiles = "Joindre des fichiers (facultatif)",
        SendChangeRequest = "Envoyer la demande de modifications",
        DeclineProposal = "Refuser la proposition",
        WhyDecline = "Pourquoi vous la refusez",
        Decline = "Refuser",
        ProposalAddressedTo = "Cette proposition est adressée à {0}, qui l'accepte ou y répond.",
        Acceptance = "Acceptation",
        DownloadSignedProposal = "Télécharger la proposition signée (PDF)",
        ProposedChange = "Modification proposée : {0}",
        WhyChange = "Pourquoi : {0}",
        DownloadChangeOrder = "Télécharger l'avenant (PDF)",
        AgreeChange = "J'accepte cette modification et le plan qui en résulte",
        ApproveChange = "Approuver la modification",
        ApproveChangeNamed = "Approuver la modification {0}",
        Reject = "Refuser",
        RejectChangeNamed = "Refuser la modification {0}",
        ApprovedChanges = "Modifications approuvées",
        ChangeOrder = "Avenant",
        DownloadApprovedChange = "Télécharger l'avenant approuvé (PDF)",
        InvoicePdf = "{0} (PDF)",
        YourDispute = "Votre contestation",
        DeliveredWorkFor = "Travail livré pour {0}",
        DeliveredAt = "Livré le {0}",
        ApproveNamed = "Approuver {0}",
        RequestChanges = "Demander des modifications",
        WhatNeedsToChange = "Ce qui doit être modifié",
        DisputeMilestone = "Contester ce jalon",
        WhyDispute = "Pourquoi vous le contestez",
        OpenDispute = "Ouvrir une contestation",
        HistoryOf = "Historique de {0}",
        EventBy = "{0} par {1}",
        ApproveQuestion = "Approuver {0} ?",
        BackTo = "Retour à {0}",
        WhatWasDelivered = "Ce qui a été livré",
        WhatApprovingDoes = "Ce qu'implique l'approbation",
        YouConfirm = "Vous confirmez que le travail répond aux critères d'acceptation.",
        InvoiceAtOnce = "Une facture vous est émise aussitôt, payable {0} jours après aujourd'hui :",
        InvoicePrepared = "Une facture est préparée pour vous :",
        ApproveAndReceive = "Approuver et recevoir la facture de {0}",
        NotYet = "Pas encore",
        Net = "HT",
        VatRate = "TVA {0}",
        TotalToPay = "Total à payer",
        PlanBecomes = "Si elle est approuvée, le plan devient",
        PlanAddsUp = "Contrôle du plan : les jalons totalisent exactement le nouveau montant du contrat de {0} ({1} qu'aujourd'hui).",
        PlanCheck = "Contrôle du plan : {0}",
        AcceptedBy = "Accepté par",
        TypedName = "{0} (nom saisi : {1})",
        WhenUtc = "Quand (UTC)",
        IpAddress = "Adresse IP",
        UserAgent = "Navigateur (user agent)",
        PortalLink = "Lien d'accès",
        ChangeOrderSha = "SHA-256 du PDF de l'avenant",
        ProposalSha = "SHA-256 du PDF de la proposition",
        DocumentSha = "SHA-256 de {0}",
        StaffApprovedChange = "Approuvé par le prestataire pour le compte du client le {0} (convenu hors de Cairn ; aucune acceptation du client n'est enregistrée ici).",
        StaffActivated = "Activé directement par le prestataire le {0} (convenu hors de Cairn ; aucune acceptation du client n'est enregistrée ici).",
        NoFiles = "Aucun fichier.",
        Conversation = "Conversation ({0})",
        ConversationOn = "Conversation sur {0}",
        Edited = "modifié",
        PreviousVersions = "Versions précédentes ({0})",
        Replaced = "remplacé :",
        EditUntil = "Modifier (jusqu'au {0})",
        YourComment = "Votre commentaire",
        SaveEdit = "Enregistrer la modification",
        AddCommentOn = "Ajouter un commentaire sur {0}",
        CommentHint = "Texte simple ; les liens deviennent des liens. Mentionnez quelqu'un avec @ et son nom sans espaces pour lui écrire un e-mail. Vous pouvez modifier un commentaire pendant 15 minutes.",
        PostComment = "Publier le commentaire",
        PleaseCorrect = "Veuillez corriger ceci",
        FlashCommentPosted = "Votre commentaire a été publié.",
        FlashCommentEdited = "Votre commentaire a été modifié.",
        FlashProposalAccepted = "Merci : vous avez accepté la proposition et le contrat est actif.",
        FlashProposalDeclined = "Vous avez refusé la proposition ; votre motif a été transmis.",
        FlashProposalChanges = "Votre demande de modifications a été envoyée ; vous recevrez une proposition révisée.",
        FlashApproved = "Merci : le jalon est approuvé.",
        FlashChangesRequested = "Votre demande de modifications a été envoyée.",
        FlashDisputed = "Votre contestation a été enregistrée ; nous reviendrons vers vous.",
        FlashChangeApproved = "Merci : la modification est approuvée et le plan est mis à jour.",
        FlashChangeRejected = "La modification a été refusée ; le contrat reste inchangé.",
        LinkNotValid = "Ce lien n'est pas valide",
        LinkNotValidHelp = "Il a peut-être expiré ou été retiré. Demandez un nouveau lien à la personne qui vous l'a envoyé : il arrive par e-mail et ouvre aussitôt vos contrats et factures.",
        NotFound = "Introuvable",
        NotFoundHelp = "Il n'y a rien pour vous à cette adresse. Vos contrats et factures sont sur l'accueil de votre espace client.",
        SessionEndedLinkHelp = "Ouvrez à nouveau le lien de votre e-mail. S'il ne fonctionne plus, demandez-en un nouveau à la personne qui vous l'a envoyé.",
        TooManyAttempts = "Trop de tentatives",
        TooManyAttemptsHelp = "Veuillez patienter une minute, puis réessayer.",
        SomethingWentWrong = "Une erreur s'est produite",
        SomethingWentWrongHelp = "La demande n'a pas pu être traitée. Revenez en arrière et réessayez.",
        PortalHome = "L'accueil de votre espace client",
        SkipToContent = "Aller au contenu",
        SignOut = "Se déconnecter", SignedOut = "Vous êtes déconnecté", SignedOutHelp = "Ce navigateur n'ouvre plus votre portail. Pour revenir, ouvrez à nouveau le lien reçu par e-mail.",
        ActorClient = "{0} (client)",
        ActorCairn = "Cairn (automatiquement)",
        ActorApiKey = "une clé d'API",
        ActorContact = "un contact du client",
        ActorTeamMember = "un membre de l'équipe",
        Bytes = "{0} octets",
        States = new Dictionary<string, string>
        {
            ["planned"] = "prévu",
            ["in_progress"] = "en cours",
            ["submitted"] = "livré",
            ["approved"] = "approuvé",
            ["auto_approved"] = "approuvé automatiquement",
            ["changes_requested"] = "modifications demandées",
            ["disputed"] = "contesté",
            ["dispute_resolved"] = "contestation résolue",
            ["started"] = "commencé",
            ["changed"] = "modifié",
            ["cancelled"] = "annulé",
            ["draft"] = "brouillon",
            ["proposed"] = "proposé",
            ["active"] = "actif",
            ["completed"] = "terminé",
            ["rejected"] = "refusé",
            ["issued"] = "émise",
            ["paid"] = "payée",
            ["partially_paid"] = "partiellement payée",
            ["void"] = "annulée",
            ["unbilled"] = "non facturé",
            ["invoiced"] = "facturé",
            ["credited"] = "crédité",
            ["checkpoint"] = "point d'étape",
            ["overdue"] = "en retard",
            ["on_approval"] = "à l'approbation",
            ["on_start"] = "au démarrage",
            ["on_date"] = "à date fixe",
        },
        Refusals = new Dictionary<string, string>
        {
            ["typed_name_required"] = "Saisissez votre nom complet pour signer l'acceptation.",
            ["agreement_required"] = "Cochez « J'accepte » pour accepter.",
            ["reason_required"] = "Indiquez pourquoi : un motif est requis.",
            ["body_required"] = "Écrivez un commentaire.",
            ["proposal_superseded"] = "Cette proposition n'est plus l'offre en vigueur : elle a été retirée ou remplacée depuis son envoi. Vous recevrez la proposition actuelle par e-mail.",
            ["invalid_transition"] = "Ce n'est plus possible : la situation a changé depuis l'ouverture de la page.",
            ["concurrent_update"] = "Quelqu'un d'autre l'a modifié au même moment ; rien n'a été enregistré. Veuillez réessayer.",
        },
    };

    public static readonly PortalWording Dutch = new()
    {
        Title = "Klantportaal", PortalOf = "{0} · klantportaal",
        SessionEnded = "Uw portaalsessie is beëindigd", SessionEndedHelp = "Open de link uit uw e-mail opnieuw, of vraag uw contactpersoon om een nieuwe.",
        Welcome = "Welkom, {0}. Dit zijn uw contracten met {1}.",
        WaitingForYou = "Wacht op u", NothingWaits = "Er wacht op dit moment niets op u.",
        ProposalToAccept = "Voorstel om te aanvaarden:", BeforeTax = "{0} (excl. btw)",
        WorkToReview = "Opgeleverd werk om te beoordelen:", DeliveredOn = "opgeleverd op {0}", ApprovingInvoices = "Goedkeuren factureert {0} ({1} netto).",
        ChangeToDecide = "Wijziging om te beslissen:", InvoiceToPay = "Te betalen factuur:", AmountDueOn = "{0} te betalen op {1}",
        NothingInvoiced = "Er is nog niets gefactureerd.", DueIn = "Te betalen in {0}", CreditOnAccount = "Tegoed {0}",
        Contracts = "Contracten", NoContracts = "Nog geen contracten.", Value = "Waarde", Progress = "Voortgang",
        DeliveredOf = "Opgeleverd (netto) {0} van {1}", BilledOf = "Gefactureerd (netto) {0} van {1}",
        Invoices = "Facturen", NoInvoices = "Nog geen facturen.", Invoice = "Factuur", Issued = "Uitgegeven", Due = "Vervaldatum", Balance = "Openstaand",
        EInvoice = "E-factuur", Download = "Downloaden", DownloadPdf = "Factuur {0} als pdf downloaden", DownloadUbl = "XML-e-factuur (UBL) van factuur {0}", DownloadCii = "XML-e-factuur (CII) van factuur {0}", CreditNotes = "Creditnota's", CreditNote = "Creditnota", CreditsInvoice = "Bij factuur", DownloadCreditNotePdf = "Creditnota {0} als pdf downloaden", DownloadCreditNoteUbl = "XML-e-factuur (UBL) van creditnota {0}", DownloadCreditNoteCii = "XML-e-factuur (CII) van creditnota {0}",
        Calendar = "Agenda", CalendarHelp = "Abonneer uw agenda-app op de vervaldata van uw mijlpalen en facturen.",
        CalendarReplaces = "U hebt een agendalink; een nieuwe vervangt die.",
        CalendarCopy = "Kopieer deze link naar \"abonneren via URL\" van uw agenda-app; hij wordt alleen nu getoond.",
        MakeCalendarLink = "Agendalink maken", MakeNewCalendarLink = "Nieuwe agendalink maken",
        ReviewAndAccept = "Bekijken en aanvaarden",
        ReviewTheWork = "Werk bekijken",
        ChangeValue = "de contractwaarde gaat van {0} naar {1} ({2}, excl. btw)",
        AmountLess = "{0} minder",
        AmountMore = "{0} meer",
        ReviewTheChange = "Wijziging bekijken",
        Documents = "Documenten",
        PaidOf = "Betaald {0} van {1} gefactureerd",
        LatestComments = "Nieuwste opmerkingen",
        NoComments = "Nog geen opmerkingen. U kunt er een schrijven bij elke mijlpaal of voorgestelde wijziging van uw contracten.",
        CommentedOn = "bij",
        AllContracts = "Alle contracten en facturen",
        ProposalWithdrawn = "Voorstel ingetrokken",
        RevisedByEmail = "U ontvangt het herziene voorstel per e-mail.",
        ValueBeforeTax = "Waarde {0} (excl. btw)",
        ProposalForYou = "Voorstel ter aanvaarding",
        ProposedOnTo = "Voorgesteld op {0} aan {1}.",
        DownloadProposal = "Voorstel downloaden (pdf)",
        ThePlan = "Het plan",
        InvoicedColumn = "Gefactureerd",
        AmountNet = "Bedrag (netto)",
        Terms = "Voorwaarden",
        TermsDue = "Elke factuur moet binnen {0} dagen na de factuurdatum betaald zijn.",
        TermsTax = "Bedragen zijn exclusief btw; btw {0}.",
        TermsWindow = "Opgeleverd werk zonder antwoord binnen {0} dagen is goedgekeurd.",
        TermsCriteria = "Het op te leveren werk en de acceptatiecriteria van elke mijlpaal staan hieronder en in de pdf.",
        ProposalDocuments = "Documenten van het voorstel",
        ProposalDocumentsHelp = "Deze documenten horen bij het voorstel; uw aanvaarding legt de SHA-256 van elk vast.",
        TypeNameToSign = "Typ uw volledige naam om te ondertekenen",
        AgreeProposal = "Ik ga akkoord met dit voorstel, het plan en de voorwaarden",
        AcceptProposal = "Voorstel aanvaarden",
        AskForChanges = "Wijzigingen vragen",
        WhatShouldChange = "Wat moet er veranderen",
        AttachFiles = "Bestanden bijvoegen (optioneel)",
        SendChangeRequest = "Wijzigingsverzoek versturen",
        DeclineProposal = "Voorstel afwijzen",
        WhyDecline = "Waarom u het afwijst",
        Decline = "Afwijzen",
        ProposalAddressedTo = "Dit voorstel is gericht aan {0}, die het aanvaardt of beantwoordt.",
        Acceptance = "Aanvaarding",
        DownloadSignedProposal = "Ondertekend voorstel downloaden (pdf)",
        ProposedChange = "Voorgestelde wijziging: {0}",
        WhyChange = "Waarom: {0}",
        DownloadChangeOrder = "Wijzigingsopdracht downloaden (pdf)",
        AgreeChange = "Ik ga akkoord met deze wijziging en het plan dat eruit volgt",
        ApproveChange = "Wijziging goedkeuren",
        ApproveChangeNamed = "Wijziging {0} goedkeuren",
        Reject = "Afwijzen",
        RejectChangeNamed = "Wijziging {0} afwijzen",
        ApprovedChanges = "Goedgekeurde wijzigingen",
        ChangeOrder = "Wijzigingsopdracht",
        DownloadApprovedChange = "Goedgekeurde wijzigingsopdracht downloaden (pdf)",
        InvoicePdf = "{0} (pdf)",
        YourDispute = "Uw bezwaar",
        DeliveredWorkFor = "Opgeleverd werk voor {0}",
        DeliveredAt = "Opgeleverd op {0}",
        ApproveNamed = "{0} goedkeuren",
        RequestChanges = "Wijzigingen vragen",
        WhatNeedsToChange = "Wat moet er veranderen",
        DisputeMilestone = "Bezwaar maken tegen deze mijlpaal",
        WhyDispute = "Waarom u bezwaar maakt",
        OpenDispute = "Bezwaar indienen",
        HistoryOf = "Geschiedenis van {0}",
        EventBy = "{0} door {1}",
        ApproveQuestion = "{0} goedkeuren?",
        BackTo = "Terug naar {0}",
        WhatWasDelivered = "Wat is opgeleverd",
        WhatApprovingDoes = "Wat goedkeuren doet",
        YouConfirm = "U bevestigt dat het werk aan de acceptatiecriteria voldoet.",
        InvoiceAtOnce = "U ontvangt meteen een factuur, te betalen binnen {0} dagen na vandaag:",
        InvoicePrepared = "Er wordt een factuur voor u voorbereid:",
        ApproveAndReceive = "Goedkeuren en de factuur van {0} ontvangen",
        NotYet = "Nog niet",
        Net = "Netto",
        VatRate = "Btw {0}",
        TotalToPay = "Te betalen",
        PlanBecomes = "Na goedkeuring wordt het plan",
        PlanAddsUp = "Plancontrole: de mijlpalen tellen precies op tot de nieuwe contractwaarde van {0} ({1} dan nu).",
        PlanCheck = "Plancontrole: {0}",
        AcceptedBy = "Aanvaard door",
        TypedName = "{0} (getypte naam: {1})",
        WhenUtc = "Wanneer (UTC)",
        IpAddress = "IP-adres",
        UserAgent = "Browser (user agent)",
        PortalLink = "Portaallink",
        ChangeOrderSha = "SHA-256 van de pdf van de wijzigingsopdracht",
        ProposalSha = "SHA-256 van de pdf van het voorstel",
        DocumentSha = "SHA-256 van {0}",
        StaffApprovedChange = "Door de leverancier namens de klant goedgekeurd op {0} (buiten Cairn afgesproken; hier is geen aanvaarding door de klant vastgelegd).",
        StaffActivated = "Rechtstreeks door de leverancier geactiveerd op {0} (buiten Cairn afgesproken; hier is geen aanvaarding door de klant vastgelegd).",
        NoFiles = "Geen bestanden.",
        Conversation = "Gesprek ({0})",
        ConversationOn = "Gesprek over {0}",
        Edited = "bewerkt",
        PreviousVersions = "Eerdere versies ({0})",
        Replaced = "vervangen:",
        EditUntil = "Bewerken (tot {0})",
        YourComment = "Uw opmerking",
        SaveEdit = "Wijziging opslaan",
        AddCommentOn = "Opmerking bij {0} toevoegen",
        CommentHint = "Platte tekst; links worden links. Noem iemand met @ en de naam zonder spaties om hem te e-mailen. U kunt een opmerking 15 minuten lang bewerken.",
        PostComment = "Opmerking plaatsen",
        PleaseCorrect = "Corrigeer dit alstublieft",
        FlashCommentPosted = "Uw opmerking is geplaatst.",
        FlashCommentEdited = "Uw opmerking is bewerkt.",
        FlashProposalAccepted = "Dank u: u hebt het voorstel aanvaard en het contract is actief.",
        FlashProposalDeclined = "U hebt het voorstel afgewezen; uw reden is doorgegeven.",
        FlashProposalChanges = "Uw wijzigingsverzoek is verstuurd; u ontvangt een herzien voorstel.",
        FlashApproved = "Dank u: de mijlpaal is goedgekeurd.",
        FlashChangesRequested = "Uw wijzigingsverzoek is verstuurd.",
        FlashDisputed = "Uw bezwaar is vastgelegd; wij nemen contact met u op.",
        FlashChangeApproved = "Dank u: de wijziging is goedgekeurd en het plan is bijgewerkt.",
        FlashChangeRejected = "De wijziging is afgewezen; het contract blijft zoals het is.",
        LinkNotValid = "Deze link is niet geldig",
        LinkNotValidHelp = "Hij is mogelijk verlopen of ingetrokken. Vraag de persoon die hem stuurde om een nieuwe link: die komt per e-mail en opent meteen uw contracten en facturen.",
        NotFound = "Niet gevonden",
        NotFoundHelp = "Op dit adres staat niets voor u. Uw contracten en facturen staan op de startpagina van uw portaal.",
        SessionEndedLinkHelp = "Open de link uit uw e-mail opnieuw. Werkt hij niet meer, vraag dan de persoon die hem stuurde om een nieuwe.",
        TooManyAttempts = "Te veel pogingen",
        TooManyAttemptsHelp = "Wacht een minuut en probeer het dan opnieuw.",
        SomethingWentWrong = "Er is iets misgegaan",
        SomethingWentWrongHelp = "Het verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw.",
        PortalHome = "Uw portaalstartpagina",
        SkipToContent = "Naar de inhoud",
        SignOut = "Afmelden", SignedOut = "U bent afgemeld", SignedOutHelp = "Deze browser opent uw portaal niet meer. Open de link uit uw e-mail opnieuw om terug te keren.",
        ActorClient = "{0} (klant)",
        ActorCairn = "Cairn (automatisch)",
        ActorApiKey = "een API-sleutel",
        ActorContact = "een contactpersoon van de klant",
        ActorTeamMember = "een teamlid",
        Bytes = "{0} bytes",
        States = new Dictionary<string, string>
        {
            ["planned"] = "gepland",
            ["in_progress"] = "in uitvoering",
            ["submitted"] = "opgeleverd",
            ["approved"] = "goedgekeurd",
            ["auto_approved"] = "automatisch goedgekeurd",
            ["changes_requested"] = "wijzigingen gevraagd",
            ["disputed"] = "betwist",
            ["dispute_resolved"] = "bezwaar opgelost",
            ["started"] = "gestart",
            ["changed"] = "gewijzigd",
            ["cancelled"] = "geannuleerd",
            ["draft"] = "concept",
            ["proposed"] = "voorgesteld",
            ["active"] = "actief",
            ["completed"] = "afgerond",
            ["rejected"] = "afgewezen",
            ["issued"] = "uitgegeven",
            ["paid"] = "betaald",
            ["partially_paid"] = "deels betaald",
            ["void"] = "vervallen",
            ["unbilled"] = "niet gefactureerd",
            ["invoiced"] = "gefactureerd",
            ["credited"] = "gecrediteerd",
            ["checkpoint"] = "controlepunt",
            ["overdue"] = "achterstallig",
            ["on_approval"] = "bij goedkeuring",
            ["on_start"] = "bij start",
            ["on_date"] = "op datum",
        },
        Refusals = new Dictionary<string, string>
        {
            ["typed_name_required"] = "Typ uw volledige naam om de aanvaarding te ondertekenen.",
            ["agreement_required"] = "Vink \"Ik ga akkoord\" aan om te aanvaarden.",
            ["reason_required"] = "Geef aan waarom: een reden is verplicht.",
            ["body_required"] = "Schrijf een opmerking.",
            ["proposal_superseded"] = "Dit voorstel geldt niet meer: het is sinds het versturen ingetrokken of vervangen. U ontvangt het actuele voorstel per e-mail.",
            ["invalid_transition"] = "Dit kan niet meer: er is iets veranderd sinds u de pagina opende.",
            ["concurrent_update"] = "Iemand anders heeft dit tegelijk gewijzigd; er is niets opgeslagen. Probeer het opnieuw.",
        },
    };

    public static readonly PortalWording Spanish = new()
    {
        Title = "Portal del cliente", PortalOf = "{0} · portal del cliente",
        SessionEnded = "Su sesión del portal ha terminado", SessionEndedHelp = "Abra de nuevo el enlace de su correo o pida uno nuevo a su contacto.",
        Welcome = "Bienvenido, {0}. Estos son sus contratos con {1}.",
        WaitingForYou = "Pendiente de usted", NothingWaits = "Ahora mismo no hay nada pendiente.",
        ProposalToAccept = "Propuesta para aceptar:", BeforeTax = "{0} (sin impuestos)",
        WorkToReview = "Trabajo entregado para revisar:", DeliveredOn = "entregado el {0}", ApprovingInvoices = "Al aprobarlo se facturan {0} ({1} neto).",
        ChangeToDecide = "Cambio para decidir:", InvoiceToPay = "Factura por pagar:", AmountDueOn = "{0} vence el {1}",
        NothingInvoiced = "Todavía no se ha facturado nada.", DueIn = "Pendiente en {0}", CreditOnAccount = "Saldo a favor {0}",
        Contracts = "Contratos", NoContracts = "Todavía no hay contratos.", Value = "Importe", Progress = "Avance",
        DeliveredOf = "Entregado (neto) {0} de {1}", BilledOf = "Facturado (neto) {0} de {1}",
        Invoices = "Facturas", NoInvoices = "Todavía no hay facturas.", Invoice = "Factura", Issued = "Emitida", Due = "Vencimiento", Balance = "Pendiente",
        EInvoice = "Factura electrónica", Download = "Descargar", DownloadPdf = "Descargar la factura {0} en PDF", DownloadUbl = "Factura electrónica XML (UBL) de la factura {0}", DownloadCii = "Factura electrónica XML (CII) de la factura {0}", CreditNotes = "Notas de crédito", CreditNote = "Nota de crédito", CreditsInvoice = "Factura rectificada", DownloadCreditNotePdf = "Descargar la nota de crédito {0} en PDF", DownloadCreditNoteUbl = "Factura electrónica XML (UBL) de la nota de crédito {0}", DownloadCreditNoteCii = "Factura electrónica XML (CII) de la nota de crédito {0}",
        Calendar = "Calendario", CalendarHelp = "Suscriba su aplicación de calendario a los vencimientos de sus hitos y facturas.",
        CalendarReplaces = "Ya tiene un enlace de calendario; uno nuevo lo sustituye.",
        CalendarCopy = "Copie este enlace en «suscribirse por URL» de su calendario; solo se muestra ahora.",
        MakeCalendarLink = "Crear un enlace de calendario", MakeNewCalendarLink = "Crear un nuevo enlace de calendario",
        ReviewAndAccept = "Revisar y aceptar",
        ReviewTheWork = "Revisar el trabajo",
        ChangeValue = "el importe del contrato pasa de {0} a {1} ({2}, sin impuestos)",
        AmountLess = "{0} menos",
        AmountMore = "{0} más",
        ReviewTheChange = "Revisar el cambio",
        Documents = "Documentos",
        PaidOf = "Pagado {0} de {1} facturado",
        LatestComments = "Últimos comentarios",
        NoComments = "Todavía no hay comentarios. Puede escribir uno en cualquier hito o cambio propuesto de sus contratos.",
        CommentedOn = "sobre",
        AllContracts = "Todos los contratos y facturas",
        ProposalWithdrawn = "Propuesta retirada",
        RevisedByEmail = "Recibirá la propuesta revisada por correo.",
        ValueBeforeTax = "Importe {0} (sin impuestos)",
        ProposalForYou = "Propuesta para su aceptación",
        ProposedOnTo = "Propuesta el {0} a {1}.",
        DownloadProposal = "Descargar la propuesta (PDF)",
        ThePlan = "El plan",
        InvoicedColumn = "Facturación",
        AmountNet = "Importe (neto)",
        Terms = "Condiciones",
        TermsDue = "Cada factura vence {0} días después de su fecha de emisión.",
        TermsTax = "Los importes no incluyen impuestos; impuesto {0}.",
        TermsWindow = "El trabajo entregado sin respuesta en {0} días queda aprobado.",
        TermsCriteria = "El entregable y los criterios de aceptación de cada hito figuran abajo y en el PDF.",
        ProposalDocuments = "Documentos de la propuesta",
        ProposalDocumentsHelp = "Estos documentos forman parte de la propuesta; su aceptación registra el SHA-256 de cada uno.",
        TypeNameToSign = "Escriba su nombre completo para firmar",
        AgreeProposal = "Acepto esta propuesta, su plan y sus condiciones",
        AcceptProposal = "Aceptar la propuesta",
        AskForChanges = "Pedir cambios",
        WhatShouldChange = "Qué debe cambiar",
        AttachFiles = "Adjuntar archivos (opcional)",
        SendChangeRequest = "Enviar la solicitud de cambios",
        DeclineProposal = "Rechazar la propuesta",
        WhyDecline = "Por qué la rechaza",
        Decline = "Rechazar",
        ProposalAddressedTo = "Esta propuesta está dirigida a {0}, que la acepta o responde.",
        Acceptance = "Aceptación",
        DownloadSignedProposal = "Descargar la propuesta firmada (PDF)",
        ProposedChange = "Cambio propuesto: {0}",
        WhyChange = "Por qué: {0}",
        DownloadChangeOrder = "Descargar la orden de cambio (PDF)",
        AgreeChange = "Acepto este cambio y el plan que resulta",
        ApproveChange = "Aprobar el cambio",
        ApproveChangeNamed = "Aprobar el cambio {0}",
        Reject = "Rechazar",
        RejectChangeNamed = "Rechazar el cambio {0}",
        ApprovedChanges = "Cambios aprobados",
        ChangeOrder = "Orden de cambio",
        DownloadApprovedChange = "Descargar la orden de cambio aprobada (PDF)",
        InvoicePdf = "{0} (PDF)",
        YourDispute = "Su reclamación",
        DeliveredWorkFor = "Trabajo entregado para {0}",
        DeliveredAt = "Entregado el {0}",
        ApproveNamed = "Aprobar {0}",
        RequestChanges = "Solicitar cambios",
        WhatNeedsToChange = "Qué hay que cambiar",
        DisputeMilestone = "Reclamar este hito",
        WhyDispute = "Por qué lo reclama",
        OpenDispute = "Abrir una reclamación",
        HistoryOf = "Historial de {0}",
        EventBy = "{0} por {1}",
        ApproveQuestion = "¿Aprobar {0}?",
        BackTo = "Volver a {0}",
        WhatWasDelivered = "Qué se entregó",
        WhatApprovingDoes = "Qué implica aprobar",
        YouConfirm = "Confirma que el trabajo cumple los criterios de aceptación.",
        InvoiceAtOnce = "Se le emite una factura de inmediato, con vencimiento {0} días después de hoy:",
        InvoicePrepared = "Se prepara una factura para usted:",
        ApproveAndReceive = "Aprobar y recibir la factura de {0}",
        NotYet = "Todavía no",
        Net = "Neto",
        VatRate = "IVA {0}",
        TotalToPay = "Total a pagar",
        PlanBecomes = "Si se aprueba, el plan queda así",
        PlanAddsUp = "Comprobación del plan: los hitos suman exactamente el nuevo importe del contrato de {0} ({1} que ahora).",
        PlanCheck = "Comprobación del plan: {0}",
        AcceptedBy = "Aceptado por",
        TypedName = "{0} (nombre escrito: {1})",
        WhenUtc = "Cuándo (UTC)",
        IpAddress = "Dirección IP",
        UserAgent = "Navegador (user agent)",
        PortalLink = "Enlace del portal",
        ChangeOrderSha = "SHA-256 del PDF de la orden de cambio",
        ProposalSha = "SHA-256 del PDF de la propuesta",
        DocumentSha = "SHA-256 de {0}",
        StaffApprovedChange = "Aprobado por el proveedor en nombre del cliente el {0} (acordado fuera de Cairn; aquí no consta aceptación del cliente).",
        StaffActivated = "Activado directamente por el proveedor el {0} (acordado fuera de Cairn; aquí no consta aceptación del cliente).",
        NoFiles = "No hay archivos.",
        Conversation = "Conversación ({0})",
        ConversationOn = "Conversación sobre {0}",
        Edited = "editado",
        PreviousVersions = "Versiones anteriores ({0})",
        Replaced = "sustituido:",
        EditUntil = "Editar (hasta el {0})",
        YourComment = "Su comentario",
        SaveEdit = "Guardar la edición",
        AddCommentOn = "Añadir un comentario sobre {0}",
        CommentHint = "Texto sin formato; los enlaces se convierten en enlaces. Mencione a alguien con @ y su nombre sin espacios para enviarle un correo. Puede editar un comentario durante 15 minutos.",
        PostComment = "Publicar el comentario",
        PleaseCorrect = "Corrija esto, por favor",
        FlashCommentPosted = "Su comentario se ha publicado.",
        FlashCommentEdited = "Su comentario se ha editado.",
        FlashProposalAccepted = "Gracias: ha aceptado la propuesta y el contrato está activo.",
        FlashProposalDeclined = "Ha rechazado la propuesta; se ha comunicado el motivo.",
        FlashProposalChanges = "Su solicitud de cambios se ha enviado; recibirá una propuesta revisada.",
        FlashApproved = "Gracias: el hito está aprobado.",
        FlashChangesRequested = "Su solicitud de cambios se ha enviado.",
        FlashDisputed = "Su reclamación ha quedado registrada; nos pondremos en contacto.",
        FlashChangeApproved = "Gracias: el cambio está aprobado y el plan, actualizado.",
        FlashChangeRejected = "El cambio se ha rechazado; el contrato sigue igual.",
        LinkNotValid = "Este enlace no es válido",
        LinkNotValidHelp = "Puede haber caducado o haberse retirado. Pida un enlace nuevo a la persona que se lo envió: llega por correo y abre al instante sus contratos y facturas.",
        NotFound = "No encontrado",
        NotFoundHelp = "No hay nada para usted en esta dirección. Sus contratos y facturas están en el inicio de su portal.",
        SessionEndedLinkHelp = "Abra de nuevo el enlace de su correo. Si ya no funciona, pida uno nuevo a la persona que se lo envió.",
        TooManyAttempts = "Demasiados intentos",
        TooManyAttemptsHelp = "Espere un minuto y vuelva a intentarlo.",
        SomethingWentWrong = "Algo ha salido mal",
        SomethingWentWrongHelp = "No se pudo atender la solicitud. Vuelva atrás e inténtelo de nuevo.",
        PortalHome = "El inicio de su portal",
        SkipToContent = "Ir al contenido",
        SignOut = "Cerrar sesión", SignedOut = "Ha cerrado la sesión", SignedOutHelp = "Este navegador ya no abre su portal. Para volver, abra de nuevo el enlace de su correo electrónico.",
        ActorClient = "{0} (cliente)",
        ActorCairn = "Cairn (automáticamente)",
        ActorApiKey = "una clave de API",
        ActorContact = "un contacto del cliente",
        ActorTeamMember = "un miembro del equipo",
        Bytes = "{0} bytes",
        States = new Dictionary<string, string>
        {
            ["planned"] = "previsto",
            ["in_progress"] = "en curso",
            ["submitted"] = "entregado",
            ["approved"] = "aprobado",
            ["auto_approved"] = "aprobado automáticamente",
            ["changes_requested"] = "cambios solicitados",
            ["disputed"] = "reclamado",
            ["dispute_resolved"] = "reclamación resuelta",
            ["started"] = "iniciado",
            ["changed"] = "modificado",
            ["cancelled"] = "cancelado",
            ["draft"] = "borrador",
            ["proposed"] = "propuesto",
            ["active"] = "activo",
            ["completed"] = "completado",
            ["rejected"] = "rechazado",
            ["issued"] = "emitida",
            ["paid"] = "pagada",
            ["partially_paid"] = "pagada en parte",
            ["void"] = "anulada",
            ["unbilled"] = "sin facturar",
            ["invoiced"] = "facturado",
            ["credited"] = "abonado",
            ["checkpoint"] = "punto de control",
            ["overdue"] = "vencida",
            ["on_approval"] = "al aprobar",
            ["on_start"] = "al inicio",
            ["on_date"] = "en fecha",
        },
        Refusals = new Dictionary<string, string>
        {
            ["typed_name_required"] = "Escriba su nombre completo para firmar la aceptación.",
            ["agreement_required"] = "Marque «Acepto» para aceptar.",
            ["reason_required"] = "Indique el motivo: es obligatorio.",
            ["body_required"] = "Escriba un comentario.",
            ["proposal_superseded"] = "Esta propuesta ya no es la oferta: se retiró o sustituyó después de enviarla. Recibirá la propuesta actual por correo.",
            ["invalid_transition"] = "Ya no es posible: ha cambiado desde que abrió la página.",
            ["concurrent_update"] = "Otra persona lo cambió al mismo tiempo; no se guardó nada. Vuelva a intentarlo.",
        },
    };
}
