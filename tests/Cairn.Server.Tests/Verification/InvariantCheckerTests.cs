using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Cairn.Server.Tests.Verification;

/// <summary>The invariant checker finds each kind of broken rule planted in a database, and nothing in a sound one.</summary>
public abstract class InvariantCheckerTests<TEngine>(TEngine engine) : IClassFixture<TEngine>
    where TEngine : Engine
{
    [Fact]
    public async Task A_sound_database_has_no_violations()
    {
        await SoundBooksAsync();

        Assert.Empty(await CheckAsync());
    }

    [Theory]
    [InlineData("1 plan adds up", "UPDATE contracts SET value_minor = value_minor + 1")]
    [InlineData("3 gap-free numbers", "UPDATE document_counters SET last_value = last_value + 1")]
    [InlineData("3 gap-free numbers", "UPDATE invoices SET sequence = sequence + 10, number = number || 'x' WHERE sequence = 1")]
    [InlineData("4 totals equal lines and tax", "UPDATE invoices SET net_minor = net_minor + 1, gross_minor = gross_minor + 1 WHERE sequence = 2")]
    [InlineData("4 issued documents unchanged", "UPDATE invoices SET buyer = REPLACE(buyer, 'Globex', 'Globex Ltd') WHERE sequence = 2")]
    [InlineData("4 credit notes within bounds", "UPDATE invoices SET credited_minor = credited_minor + 1 WHERE sequence = 2")]
    [InlineData("4 invoice status follows its figures", "UPDATE invoices SET net_minor = 0, tax_minor = 0, gross_minor = 0, paid_minor = 0, credited_minor = 0 WHERE sequence = 3")]
    [InlineData("5 payments applied within bounds", "UPDATE invoices SET paid_minor = paid_minor - 1 WHERE sequence = 1")]
    [InlineData("5 money in = applied + unapplied + refunded", "UPDATE payments SET amount_minor = 1")]
    [InlineData("5 money in = applied + unapplied + refunded", "UPDATE refunds SET amount_minor = amount_minor + 1")]
    [InlineData("5 money in = applied + unapplied + refunded", "UPDATE refund_parts SET amount_minor = amount_minor + 100000")]
    [InlineData("5 receivable totals match the invoices", "UPDATE receivable_totals SET collected_minor = collected_minor + 1")]
    [InlineData("5 open balances by due date match the invoices", "UPDATE open_receivables SET open_minor = open_minor - 1")]
    [InlineData("5 open balances by due date match the invoices", "DELETE FROM open_receivables")]
    [InlineData("11 contract values match the contracts", "UPDATE contract_values SET value_minor = value_minor + 1")]
    [InlineData("11 contract values match the contracts", "DELETE FROM contract_values")]
    [InlineData("11 milestones carry their contract's status", "UPDATE milestones SET contract_status = 'Draft' WHERE position = 1")]
    [InlineData("2 one invoice per billable milestone", "DELETE FROM invoice_lines WHERE invoice_id IN (SELECT id FROM invoices WHERE sequence = 3); DELETE FROM invoices WHERE sequence = 3")]
    [InlineData("disputed invoices are those under an open dispute", "UPDATE invoices SET disputed = TRUE WHERE sequence = 2")]
    [InlineData("8 no row points into another organization", "UPDATE milestones SET organization_id = (SELECT id FROM organizations WHERE name = 'Other') WHERE position = 1")]
    public async Task A_planted_violation_is_found_and_named(string rule, string plant)
    {
        await SoundBooksAsync();
        await PlantAsync(plant);

        var violations = await CheckAsync();

        Assert.Contains(violations, v => v.Rule == rule && v.Ids.Count > 0 && v.Message.Length > 0);
    }

    [Fact]
    public async Task A_credited_milestone_billed_again_without_an_explicit_re_bill_is_found()
    {
        await SoundBooksAsync();
        var clock = new FakeTimeProvider(Seed.Now);
        Guid milestoneId;
        Guid organizationId;
        await using (var probe = engine.NewDb())
            organizationId = await probe.Organizations.IgnoreQueryFilters().Where(o => o.Name != "Other").Select(o => o.Id).SingleAsync();
        await using (var db = engine.NewDb(organizationId))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var invoice = await db.Invoices.SingleAsync(i => i.Sequence == 3);
            milestoneId = invoice.MilestoneId!.Value;
            await new CreditNotes(db, clock, new Payments(db, clock)).IssueAsync(invoice.Id, invoice.Creditable, "Billed in error", Actor.System);
            await db.SaveChangesAsync();
            var contract = await db.Contracts.Include(c => c.Milestones).SingleAsync();
            await new Invoicing(db, clock).RebillAsync(await db.Organizations.SingleAsync(), contract, contract.Milestones.Single(m => m.Id == milestoneId), Actor.System);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.Empty(await CheckAsync());

        await PlantAsync("DELETE FROM audit_log WHERE action = 'rebilled'");

        var violation = Assert.Single(await CheckAsync());
        Assert.Equal(("2 a credited milestone is not billed again unless re-billed", milestoneId), (violation.Rule, Guid.Parse(violation.Ids.Single())));
    }

    [Fact]
    public async Task A_portal_acceptance_that_does_not_name_the_PDF_of_its_proposal_is_found()
    {
        await SoundBooksAsync();
        Guid contractId;
        await using (var probe = engine.NewDb())
        {
            var organizationId = await probe.Organizations.IgnoreQueryFilters().Where(o => o.Name != "Other").Select(o => o.Id).SingleAsync();
            await using var db = engine.NewDb(organizationId);
            var clientId = await db.Clients.Select(c => c.Id).SingleAsync();
            var contact = new Contact(Guid.CreateVersion7(), organizationId, clientId, "Xena", "xena@globex.test", Seed.Now);
            var contract = new Contract(Guid.CreateVersion7(), organizationId, clientId, "Support", new Money(10_000, Currency.EUR), Percentage.FromBasisPoints(2000), 30, Seed.Now);
            contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms("Support", "Hours", "Logged", null, new Money(10_000, Currency.EUR), null));
            var proposalId = Guid.CreateVersion7();
            contract.Propose(proposalId, Seed.Now);
            var proposal = new Proposal(proposalId, contract, contact.Id, [0x25, 0x50, 0x44, 0x46], Actor.System, Seed.Now);
            var acceptance = Acceptance.ByContact(contract, proposal, new Actor(ActorKind.Contact, contact.Id.ToString(), "Xena"), "Xena Warrior", true, new AcceptanceEvidence("127.0.0.1", "test", null), Seed.Now);
            proposal.Answer(ProposalStatus.Accepted, null, Seed.Now);
            contract.AcceptProposal(proposalId, Seed.Now);
            db.Contacts.Add(contact);
            db.Contracts.Add(contract);
            db.Proposals.Add(proposal);
            db.Acceptances.Add(acceptance);
            await db.SaveChangesAsync();
            contractId = contract.Id;
        }

        Assert.Empty(await CheckAsync());

        await PlantAsync("UPDATE acceptances SET proposal_pdf_sha256 = '0000000000000000000000000000000000000000000000000000000000000000'");

        var violation = Assert.Single(await CheckAsync());
        Assert.Equal(("acceptance records what was proposed", contractId), (violation.Rule, Guid.Parse(violation.Ids.Single())));
    }

    [Fact]
    public async Task The_verify_command_prints_each_violation_with_its_ids_and_exits_non_zero()
    {
        await SoundBooksAsync();
        using var clean = new StringWriter();
        Assert.Equal(0, await Cli.VerifyCommand.RunAsync(engine.Settings, clean, TextWriter.Null, CancellationToken.None));
        Assert.Contains("verify: no violations", clean.ToString(), StringComparison.Ordinal);

        await PlantAsync("UPDATE contracts SET value_minor = value_minor + 1");
        using var report = new StringWriter();

        Assert.Equal(1, await Cli.VerifyCommand.RunAsync(engine.Settings, report, TextWriter.Null, CancellationToken.None));
        Assert.Contains("rule 1 plan adds up: 1 violation(s)", report.ToString(), StringComparison.Ordinal);
        Assert.Contains("but milestones sum to", report.ToString(), StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<Violation>> CheckAsync()
    {
        await using var db = engine.NewDb();
        return await new InvariantChecker(db).CheckAsync();
    }

    /// <summary>A fresh database per test: two organizations, three invoices, a partial payment, a partial credit note.</summary>
    private async Task SoundBooksAsync()
    {
        await ResetAsync();
        var clock = new FakeTimeProvider(Seed.Now);
        await Seed.OrganizationAsync(engine, "Other");
        var (organization, client) = await Seed.OrganizationAsync(engine);
        var contract = await Seed.ContractWithApprovedMilestonesAsync(engine, organization, client, 4);
        await using var db = engine.NewDb(organization.Id);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var org = await db.Organizations.SingleAsync();
        var loaded = await db.Contracts.Include(c => c.Milestones).SingleAsync();
        var invoicing = new Invoicing(db, clock);
        var invoices = new List<Invoice>();
        foreach (var milestone in loaded.Milestones.OrderBy(m => m.Position).Take(3))
            invoices.Add(await invoicing.BillMilestoneAsync(org, loaded, milestone, Actor.System));
        await db.SaveChangesAsync();

        var payment = new Payment(Guid.CreateVersion7(), org.Id, client.Id, new Money(15_000, Currency.EUR), DateOnly.FromDateTime(Seed.Now.UtcDateTime), "bank_transfer", "REF-1", Seed.Now);
        payment.ApplyTo(invoices[0], invoices[0].Gross, Seed.Now);
        db.Payments.Add(payment);
        var refund = new Refund(Guid.CreateVersion7(), org.Id, client.Id, new Money(1_000, Currency.EUR), DateOnly.FromDateTime(Seed.Now.UtcDateTime), "bank_transfer", "RF-1", Seed.Now);
        db.Refunds.Add(refund);
        db.RefundParts.AddRange(refund.TakeFrom([payment], Seed.Now));
        var number = await Data.DocumentNumbers.NextAsync(db, org.Id, NumberFormat.Parse(org.CreditNoteSeriesFormat), DateOnly.FromDateTime(Seed.Now.UtcDateTime));
        var credit = new CreditNote(Guid.CreateVersion7(), invoices[1], CreditSplit.Proportional(CreditSplit.Remaining(invoices[1], []), new Money(2_000, Currency.EUR)), "Goodwill", number, DateOnly.FromDateTime(Seed.Now.UtcDateTime), org.ToSnapshot(), client.ToSnapshot(org.CountryCode), Seed.Now);
        invoices[1].Credit(credit.Gross);
        db.CreditNotes.Add(credit);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        // Every approved milestone is billed, so the books are sound.
        await using var db2 = engine.NewDb(organization.Id);
        await using var t2 = await db2.Database.BeginTransactionAsync();
        var c2 = await db2.Contracts.Include(c => c.Milestones).SingleAsync();
        await new Invoicing(db2, clock).BillMilestoneAsync(await db2.Organizations.SingleAsync(), c2, c2.Milestones.OrderBy(m => m.Position).Last(), Actor.System);
        await db2.SaveChangesAsync();
        await t2.CommitAsync();
    }

    private async Task ResetAsync()
    {
        await using var db = engine.NewDb();
        var tables = new[] { "acceptances", "proposals", "audit_log", "idempotency_requests", "api_keys", "receivable_totals", "open_receivables", "contract_values", "refund_parts", "refunds", "payment_applications", "payments", "credit_notes", "invoice_lines", "disputes", "invoices", "change_order_items", "change_orders", "milestone_events", "milestones", "contracts", "document_counters", "contacts", "templates", "clients", "organizations" };
        await WithoutTriggersAsync(db, string.Join("; ", tables.Select(t => $"DELETE FROM {t}")));
    }

    private async Task PlantAsync(string sql)
    {
        await using var db = engine.NewDb();
        await WithoutTriggersAsync(db, sql);
    }

    /// <summary>Runs SQL with the immutability triggers out of the way, as an attacker with database access could.</summary>
    internal static async Task WithoutTriggersAsync(Data.CairnDb db, string sql)
    {
        if (db.IsPostgres)
        {
            var replicaScript = "SET session_replication_role = replica; " + sql + "; SET session_replication_role = DEFAULT;";
            await db.Database.ExecuteSqlRawAsync(replicaScript);
            return;
        }

        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var triggers = new List<(string Name, string Sql)>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                triggers.Add((reader.GetString(0), reader.GetString(1)));
        }

        var script = "PRAGMA foreign_keys = OFF; " + string.Join(" ", triggers.Select(t => $"DROP TRIGGER {t.Name};")) + sql + "; " + string.Join(" ", triggers.Select(t => t.Sql + ";")) + " PRAGMA foreign_keys = ON;";
        await using var command = connection.CreateCommand();
        command.CommandText = script;
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class SqliteInvariantChecker(SqliteEngine engine) : InvariantCheckerTests<SqliteEngine>(engine);

public sealed class PostgresInvariantChecker(PostgresEngine engine) : InvariantCheckerTests<PostgresEngine>(engine);
