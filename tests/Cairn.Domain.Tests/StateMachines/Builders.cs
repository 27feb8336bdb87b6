namespace Cairn.Domain.Tests.StateMachines;

/// <summary>
/// Small builders for the state-machine stories: a website contract of 10,000.00 EUR at 20% VAT
/// with a 30/40/30 plan, its milestones, invoices, payments, change orders and disputes, each
/// brought into the state a test starts from through the domain's own transitions.
/// </summary>
internal static class Builders
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Later = Now.AddHours(1);

    public static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    public static readonly Guid OrganizationId = Guid.Parse("0190b000-0000-7000-8000-000000000001");

    public static readonly Guid ClientId = Guid.Parse("0190b000-0000-7000-8000-0000000000c1");

    public static readonly Guid AnotherClientId = Guid.Parse("0190b000-0000-7000-8000-0000000000c2");

    public static readonly Actor ProjectManager = new(ActorKind.User, "pm-1", "Petra Project-Manager");

    public static readonly Actor ClientContact = new(ActorKind.Contact, "contact-1", "Clara Client");

    public static readonly PlanBilling NothingInvoiced = PlanBilling.Empty;

    /// <summary>The billing of a plan where each given milestone has a draft invoice.</summary>
    public static PlanBilling Invoiced(Contract contract, params IEnumerable<Milestone> milestones) =>
        PlanBilling.Of(milestones.Select(m => new Invoice(Guid.CreateVersion7(), contract, m, Now)));

    public static readonly PartySnapshot Seller = new("Cairn Studio", "1 Quay Street, Dublin", "IE1234567T", "billing@cairn.example");

    public static readonly PartySnapshot Buyer = new("Acme GmbH", "2 Hauptstraße, Berlin", "DE123456789", "ap@acme.example");

    public static Money Eur(string amount) => Money.Parse(amount, Currency.EUR);

    public static Percentage Pct(string percentage) => Percentage.Parse(percentage);

    public static MilestoneTerms ByPercent(string title, string percentage) =>
        new(title, $"{title} deliverable", $"Client signs off {title}.", null, null, Pct(percentage));

    public static MilestoneTerms ByAmount(string title, string amount) =>
        new(title, $"{title} deliverable", $"Client signs off {title}.", null, Eur(amount), null);

    /// <summary>The website plan: Design 30%, Build 40%, Launch 30%.</summary>
    public static MilestoneTerms[] WebsitePlan() => [ByPercent("Design", "30"), ByPercent("Build", "40"), ByPercent("Launch", "30")];

    /// <summary>A draft contract with the given plan (by default the 30/40/30 website plan).</summary>
    public static Contract ADraftContract(string value = "10000.00", MilestoneTerms[]? plan = null, Guid? id = null)
    {
        var contract = new Contract(id ?? Guid.CreateVersion7(), OrganizationId, ClientId, "Website relaunch", Eur(value), Pct("20"), 30, Now);
        foreach (var terms in plan ?? WebsitePlan())
            contract.AddMilestone(Guid.CreateVersion7(), terms);
        return contract;
    }

    /// <summary>A contract the client accepted: the 30/40/30 plan, Active.</summary>
    public static Contract AnActiveContract(Guid? id = null)
    {
        var contract = ADraftContract(id: id);
        contract.Activate(Now);
        return contract;
    }

    /// <summary>The proposal a contract in <see cref="ContractStatus.Proposed"/> waits on.</summary>
    public static readonly Guid ProposalId = Guid.Parse("0190b000-0000-7000-8000-0000000000b1");

    /// <summary>A contract in the given state, reached through the domain's transitions.</summary>
    public static Contract AContractIn(ContractStatus status)
    {
        switch (status)
        {
            case ContractStatus.Draft:
                return ADraftContract();
            case ContractStatus.Proposed:
                var proposed = ADraftContract();
                proposed.Propose(ProposalId, Now);
                return proposed;
            case ContractStatus.Active:
                return AnActiveContract();
            case ContractStatus.Completed:
                var completed = AnActiveContract();
                completed.Complete(Invoiced(completed, completed.Milestones), Today, Now);
                return completed;
            case ContractStatus.Cancelled:
                var cancelled = AnActiveContract();
                cancelled.Cancel(Now);
                return cancelled;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }
    }

    /// <summary>The first milestone (Design, 3,000.00 EUR) of an active contract, moved into the given state.</summary>
    public static (Contract Contract, Milestone Milestone) AMilestoneIn(MilestoneStatus status)
    {
        var contract = AnActiveContract();
        var design = contract.Milestones[0];
        if (status == MilestoneStatus.Cancelled)
        {
            AProposedChangeOrder(contract, ChangeOrderItem.Cancel(design.Id)).Approve(contract, NothingInvoiced, ClientContact, Now);
            return (contract, design);
        }

        if (status == MilestoneStatus.Planned)
            return (contract, design);
        design.Start(ProjectManager, Now);
        if (status == MilestoneStatus.InProgress)
            return (contract, design);
        design.Submit("Homepage and two inner page designs.", ["https://files.example/design-v1.pdf"], ProjectManager, Now);
        switch (status)
        {
            case MilestoneStatus.Submitted:
                break;
            case MilestoneStatus.Approved:
                design.Approve(ClientContact, Now);
                break;
            case MilestoneStatus.Disputed:
                design.Dispute("The designs ignore our brand guide.", ClientContact, Now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }

        return (contract, design);
    }

    /// <summary>A change order of <paramref name="contract"/> with the given items, sent to the client.</summary>
    public static ChangeOrder AProposedChangeOrder(Contract contract, params ChangeOrderItem[] items)
    {
        var order = new ChangeOrder(Guid.CreateVersion7(), contract, "Scope change", "Client asked for it.", items, Now);
        order.Propose(Now);
        return order;
    }

    /// <summary>The draft invoice of the approved Design milestone: 3,000.00 net, 600.00 VAT, 3,600.00 gross.</summary>
    public static Invoice ADraftInvoice()
    {
        var (contract, design) = AMilestoneIn(MilestoneStatus.Approved);
        return new Invoice(Guid.CreateVersion7(), contract, design, Now);
    }

    /// <summary>The Design invoice issued today as INV-2026-000042, due in 30 days, nothing paid.</summary>
    public static Invoice AnIssuedInvoice()
    {
        var invoice = ADraftInvoice();
        invoice.Issue(InvoiceNumber(42), Today, Seller, Buyer, Now);
        return invoice;
    }

    /// <summary>The issued Design invoice with 600.00 of its 3,600.00 paid.</summary>
    public static Invoice APartlyPaidInvoice()
    {
        var invoice = AnIssuedInvoice();
        invoice.ApplyPayment(Eur("600.00"));
        return invoice;
    }

    /// <summary>The issued Design invoice, paid in full.</summary>
    public static Invoice APaidInvoice()
    {
        var invoice = AnIssuedInvoice();
        invoice.ApplyPayment(invoice.Balance);
        return invoice;
    }

    /// <summary>The issued Design invoice, voided by a credit note of all of it.</summary>
    public static Invoice AVoidInvoice()
    {
        var invoice = AnIssuedInvoice();
        invoice.Credit(invoice.Creditable);
        return invoice;
    }

    public static InvoiceNumber InvoiceNumber(long sequence) => NumberFormat.Parse(Organization.DefaultInvoiceSeries).Number(Today, sequence);

    public static InvoiceNumber CreditNoteNumber(long sequence) => NumberFormat.Parse(Organization.DefaultCreditNoteSeries).Number(Today, sequence);

    /// <summary>A bank transfer received from the client, not applied to anything yet.</summary>
    public static Payment APayment(string amount, Guid? clientId = null) =>
        new(Guid.CreateVersion7(), OrganizationId, clientId ?? ClientId, Eur(amount), Today, "bank_transfer", "ACME-REF-0042", Now);

    /// <summary>A credit note of <paramref name="gross"/> against <paramref name="invoice"/>, written before the invoice records the credit.</summary>
    public static CreditNote ACreditNote(Invoice invoice, IEnumerable<CreditNote> earlier, Money gross, long sequence) =>
        new(Guid.CreateVersion7(), invoice, CreditSplit.Proportional(CreditSplit.Remaining(invoice, earlier), gross), "Agreed reduction.", CreditNoteNumber(sequence), Today, Seller, Buyer, Now);
}
