using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// Builders that arrange billing state through the domain, the way the milestone endpoints would:
/// active contracts, milestones taken through to approval, billed through <see cref="Invoicing"/>, disputed.
/// </summary>
public static class SeedBilling
{
    public static readonly Actor ProjectManager = new(ActorKind.User, "pm", "Project manager");

    /// <summary>A client of an organization, saved.</summary>
    public static async Task<Client> ClientAsync(Engine engine, Guid organizationId, string name, DateTimeOffset now)
    {
        await using var db = engine.NewDb(organizationId);
        var client = new Client(Guid.CreateVersion7(), organizationId, name, now) { Address = "2 Main St", Email = "ap@client.test", TaxId = "DE999" };
        db.Clients.Add(client);
        await db.SaveChangesAsync();
        return client;
    }

    /// <summary>An active contract at 20% VAT whose planned milestones have the given net amounts (minor units), saved.</summary>
    public static async Task<Contract> ActiveContractAsync(Engine engine, Guid organizationId, Guid clientId, Currency currency, int paymentTermsDays, IReadOnlyList<long> amounts, IReadOnlyList<DateOnly?>? dueDates, DateTimeOffset now)
    {
        await using var db = engine.NewDb(organizationId);
        var contract = new Contract(Guid.CreateVersion7(), organizationId, clientId, "Website rebuild", new Money(amounts.Sum(), currency), Percentage.FromBasisPoints(2000), paymentTermsDays, now);
        for (var i = 0; i < amounts.Count; i++)
            contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms($"Milestone {i + 1}", "Work", "Accepted by the client", dueDates?[i], new Money(amounts[i], currency), null));
        contract.Activate(now);
        db.Contracts.Add(contract);
        await db.SaveChangesAsync();
        return contract;
    }

    /// <summary>Takes a milestone to Submitted (started, delivered with a note).</summary>
    public static Task SubmitAsync(Engine engine, Guid organizationId, Guid milestoneId, TimeProvider clock) =>
        WithMilestoneAsync(engine, organizationId, milestoneId, clock, async (db, _, milestone, now) =>
        {
            Deliver(db, milestone, now);
            await Task.CompletedTask;
        });

    /// <summary>Takes a milestone to Approved by the client, without billing it.</summary>
    public static Task ApproveAsync(Engine engine, Guid organizationId, Guid milestoneId, TimeProvider clock) =>
        WithMilestoneAsync(engine, organizationId, milestoneId, clock, async (db, _, milestone, now) =>
        {
            Deliver(db, milestone, now);
            db.MilestoneEvents.Add(milestone.Approve(Seed.Client, now));
            await Task.CompletedTask;
        });

    /// <summary>Takes a milestone through to approval and bills it through <see cref="Invoicing"/> in one transaction, as approving over the API does; returns the invoice id.</summary>
    public static async Task<Guid> ApproveAndBillAsync(Engine engine, Guid organizationId, Guid milestoneId, TimeProvider clock)
    {
        var invoiceId = Guid.Empty;
        await WithMilestoneAsync(engine, organizationId, milestoneId, clock, async (db, contract, milestone, now) =>
        {
            Deliver(db, milestone, now);
            if (milestone.Status == MilestoneStatus.Submitted)
                db.MilestoneEvents.Add(milestone.Approve(Seed.Client, now));
            var organization = await db.Organizations.SingleAsync();
            invoiceId = (await new Invoicing(db, clock).BillMilestoneAsync(organization, contract, milestone, Seed.Client)).Id;
        });
        return invoiceId;
    }

    /// <summary>The client disputes a submitted milestone, or an approved one together with its invoice; returns the dispute id.</summary>
    public static async Task<Guid> DisputeAsync(Engine engine, Guid organizationId, Guid milestoneId, string reason, TimeProvider clock)
    {
        var disputeId = Guid.Empty;
        await WithMilestoneAsync(engine, organizationId, milestoneId, clock, async (db, _, milestone, now) =>
        {
            var invoice = await db.Invoices.SingleOrDefaultAsync(i => i.MilestoneId == milestone.Id && i.Status != InvoiceStatus.Void);
            invoice?.MarkDisputed(true);
            db.MilestoneEvents.Add(milestone.Dispute(reason, Seed.Client, now));
            var dispute = new Dispute(Guid.CreateVersion7(), milestone, invoice?.Id, reason, Seed.Client, now);
            db.Disputes.Add(dispute);
            disputeId = dispute.Id;
        });
        return disputeId;
    }

    private static void Deliver(CairnDb db, Milestone milestone, DateTimeOffset now)
    {
        if (milestone.Status == MilestoneStatus.Planned)
            db.MilestoneEvents.Add(milestone.Start(ProjectManager, now));
        if (milestone.Status == MilestoneStatus.InProgress)
            db.MilestoneEvents.Add(milestone.Submit("Delivered", ["https://example.test/deliverable"], ProjectManager, now));
    }

    private static async Task WithMilestoneAsync(Engine engine, Guid organizationId, Guid milestoneId, TimeProvider clock, Func<CairnDb, Contract, Milestone, DateTimeOffset, Task> change)
    {
        await using var db = engine.NewDb(organizationId);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var milestone = await db.Milestones.SingleAsync(m => m.Id == milestoneId);
        var contract = await db.Contracts.Include(c => c.Milestones).SingleAsync(c => c.Id == milestone.ContractId);
        await change(db, contract, milestone, clock.GetUtcNow());
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }
}

/// <summary>One organization's books for a test: arranged through the domain, exercised and read back over the API.</summary>
public sealed class Books(CairnApp app, ApiClient owner)
{
    public ApiClient Owner => owner;

    public Guid OrganizationId => owner.OrganizationId;

    public static async Task<Books> OpenAsync(CairnApp app, string name = "Acme Studio") => new(app, await app.NewOrganizationAsync(name));

    /// <summary>Moves the server's clock forward to 09:00 UTC on a day.</summary>
    public void Today(string date) => app.Clock.SetUtcNow(new DateTimeOffset(DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));

    public Task<Client> ClientAsync(string name = "Globex") => SeedBilling.ClientAsync(app.Engine, OrganizationId, name, app.Clock.GetUtcNow());

    /// <summary>An active EUR contract (20% VAT, 30 days) with milestones of these net amounts in major units, e.g. 1000 → 1000.00 EUR.</summary>
    public Task<Contract> ContractAsync(Guid clientId, params long[] amounts) => ContractAsync(clientId, Currency.EUR, 30, amounts);

    public Task<Contract> ContractAsync(Guid clientId, Currency currency, int paymentTermsDays, long[] amounts, DateOnly?[]? dueDates = null) =>
        SeedBilling.ActiveContractAsync(app.Engine, OrganizationId, clientId, currency, paymentTermsDays, amounts.Select(a => a * currency.MinorPerMajor).ToList(), dueDates, app.Clock.GetUtcNow());

    public Task<Guid> BillAsync(Milestone milestone) => SeedBilling.ApproveAndBillAsync(app.Engine, OrganizationId, milestone.Id, app.Clock);

    public Task ApproveAsync(Milestone milestone) => SeedBilling.ApproveAsync(app.Engine, OrganizationId, milestone.Id, app.Clock);

    public Task SubmitAsync(Milestone milestone) => SeedBilling.SubmitAsync(app.Engine, OrganizationId, milestone.Id, app.Clock);

    public Task<Guid> DisputeAsync(Milestone milestone, string reason = "Not what we agreed") => SeedBilling.DisputeAsync(app.Engine, OrganizationId, milestone.Id, reason, app.Clock);

    public Task<JsonNode> InvoiceAsync(Guid id) => owner.GetOkAsync($"/api/v1/invoices/{id}");

    public CairnDb Db() => app.Engine.NewDb(OrganizationId);

    /// <summary>
    /// Rule 5, checked on the stored rows and through the balance endpoint: every invoice's paid
    /// amount is what payments apply to it and never more than its total less credits; every
    /// payment applies between nothing and all of itself; and per client and currency, money in
    /// equals what is applied plus the unapplied credit.
    /// </summary>
    public async Task AssertMoneyBalancesAsync()
    {
        await using var db = Db();
        var invoices = await db.Invoices.AsNoTracking().ToListAsync();
        var applications = await db.PaymentApplications.AsNoTracking().ToListAsync();
        var payments = await db.Payments.AsNoTracking().Include(p => p.Applications).Include(p => p.RefundParts).ToListAsync();
        foreach (var invoice in invoices)
        {
            Assert.Equal(invoice.PaidMinor, applications.Where(a => a.InvoiceId == invoice.Id).Sum(a => a.AmountMinor));
            Assert.InRange(invoice.PaidMinor + invoice.CreditedMinor, 0, invoice.GrossMinor);
            Assert.True(invoice.Status != InvoiceStatus.Void || invoice.PaidMinor == 0, $"void invoice {invoice.Number} still has payments applied");
        }

        foreach (var payment in payments)
        {
            Assert.InRange(payment.Applied.Minor + payment.Refunded.Minor, 0, payment.AmountMinor);
            Assert.True(payment.Refunded.Minor >= 0);
            Assert.All(payment.Applications.GroupBy(a => a.InvoiceId), g => Assert.True(g.Sum(a => a.AmountMinor) >= 0));
            if (payment.Status == PaymentStatus.Reversed)
                Assert.Equal(0, payment.Applied.Minor);
        }

        foreach (var client in payments.Select(p => p.ClientId).Concat(invoices.Select(i => i.ClientId)).Distinct())
        {
            var balance = await owner.GetOkAsync($"/api/v1/clients/{client}/balance");
            foreach (var entry in balance["currencies"]!.AsArray())
            {
                var line = entry!;
                var currency = Currency.Of(line.Str("currency"));
                var moneyIn = payments.Where(p => p.ClientId == client && p.Currency == currency && p.Status == PaymentStatus.Recorded).Sum(p => p.AmountMinor);
                var paid = Minor(line, "paid", currency);
                var unapplied = Minor(line, "unappliedCredit", currency);
                var refunded = Minor(line, "refunded", currency);
                Assert.Equal(moneyIn, paid + unapplied + refunded);
                Assert.Equal(invoices.Where(i => i.ClientId == client && i.Currency == currency).Sum(i => i.PaidMinor), paid);
                Assert.Equal(Minor(line, "invoiced", currency) - paid - Minor(line, "credited", currency), Minor(line, "outstanding", currency));
            }
        }
    }

    private static long Minor(JsonNode node, string field, Currency currency) => Money.Parse(node.Str(field + ".amount"), currency).Minor;
}
