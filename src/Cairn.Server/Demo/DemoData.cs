using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Demo;

/// <summary>
/// Seeds a realistic demo organization for trying Cairn out (<c>--demo</c>): five clients, contracts
/// across the built-in templates, milestones in every work state, invoices issued, partly paid,
/// paid, overdue, falling due and credited, an open dispute, an approved change order and an
/// instalment approved before its billing date. Every milestone has a due date (past ones for work
/// done, the next weeks for work under way), so every panel of the dashboard and every timeline shows
/// something. Everything goes through the same application services as the API, on a clock that
/// walks through the last four months, so the history, numbers and reports are those a real
/// organization would have.
/// </summary>
public sealed class DemoData(IServiceScopeFactory scopes, TimeProvider realClock, ILogger<DemoData> logger)
{
    /// <summary>The demo owner's sign-in.</summary>
    public const string OwnerEmail = "owner@demo.cairn.test";

    /// <summary>The demo owner's password, printed in the log when the demo is created.</summary>
    public const string OwnerPassword = "demo-ledger-walnut-kettle";

    private const string Name = "Northwind Studio (demo)";
    private static readonly Actor ProjectManager = new(ActorKind.User, "demo-pm", "Demo project manager");
    private static readonly Actor ClientContact = new(ActorKind.Contact, "demo-contact", "Demo client contact");

    private readonly WalkingClock _clock = new(realClock.GetUtcNow().AddDays(-120), realClock.GetUtcNow());
    private Guid _organizationId;
    private BusinessCalendar _calendar = BusinessCalendar.Utc;

    /// <summary>Creates the demo organization unless it exists already; returns whether it created it.</summary>
    public async Task<bool> SeedAsync(CancellationToken cancellationToken = default)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
            if (await db.Organizations.IgnoreQueryFilters().AnyAsync(o => o.Name == Name, cancellationToken))
                return false;
            var provisioned = await scope.ServiceProvider.GetRequiredService<Provisioning>().ProvisionAsync(
                new OrganizationDetails(Name, "12 Harbour Street, 1011 AB Amsterdam", "NL123456789B01", "billing@northwind.test", "EUR"),
                new OwnerDetails(OwnerEmail, "Demo owner", OwnerPassword),
                null,
                cancellationToken);
            _organizationId = provisioned.Organization.Id;
            _calendar = provisioned.Organization.Calendar;
        }

        await StepAsync(async (db, _) =>
        {
            var organization = await db.Organizations.SingleAsync(cancellationToken);
            organization.PaymentInstructions = "IBAN NL91 ABNA 0417 1643 00 · BIC ABNANL2A · please quote the invoice number";
            organization.Party = new PartyDetails
            {
                LegalName = "Northwind Studio B.V.",
                AddressLine1 = "12 Harbour Street",
                City = "Amsterdam",
                PostalCode = "1011 AB",
                CountryCode = "NL",
                LegalId = "12345678",
                LegalIdScheme = "0106",
                ContactName = "Accounts",
                ContactEmail = "billing@northwind.test",
            };
            organization.ApprovalWindowDays = 14;
        }, cancellationToken);

        var globex = await ClientAsync("Globex Corporation", "ap@globex.test", "1 Globex Way, Springfield");
        var initech = await ClientAsync("Initech", "finance@initech.test", "400 Initech Blvd, Austin");
        var umbrella = await ClientAsync("Umbrella Health", "invoices@umbrella.test", "9 Raccoon Road, Berlin");
        var hooli = await ClientAsync("Hooli", "payables@hooli.test", "1 Hooli Plaza, Palo Alto");
        var soylent = await ClientAsync("Soylent Foods", "ap@soylent.test", "77 Green Lane, Leeds");

        // One timeline, oldest first, so invoice numbers follow their dates.
        _clock.SetDaysAgo(120);
        var website = await ContractAsync(globex, "Website relaunch", "24000.00", BuiltInTemplates.All[0], [-100, -60, 20]);
        await DeliverAndApproveAsync(website, 0);
        _clock.SetDaysAgo(100);
        await PayAsync(globex, "8640.00", "GLOBEX-0001");

        _clock.SetDaysAgo(95);
        var platform = await ContractAsync(initech, "Billing platform", "60000.00", BuiltInTemplates.All[1], [-80, 12, 40]);
        _clock.SetDaysAgo(90);
        await DeliverAndApproveAsync(platform, 0);

        _clock.SetDaysAgo(80);
        var brand = await ContractAsync(umbrella, "Brand identity", "12000.00", BuiltInTemplates.All[3], [-70, 5, 45]);
        await DeliverAndApproveAsync(brand, 0);

        _clock.SetDaysAgo(70);
        await DeliverAndApproveAsync(website, 1);
        _clock.SetDaysAgo(60);
        await CreditAsync(brand, 0, "500.00", "Two concept rounds instead of three, as agreed.");
        _clock.SetDaysAgo(50);
        await PayAsync(globex, "5000.00", "GLOBEX-0002");

        _clock.SetDaysAgo(45);
        var retainer = await ContractAsync(hooli, "Platform support retainer", "9000.00", BuiltInTemplates.All[4], [-45, -3, 50]);
        _clock.SetDaysAgo(40);
        await PayAsync(hooli, "4320.00", "HOOLI-7781");

        _clock.SetDaysAgo(35);
        await StartAsync(platform, 1);
        _clock.SetDaysAgo(33);
        await ChangeOrderAsync(platform, 2);

        _clock.SetDaysAgo(30);
        var fitOut = await ContractAsync(soylent, "Office fit-out", "80000.00", BuiltInTemplates.All[2], [-22, 25, 55, 90]);
        await DeliverAndApproveAsync(fitOut, 0);
        _clock.SetDaysAgo(18);
        await CreditAsync(fitOut, 0, null, "Stage invoiced to the wrong legal entity; re-invoiced separately.");

        _clock.SetDaysAgo(17);
        var hosting = await InstalmentsAsync(initech, "Hosting and support, next quarter", "2000.00", [10, 40, 70]);
        await StartAsync(hosting, 0);
        _clock.SetDaysAgo(16);
        await StartAsync(retainer, 1);
        _clock.SetDaysAgo(12);
        await StartAsync(brand, 1);
        _clock.SetDaysAgo(10);
        await StartAsync(website, 2);

        _clock.SetDaysAgo(6);
        await SubmitAsync(hosting, 0);
        await SubmitAsync(retainer, 1);
        _clock.SetDaysAgo(5);
        await SubmitAsync(brand, 1);
        await SubmitAsync(website, 2);

        // Not yet billed work under dispute, an invoice falling due within 30 days, and an instalment
        // approved before its billing date (approved, not yet billed).
        _clock.SetDaysAgo(4);
        await DisputeAsync(brand, 1, "The refined logo does not follow the chosen concept direction.");
        await ApproveAsync(retainer, 1);
        await ApproveAsync(hosting, 0);
        _clock.SetDaysAgo(1);
        await ContractAsync(soylent, "Canteen refurbishment (proposal)", "15000.00", BuiltInTemplates.All[0], [30, 60, 90], activate: false);

        logger.LogInformation("Demo organization '{Name}' created: sign in as {Email} (the password is in the README)", Name, OwnerEmail);
        return true;
    }

    private async Task<Guid> ClientAsync(string name, string email, string address)
    {
        var id = Guid.Empty;
        await StepAsync((db, _) =>
        {
            var client = new Client(Guid.CreateVersion7(), _organizationId, name, _clock.GetUtcNow()) { Email = email, Address = address };
            db.Clients.Add(client);
            Audit.Record(db, _organizationId, "client", client.Id, "created", ProjectManager, _clock.GetUtcNow(), after: new { client.Name });
            id = client.Id;
            return Task.CompletedTask;
        }, CancellationToken.None);
        return id;
    }

    /// <summary>A contract from a template whose milestones fall due the given numbers of days from today (negative: in the past).</summary>
    private async Task<Guid> ContractAsync(Guid clientId, string title, string value, Template template, int[] dueInDays, bool activate = true)
    {
        var id = Guid.Empty;
        await StepAsync(async (db, s) =>
        {
            var terms = new ContractTerms(title, Money.Parse(value, Currency.EUR), TaxTreatment.Standard(TaxRate.Parse("20")), 30, 14);
            var contract = await s.Contracts.CreateAsync(_organizationId, clientId, terms, template, ProjectManager);
            foreach (var (milestone, days) in contract.Milestones.OrderBy(m => m.Position).Zip(dueInDays, (m, d) => (m, d)))
                await s.Contracts.ChangeMilestoneAsync(contract, milestone, milestone.Terms with { DueDate = DayFromToday(days) }, ProjectManager);
            await db.SaveChangesAsync();
            if (activate)
                await s.Contracts.ActivateAsync(contract, ProjectManager);
            id = contract.Id;
        }, CancellationToken.None);
        return id;
    }

    /// <summary>An active contract of equal instalments (<c>on_date</c>), each billed and due the given numbers of days from today.</summary>
    private async Task<Guid> InstalmentsAsync(Guid clientId, string title, string instalment, int[] inDays)
    {
        var id = Guid.Empty;
        var each = Money.Parse(instalment, Currency.EUR);
        await StepAsync(async (db, s) =>
        {
            var terms = new ContractTerms(title, new Money(each.Minor * inDays.Length, Currency.EUR), TaxTreatment.Standard(TaxRate.Parse("20")), 30, 14);
            var contract = await s.Contracts.CreateAsync(_organizationId, clientId, terms, null, ProjectManager);
            for (var i = 0; i < inDays.Length; i++)
            {
                var day = DayFromToday(inDays[i]);
                await s.Contracts.AddMilestoneAsync(contract, new MilestoneTerms($"Hosting and support, month {i + 1}", "Hosting, monitoring and support hours", "Service levels met for the month.", day, each, null, BillingTrigger.OnDate, day), ProjectManager);
            }

            await s.Contracts.ActivateAsync(contract, ProjectManager);
            id = contract.Id;
        }, CancellationToken.None);
        return id;
    }

    private DateOnly DayFromToday(int days) => _calendar.DayOf(_clock.Today).AddDays(days);

    private Task StartAsync(Guid contractId, int position) => OnMilestoneAsync(contractId, position, (s, c, m) => s.Milestones.StartAsync(c, m, ProjectManager));

    private Task SubmitAsync(Guid contractId, int position) =>
        OnMilestoneAsync(contractId, position, (s, c, m) => s.Milestones.SubmitAsync(c, m, $"{m.Title}: delivered as agreed, see the linked files.", [$"https://files.northwind.test/{m.Id:N}/delivery.zip"], ProjectManager));

    private Task ApproveAsync(Guid contractId, int position) =>
        OnMilestoneAsync(contractId, position, async (s, c, m) => await s.Milestones.ApproveAsync(c, m, ClientContact));

    private async Task DeliverAndApproveAsync(Guid contractId, int position)
    {
        await StartAsync(contractId, position);
        _clock.Advance(7);
        await SubmitAsync(contractId, position);
        _clock.Advance(2);
        await ApproveAsync(contractId, position);
    }

    private Task DisputeAsync(Guid contractId, int position, string reason) =>
        OnMilestoneAsync(contractId, position, async (s, c, m) => await s.Milestones.DisputeAsync(c, m, reason, ClientContact));

    private Task PayAsync(Guid clientId, string amount, string reference) =>
        StepAsync((_, s) => s.Payments.RecordAsync(_organizationId, clientId, Money.Parse(amount, Currency.EUR), _calendar.DayOf(_clock.GetUtcNow()), "bank_transfer", reference, null, ProjectManager), CancellationToken.None);

    private Task CreditAsync(Guid contractId, int position, string? amount, string reason) =>
        StepAsync(async (db, s) =>
        {
            var milestoneId = await MilestoneIdAsync(db, contractId, position);
            var invoice = await db.Invoices.SingleAsync(i => i.MilestoneId == milestoneId && i.Status != InvoiceStatus.Void);
            var credit = amount is null ? invoice.Creditable : Money.Parse(amount, Currency.EUR);
            await s.CreditNotes.IssueAsync(invoice.Id, credit, reason, ProjectManager);
        }, CancellationToken.None);

    private Task ChangeOrderAsync(Guid contractId, int cancelPosition) =>
        StepAsync(async (db, s) =>
        {
            var cancelled = await MilestoneIdAsync(db, contractId, cancelPosition);
            var order = await s.ChangeOrders.DraftAsync(_organizationId, contractId, "Split acceptance into migration and go-live", "The client asked to migrate historical data before go-live.",
            [
                new ChangeOrderItemRequest(ChangeOrderItemKind.Cancel, cancelled, null),
                new ChangeOrderItemRequest(ChangeOrderItemKind.Add, null, new MilestoneTermsPatch("Data migration", "Historical invoices migrated", "All 2019–2025 invoices visible and reconciled.", DayFromToday(28), Money.Parse("12000.00", Currency.EUR), null, BillingTrigger.OnApproval, null)),
                new ChangeOrderItemRequest(ChangeOrderItemKind.Add, null, new MilestoneTermsPatch("Go-live", "Production release", "Acceptance tests pass in production.", DayFromToday(75), Money.Parse("23000.00", Currency.EUR), null, BillingTrigger.OnApproval, null)),
            ], ProjectManager);
            await db.SaveChangesAsync();
            await s.ChangeOrders.ProposeAsync(_organizationId, order.Id, ProjectManager);
            await db.SaveChangesAsync();
            await s.ChangeOrders.ApproveAsync(_organizationId, order.Id, ClientContact);
        }, CancellationToken.None);

    private Task OnMilestoneAsync(Guid contractId, int position, Func<Services, Contract, Milestone, Task> action) =>
        StepAsync(async (db, s) =>
        {
            var (contract, milestone) = await s.Milestones.LoadForChangeAsync(await MilestoneIdAsync(db, contractId, position));
            await action(s, contract, milestone);
        }, CancellationToken.None);

    private static Task<Guid> MilestoneIdAsync(CairnDb db, Guid contractId, int position) =>
        db.Milestones.Where(m => m.ContractId == contractId && m.Position == position + 1).Select(m => m.Id).SingleAsync();

    /// <summary>One unit of work as the demo organization, on the demo clock, committed at the end.</summary>
    private async Task StepAsync(Func<CairnDb, Services, Task> work, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        db.TenantId = _organizationId;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await work(db, new Services(db, _clock));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _clock.Advance(0.01);
    }

    /// <summary>The application services, built on the demo clock.</summary>
    private sealed class Services
    {
        public Services(CairnDb db, TimeProvider clock)
        {
            var invoicing = new Invoicing(db, clock);
            Contracts = new Contracts(db, invoicing, new BusinessDays(db, clock), clock);
            Milestones = new Milestones(db, invoicing, Contracts, clock);
            Payments = new Payments(db, clock);
            CreditNotes = new CreditNotes(db, clock, Payments);
            ChangeOrders = new ChangeOrders(db, clock, Contracts);
        }

        public Contracts Contracts { get; }

        public Milestones Milestones { get; }

        public Payments Payments { get; }

        public CreditNotes CreditNotes { get; }

        public ChangeOrders ChangeOrders { get; }
    }

    /// <summary>A clock that starts months ago and is moved forward by the story.</summary>
    private sealed class WalkingClock(DateTimeOffset start, DateTimeOffset today) : TimeProvider
    {
        private DateTimeOffset _now = start;

        /// <summary>The real present, where the story ends.</summary>
        public DateTimeOffset Today { get; } = today;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(double days) => _now = _now.AddDays(days);

        /// <summary>Moves to a day in the past, but never backwards: invoice numbers must follow their dates.</summary>
        public void SetDaysAgo(int days) => _now = Today.AddDays(-days) > _now ? Today.AddDays(-days) : _now;
    }
}
