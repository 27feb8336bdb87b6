using System.Linq.Expressions;

namespace Cairn.Domain;

/// <summary>The lifecycle of an invoice (DESIGN.md §2). Overdue is derived, not a state.</summary>
public enum InvoiceStatus
{
    Draft,
    Issued,
    Paid,
    Void,
}

/// <summary>
/// A bill for one milestone. Drafts can be reviewed; issuing numbers it and freezes its content
/// for good. Payments and credit notes move only its settlement figures, never its content.
/// </summary>
public sealed class Invoice : IInvoiceFacts
{
    /// <summary>
    /// The open-balance rule, in minor units: gross less payments applied and credit notes. It is
    /// the one definition of what a client still owes on an invoice; <see cref="Balance"/> evaluates
    /// it in memory, and queries hand it to the database (Data/InvoiceQueries) so that reports,
    /// lists and payments count the same thing.
    /// </summary>
    public static readonly Expression<Func<Invoice, long>> BalanceMinorRule = i => i.GrossMinor - i.PaidMinor - i.CreditedMinor;

    private static readonly Func<Invoice, long> BalanceMinorOf = BalanceMinorRule.Compile(preferInterpretation: true);

    private readonly List<InvoiceLine> _lines = [];

    private Invoice()
    {
    }

    /// <summary>
    /// Creates a draft invoice for a billable milestone of a contract: one line, taxed as the milestone is (its override
    /// or the contract's default); a prepayment has one line per VAT group of what it prepays (<see cref="PrepaymentAccount.Split"/>).
    /// Its delivery date (BT-72) is the business day, in <paramref name="calendar"/> (the seller's, <see cref="Organization.Calendar"/>;
    /// UTC when not given), on which the milestone's work was delivered.
    /// </summary>
    public Invoice(Guid id, Contract contract, Milestone milestone, DateTimeOffset now, BusinessCalendar? calendar = null)
    {
        if (milestone.ContractId != contract.Id)
            throw new DomainException(new DomainError("milestone_not_in_contract", "The milestone belongs to another contract."));
        Id = id;
        OrganizationId = contract.OrganizationId;
        ClientId = contract.ClientId;
        ContractId = contract.Id;
        MilestoneId = milestone.Id;
        Currency = contract.Currency;
        Status = InvoiceStatus.Draft;
        PaymentTermsDays = contract.PaymentTermsDays;
        TaxExemptionReason = contract.TaxFor(milestone).ExemptionReason;
        BuyerReference = contract.BuyerReference;
        PurchaseOrderReference = contract.PurchaseOrderReference;
        DeliveryDate = milestone.SubmittedAt is { } delivered ? (calendar ?? BusinessCalendar.Utc).DayOf(delivered) : null;
        Prepayment = milestone.Prepayment;
        CreatedAt = now;
        IReadOnlyList<PrepaymentShare> parts = milestone.Prepayment ? PrepaymentAccount.Split(contract, milestone) : [new PrepaymentShare(contract.TaxFor(milestone), milestone.Amount)];
        foreach (var part in parts)
            _lines.Add(new InvoiceLine(Guid.CreateVersion7(), id, _lines.Count + 1, $"{contract.Title}: {milestone.Title}" + GroupSuffix(part.Tax, parts.Count), part.Net, part.Tax));
        Recalculate();
    }

    /// <summary>
    /// Creates the draft of a late-payment interest invoice for <paramref name="late"/> (Directive 2011/7/EU): a new
    /// invoice of the same client, contract and currency, never a change to the late one. Its lines are the interest
    /// and, in euro, the fixed compensation, both outside the scope of VAT (UNCL5305 <c>O</c>, VATEX-EU-O).
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> when <paramref name="late"/> is not issued or paid, or is itself an interest invoice.</exception>
    public static Invoice ForLateInterest(Guid id, Invoice late, LateInterestComputation computation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(late);
        ArgumentNullException.ThrowIfNull(computation);
        if (late.Status is not (InvoiceStatus.Issued or InvoiceStatus.Paid) || late.LateInterestFor is not null)
            throw late.Invalid("charge late-payment interest on", "Interest is charged on an issued or paid invoice, not on an interest invoice.");
        var invoice = new Invoice
        {
            Id = id,
            OrganizationId = late.OrganizationId,
            ClientId = late.ClientId,
            ContractId = late.ContractId,
            Currency = late.Currency,
            Status = InvoiceStatus.Draft,
            PaymentTermsDays = late.PaymentTermsDays,
            BuyerReference = late.BuyerReference,
            PurchaseOrderReference = late.PurchaseOrderReference,
            LateInterestFor = late.Id,
            CreatedAt = now,
        };
        var outside = TaxTreatment.Of(TaxCategory.O, TaxRate.Zero, "VATEX-EU-O", null);
        var days = string.Join("; ", computation.Periods.Select(p => $"{p.Principal.ToDecimalString()} × {p.Rate.ToDecimalString()}% × {p.Days}/365"));
        invoice.Add($"Late-payment interest on invoice {late.Number} (Directive 2011/7/EU): {days}", computation.Interest, outside, null).Kind = InvoiceLineKind.LateInterest;
        if (computation.Compensation is { } compensation)
            invoice.Add($"Fixed compensation for recovery costs on invoice {late.Number} (Directive 2011/7/EU, art. 6)", compensation, outside, null).Kind = InvoiceLineKind.RecoveryCompensation;
        return invoice;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ClientId { get; private set; }

    /// <summary>For a late-payment interest invoice: the late invoice it charges interest on; null for every other invoice.</summary>
    public Guid? LateInterestFor { get; private set; }

    public Guid ContractId { get; private set; }

    public Guid? MilestoneId { get; private set; }

    /// <summary>
    /// A prepayment invoice (UNTDID 1001 type 386): it bills a deposit on the whole contract, and the
    /// contract's later invoices deduct it (<see cref="DeductPrepayment"/>), so VAT is declared once.
    /// </summary>
    public bool Prepayment { get; private set; }

    public InvoiceStatus Status { get; private set; }

    /// <summary>The series key the number was drawn from, e.g. <c>INV-2026-{seq}</c>.</summary>
    public string? Series { get; private set; }

    /// <summary>The position in the series: 1, 2, 3 … with no gap.</summary>
    public long? Sequence { get; private set; }

    /// <summary>The invoice number as printed, e.g. <c>INV-2026-000042</c>; null while Draft.</summary>
    public string? Number { get; private set; }

    public Currency Currency { get; private set; } = Currency.EUR;

    public long NetMinor { get; private set; }

    public long TaxMinor { get; private set; }

    public long GrossMinor { get; private set; }

    /// <summary>Sum of the payments applied to this invoice, in minor units.</summary>
    public long PaidMinor { get; private set; }

    /// <summary>Sum of the credit notes issued against this invoice, in minor units.</summary>
    public long CreditedMinor { get; private set; }

    public int PaymentTermsDays { get; private set; }

    public string? TaxExemptionReason { get; private set; }

    /// <summary>The buyer's reference (EN 16931 BT-10), from the contract when the invoice was created.</summary>
    public string? BuyerReference { get; private set; }

    /// <summary>The buyer's purchase order reference (EN 16931 BT-13), from the contract when the invoice was created.</summary>
    public string? PurchaseOrderReference { get; private set; }

    /// <summary>The business day (the seller's calendar) the milestone's work was delivered (submitted): the invoice's actual delivery date (BT-72); null for deposits and instalments.</summary>
    public DateOnly? DeliveryDate { get; private set; }

    public DateOnly? IssueDate { get; private set; }

    public DateOnly? DueDate { get; private set; }

    public PartySnapshot? Seller { get; private set; }

    public PartySnapshot? Buyer { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? IssuedAt { get; private set; }

    /// <summary>SHA-256 of the issued content (number, dates, parties, lines, totals); proves it never changed.</summary>
    public string? ContentHash { get; private set; }

    /// <summary>Set when a client contact disputes the invoiced work; disputed invoices are not chased.</summary>
    public bool Disputed { get; private set; }

    /// <summary>
    /// The first business day on which the dunning job has something to consider for this invoice (its overdue mark or a
    /// reminder step), as last worked out under the reminder schedule then in force
    /// (<see cref="ReminderSchedule.NextDayAfter"/>); null: nothing more under that schedule;
    /// <see cref="ChaseAtNextPass"/>: look again at the next pass, because something changed that may bring a step back
    /// (the dispute resolved, the invoice open again, the schedule or the pause changed). Set on issue to the earliest day
    /// a step can fall on. Bookkeeping of the dunning job: not part of the issued content.
    /// </summary>
    public DateOnly? NextChaseOn { get; private set; }

    /// <summary>The <see cref="NextChaseOn"/> that asks the next dunning pass to look at the invoice again (0001-01-01).</summary>
    public static readonly DateOnly ChaseAtNextPass = DateOnly.MinValue;

    public IReadOnlyList<InvoiceLine> Lines => _lines;

    /// <summary>The lines that deduct a prepayment invoice (negative, each naming it: EN 16931 BG-3).</summary>
    public IEnumerable<InvoiceLine> Deductions => _lines.Where(l => l.PrepaymentInvoiceId is not null);

    public Money Net => new(NetMinor, Currency);

    public Money Tax => new(TaxMinor, Currency);

    public Money Gross => new(GrossMinor, Currency);

    public Money Paid => new(PaidMinor, Currency);

    public Money Credited => new(CreditedMinor, Currency);

    /// <summary>What the client still owes: gross less payments and credit notes (<see cref="BalanceMinorRule"/>).</summary>
    public Money Balance => new(BalanceMinorOf(this), Currency);

    /// <summary>What a credit note may still take back: gross less earlier credit notes.</summary>
    public Money Creditable => new(GrossMinor - CreditedMinor, Currency);

    /// <summary>
    /// Refuses to send an invoice to the client ("Send invoice", "Resend") unless it was issued: a
    /// draft has no number yet and a void invoice was credited in full, so neither is sent.
    /// </summary>
    /// <exception cref="DomainException"><see cref="InvalidTransition"/> (409) for a draft or void invoice.</exception>
    public void RequireSendable()
    {
        if (Status is InvoiceStatus.Draft or InvoiceStatus.Void)
        {
            throw new DomainException(new InvalidTransition("invoice", Id, "send", Status.ToString(),
                Status == InvoiceStatus.Void ? "A void invoice was credited in full and is not sent again." : "Issue the draft first; only issued invoices are sent."));
        }
    }

    /// <summary>Issued, not fully paid, and past its due date.</summary>
    public bool IsOverdue(DateOnly today) => Status == InvoiceStatus.Issued && Balance.IsPositive && DueDate < today;

    /// <summary>The EN 16931 totals of the lines.</summary>
    public InvoiceTotals Totals => InvoiceTotals.Compute(Currency, _lines.Select(l => (l.Net, l.Tax)));

    /// <summary>
    /// The totals (EN 16931 BT-109 net, BT-110 VAT, BT-112 gross) of the invoice that billing
    /// <paramref name="milestone"/> creates: what approving it, or activating its contract for a
    /// deposit, will invoice. Nothing is created or stored.
    /// </summary>
    public static InvoiceTotals TotalsFor(Contract contract, Milestone milestone) =>
        new Invoice(Guid.Empty, contract, milestone, DateTimeOffset.UnixEpoch).Totals;

    /// <summary>The milestone's billing status as it follows from this invoice.</summary>
    public BillingStatus BillingStatus => InvoiceFacts.BillingStatusOf(Status, PaidMinor);

    /// <summary>Adds a line taxed at a rate (S, or Z at 0%) to a draft; the totals follow. Issued invoices never change.</summary>
    public InvoiceLine AddLine(string description, Money net, TaxRate taxRate) => AddLine(description, net, TaxTreatment.ForRate(taxRate));

    /// <summary>
    /// Adds a line to a draft (an expense, or a discount as a negative amount); the totals follow. Lines
    /// taxed in the same category and rate share one exemption reason (EN 16931 BG-23). Issued invoices never change.
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> when issued, <c>invalid_description</c>, <c>currency_mismatch</c>, <c>tax_exemption_conflict</c>.</exception>
    public InvoiceLine AddLine(string description, Money net, TaxTreatment tax)
    {
        ArgumentNullException.ThrowIfNull(tax);
        if (Status != InvoiceStatus.Draft)
            throw Invalid("add a line to", "Only a draft invoice can get lines; an issued invoice never changes.");
        if (string.IsNullOrWhiteSpace(description) || description.Length > 1000)
            throw new DomainException(new DomainError("invalid_description", "A line description is 1 to 1000 characters.", "description"));
        RequireSameCurrency(net, "amount");
        return Add(description.Trim(), net, tax, null);
    }

    /// <summary>
    /// Deducts part of an issued prepayment invoice of the same contract from a draft: a negative line of
    /// <paramref name="share"/>'s net taxed as the prepayment's line of the same (category, rate) was, naming it
    /// (EN 16931 BG-3), so the VAT declared on the prepayment is not declared again. How much is deducted in
    /// which VAT group is <see cref="PrepaymentAccount.ShareFor"/>'s answer.
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> when issued; <c>not_a_prepayment</c> when <paramref name="prepayment"/> is not an issued prepayment invoice of this contract or has no line in that group; <c>amount_not_positive</c>.</exception>
    public InvoiceLine DeductPrepayment(Invoice prepayment, PrepaymentShare share)
    {
        ArgumentNullException.ThrowIfNull(prepayment);
        ArgumentNullException.ThrowIfNull(share);
        if (Status != InvoiceStatus.Draft)
            throw Invalid("deduct a prepayment from", "Only a draft invoice can get lines; an issued invoice never changes.");
        if (!prepayment.Prepayment || prepayment.Number is null || prepayment.ContractId != ContractId || prepayment.Status == InvoiceStatus.Void || prepayment.Id == Id)
            throw new DomainException(new DomainError("not_a_prepayment", "Only an issued, not voided prepayment invoice of the same contract can be deducted.", "prepaymentInvoiceId"));
        var groups = prepayment.Lines.Select(l => (l.TaxCategory, l.TaxRatePerMillion)).Distinct().Count();
        if (prepayment.Lines.OrderBy(l => l.Position).FirstOrDefault(l => l.TaxCategory == share.Tax.Category && l.TaxRatePerMillion == share.Tax.Rate.PerMillion) is not { } prepaid)
            throw new DomainException(new DomainError("not_a_prepayment", $"Prepayment invoice {prepayment.Number} bills nothing in {share.Tax.Category} {share.Tax.Rate}; a deduction is in one of its VAT groups.", "prepaymentInvoiceId"));
        RequireSameCurrency(share.Net, "amount");
        if (!share.Net.IsPositive)
            throw new DomainException(new DomainError("amount_not_positive", "A deduction is for more than zero.", "amount"));
        return Add($"Deduction of prepayment invoice {prepayment.Number}" + GroupSuffix(prepaid.Tax, groups), -share.Net, prepaid.Tax, prepayment);
    }

    // A document with lines of one purpose in several VAT groups names each line's group.
    private static string GroupSuffix(TaxTreatment tax, int groups) => groups > 1 ? $" ({tax.Category} {tax.Rate})" : "";

    private InvoiceLine Add(string description, Money net, TaxTreatment tax, Invoice? prepayment)
    {
        if (_lines.FirstOrDefault(l => l.TaxCategory == tax.Category && l.TaxRatePerMillion == tax.Rate.PerMillion) is { } same
            && (same.TaxExemptionCode != tax.ExemptionCode || same.TaxExemptionReason != tax.ExemptionReason))
            throw new DomainException(new DomainError("tax_exemption_conflict", $"Lines in category {tax.Category} at {tax.Rate} share one exemption reason on an invoice: \"{same.TaxExemptionReason}\".", "taxExemptionCode"));
        var line = new InvoiceLine(Guid.CreateVersion7(), Id, _lines.Count == 0 ? 1 : _lines.Max(l => l.Position) + 1, description, net, tax);
        if (prepayment is not null)
            line.Deducts(prepayment);
        _lines.Add(line);
        Recalculate();
        return line;
    }

    /// <summary>Draft → Issued (→ Paid at once when its gross is 0.00): takes its number and freezes the seller and buyer details.</summary>
    public void Issue(InvoiceNumber number, DateOnly issueDate, PartySnapshot seller, PartySnapshot buyer, DateTimeOffset now)
    {
        if (Status != InvoiceStatus.Draft)
            throw Invalid("issue", "Only a draft invoice can be issued; an issued invoice never changes.");
        Series = number.Series;
        Sequence = number.Sequence;
        Number = number.Text;
        IssueDate = issueDate;
        DueDate = issueDate.AddDays(PaymentTermsDays);
        Seller = seller;
        Buyer = buyer;
        IssuedAt = now;

        // A document whose balance is zero is settled from the moment it exists: nothing is owed, nothing is chased.
        Status = Balance.IsZero ? InvoiceStatus.Paid : InvoiceStatus.Issued;
        // No step falls before the issue date nor earlier than 60 days before the due date.
        NextChaseOn = Status == InvoiceStatus.Issued ? Max(issueDate, DueDate.Value.AddDays(ReminderSchedule.EarliestOffsetDays)) : null;
        ContentHash = ComputeContentHash();
    }

    /// <summary>Hashes the content that must never change after issue, in a fixed canonical form (invoices without references hash as before references existed).</summary>
    public string ComputeContentHash()
    {
        var content = DocumentHash.Of(
            Id, Number, Currency.Code, NetMinor, TaxMinor, GrossMinor, IssueDate, DueDate, TaxExemptionReason, ClientId, ContractId, MilestoneId,
            Seller, Buyer, string.Join('|', _lines.OrderBy(l => l.Position).Select(l => l.HashPart())));
        content = BuyerReference is null && PurchaseOrderReference is null && DeliveryDate is null ? content : DocumentHash.Of(content, BuyerReference, PurchaseOrderReference, DeliveryDate);
        content = LateInterestFor is null ? content : DocumentHash.Of(content, "late_interest", LateInterestFor);
        return Prepayment ? DocumentHash.Of(content, "prepayment") : content;
    }

    /// <summary>Applies part of a payment; never more than the balance.</summary>
    public void ApplyPayment(Money amount)
    {
        if (Status != InvoiceStatus.Issued)
            throw Invalid("apply a payment to", "Payments apply to issued invoices with a balance.");
        RequireSameCurrency(amount, "amount");
        if (!amount.IsPositive)
            throw new DomainException(new DomainError("amount_not_positive", "An applied amount must be greater than zero.", "amount"));
        if (amount > Balance)
            throw new DomainException(new DomainError("exceeds_balance", $"Invoice {Number} has {Balance.ToDecimalString()} {Currency.Code} open; {amount.ToDecimalString()} cannot be applied to it.", "amount") { });
        PaidMinor += amount.Minor;
        if (Balance.IsZero)
            Status = InvoiceStatus.Paid;
    }

    /// <summary>Takes back part of an applied payment (a bounced payment, or a credit note over a paid invoice).</summary>
    public void UnapplyPayment(Money amount)
    {
        RequireSameCurrency(amount, "amount");
        if (Status is InvoiceStatus.Draft or InvoiceStatus.Void)
            throw Invalid("unapply a payment from", "Only an issued or paid invoice has payments applied to it.");
        if (!amount.IsPositive || amount.Minor > PaidMinor)
            throw new DomainException(new DomainError("exceeds_paid", $"Invoice {Number} has {Paid.ToDecimalString()} {Currency.Code} paid; {amount.ToDecimalString()} cannot be taken back.", "amount"));
        PaidMinor -= amount.Minor;
        if (Status == InvoiceStatus.Paid && Balance.IsPositive)
            Reopen();
    }

    /// <summary>
    /// Records a credit note against the invoice; never more than what is left to credit. A credit
    /// of everything that is left voids the invoice. Returns how much of the payments must be
    /// taken back because the credit went beyond the open balance.
    /// </summary>
    public Money Credit(Money amount)
    {
        if (Status is not (InvoiceStatus.Issued or InvoiceStatus.Paid))
            throw Invalid("credit", "Only an issued invoice can be credited.");
        RequireSameCurrency(amount, "amount");
        if (!amount.IsPositive)
            throw new DomainException(new DomainError("amount_not_positive", "A credit note must be for more than zero.", "amount"));
        if (amount > Creditable)
            throw new DomainException(new DomainError("exceeds_creditable", $"Invoice {Number} has {Creditable.ToDecimalString()} {Currency.Code} left to credit; a credit note of {amount.ToDecimalString()} would exceed it.", "amount"));
        CreditedMinor += amount.Minor;
        var overpaid = Math.Max(0, -Balance.Minor);
        PaidMinor -= overpaid;
        if (CreditedMinor == GrossMinor)
            Status = InvoiceStatus.Void;
        else if (Balance.IsZero)
            Status = InvoiceStatus.Paid;
        else if (Status == InvoiceStatus.Paid)
            Reopen();
        return new Money(overpaid, Currency);
    }

    /// <summary>Flags the invoice as disputed (or clears the flag when the dispute is resolved: the next dunning pass looks at it again).</summary>
    public void MarkDisputed(bool disputed)
    {
        if (Disputed && !disputed && Status == InvoiceStatus.Issued)
            NextChaseOn = ChaseAtNextPass;
        Disputed = disputed;
    }

    /// <summary>
    /// Records the day the dunning job next has something to do for the invoice (<see cref="NextChaseOn"/>), as
    /// <see cref="ReminderSchedule.NextDayAfter"/> worked it out; null: nothing more under the schedule in force.
    /// </summary>
    public void ChaseNextOn(DateOnly? day) => NextChaseOn = day;

    // Paid → Issued again (a payment taken back, a credit note over a paid invoice): owed again, so looked at again.
    private void Reopen()
    {
        Status = InvoiceStatus.Issued;
        NextChaseOn = ChaseAtNextPass;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private void Recalculate()
    {
        var totals = Totals;
        NetMinor = totals.Net.Minor;
        TaxMinor = totals.Tax.Minor;
        GrossMinor = totals.Gross.Minor;
    }

    private void RequireSameCurrency(Money amount, string field)
    {
        if (amount.Currency != Currency)
            throw new DomainException(new CurrencyMismatch(Currency.Code, amount.Currency.Code, field));
    }

    private DomainException Invalid(string action, string reason) =>
        new(new InvalidTransition("invoice", Id, action, Status.ToString(), reason));
}

/// <summary>What a line bills.</summary>
public enum InvoiceLineKind
{
    /// <summary>Work, an expense, a discount or a prepayment deduction (every line of an ordinary invoice).</summary>
    Work,

    /// <summary>Late-payment interest on an earlier invoice (Directive 2011/7/EU art. 3, 4).</summary>
    LateInterest,

    /// <summary>The fixed compensation for recovery costs (Directive 2011/7/EU art. 6).</summary>
    RecoveryCompensation,
}

/// <summary>One line of an invoice: a description, a net amount (BT-131) and how it is taxed (BT-151, BT-152).</summary>
public sealed class InvoiceLine
{
    private InvoiceLine()
    {
    }

    /// <summary>Creates a line.</summary>
    public InvoiceLine(Guid id, Guid invoiceId, int position, string description, Money net, TaxTreatment tax)
    {
        Id = id;
        InvoiceId = invoiceId;
        Position = position;
        Description = description;
        Currency = net.Currency;
        NetMinor = net.Minor;
        TaxCategory = tax.Category;
        TaxRatePerMillion = tax.Rate.PerMillion;
        TaxExemptionCode = tax.ExemptionCode;
        TaxExemptionReason = tax.ExemptionReason;
    }

    public Guid Id { get; private set; }

    public Guid InvoiceId { get; private set; }

    public int Position { get; private set; }

    public string Description { get; private set; } = "";

    public Currency Currency { get; private set; } = Currency.EUR;

    public long NetMinor { get; private set; }

    /// <summary>What the line bills: work (every ordinary line), late-payment interest or the recovery compensation.</summary>
    public InvoiceLineKind Kind { get; internal set; }

    /// <summary>The UNCL5305 category of the line (BT-151).</summary>
    public TaxCategory TaxCategory { get; private set; }

    /// <summary>The rate in parts per million (BT-152).</summary>
    public int TaxRatePerMillion { get; private set; }

    /// <summary>The VATEX code of the exemption (BT-121), for untaxed categories.</summary>
    public string? TaxExemptionCode { get; private set; }

    /// <summary>The exemption reason text (BT-120), for untaxed categories.</summary>
    public string? TaxExemptionReason { get; private set; }

    /// <summary>For a deduction line: the prepayment invoice it deducts (EN 16931 BG-3); null for any other line.</summary>
    public Guid? PrepaymentInvoiceId { get; private set; }

    /// <summary>For a deduction line: the number of the prepayment invoice it deducts (BT-25).</summary>
    public string? PrepaymentNumber { get; private set; }

    /// <summary>For a deduction line: the issue date of the prepayment invoice it deducts (BT-26).</summary>
    public DateOnly? PrepaymentIssueDate { get; private set; }

    public Money Net => new(NetMinor, Currency);

    public TaxRate TaxRate => new(TaxRatePerMillion);

    /// <summary>How the line is taxed.</summary>
    public TaxTreatment Tax => TaxTreatment.Of(TaxCategory, TaxRate, TaxExemptionCode, TaxExemptionReason);

    /// <summary>
    /// The line's part of the content hash. Lines from before tax categories (a whole number of
    /// basis points, S above 0% or E at 0% without a code) hash as they always did, so their invoices keep their hash.
    /// </summary>
    internal string HashPart()
    {
        var legacy = TaxRatePerMillion % 100 == 0 && TaxExemptionCode is null
            && (TaxRatePerMillion > 0 ? TaxCategory == TaxCategory.S : TaxCategory is TaxCategory.E or TaxCategory.Z);
        var part = legacy
            ? DocumentHash.Of(Position, Description, NetMinor, TaxRatePerMillion / 100)
            : DocumentHash.Of(Position, Description, NetMinor, TaxRatePerMillion, TaxCategory.ToString(), TaxExemptionCode, TaxExemptionReason);
        return PrepaymentInvoiceId is null ? part : DocumentHash.Of(part, PrepaymentInvoiceId, PrepaymentNumber, PrepaymentIssueDate);
    }

    internal void Deducts(Invoice prepayment)
    {
        PrepaymentInvoiceId = prepayment.Id;
        PrepaymentNumber = prepayment.Number;
        PrepaymentIssueDate = prepayment.IssueDate;
    }
}
