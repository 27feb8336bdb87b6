using System.Collections.Concurrent;
using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Cairn.Server.Tests.Persistence;

/// <summary>The database-level guarantees of DESIGN.md §4, checked on a real engine.</summary>
public abstract class PersistenceTests<TEngine>(TEngine engine) : IClassFixture<TEngine>
    where TEngine : Engine
{
    private readonly FakeTimeProvider _clock = new(Seed.Now);

    [Fact]
    public async Task Issuing_500_invoices_from_16_concurrent_tasks_numbers_them_1_to_500_without_gap_or_duplicate()
    {
        var (organization, client) = await Seed.OrganizationAsync(engine);
        var contract = await Seed.ContractWithApprovedMilestonesAsync(engine, organization, client, 500);
        var queue = new ConcurrentQueue<Guid>(contract.Milestones.Select(m => m.Id));

        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var milestoneId))
                await BillAsync(organization.Id, contract.Id, milestoneId);
        }));
        await Task.WhenAll(workers);

        await using var db = engine.NewDb(organization.Id);
        var sequences = await db.Invoices.Select(i => i.Sequence!.Value).OrderBy(s => s).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), sequences);
        var numbers = await db.Invoices.Select(i => i.Number!).ToListAsync();
        Assert.Equal(500, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.Matches(@"^INV-2026-\d{6}$", n));
    }

    [Fact]
    public async Task A_second_live_invoice_for_the_same_milestone_is_rejected_by_the_database()
    {
        var (organization, client) = await Seed.OrganizationAsync(engine);
        var contract = await Seed.ContractWithApprovedMilestonesAsync(engine, organization, client, 1);
        var milestoneId = contract.Milestones[0].Id;
        await BillAsync(organization.Id, contract.Id, milestoneId);

        await using var db = engine.NewDb(organization.Id);
        var loaded = await db.Contracts.Include(c => c.Milestones).SingleAsync(c => c.Id == contract.Id);
        db.Invoices.Add(new Invoice(Guid.CreateVersion7(), loaded, loaded.Milestones[0], Seed.Now));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        await using var check = engine.NewDb(organization.Id);
        Assert.Equal(1, await check.Invoices.CountAsync(i => i.MilestoneId == milestoneId));
    }

    [Theory]
    [InlineData("UPDATE invoices SET gross_minor = gross_minor + 100, net_minor = net_minor + 100 WHERE id = {0}")]
    [InlineData("UPDATE invoices SET number = 'INV-FAKE' WHERE id = {0}")]
    [InlineData("UPDATE invoices SET due_date = issue_date WHERE id = {0}")]
    [InlineData("UPDATE invoices SET status = 'Draft' WHERE id = {0}")]
    [InlineData("DELETE FROM invoices WHERE id = {0}")]
    [InlineData("UPDATE invoice_lines SET net_minor = 1 WHERE invoice_id = {0}")]
    [InlineData("DELETE FROM invoice_lines WHERE invoice_id = {0}")]
    public async Task The_database_rejects_changes_to_an_issued_invoice(string sql)
    {
        var (organization, invoiceId) = await IssuedInvoiceAsync();
        await using var db = engine.NewDb(organization.Id);
        var before = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleAsync(i => i.Id == invoiceId);

        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync(sql, Param(invoiceId)));

        Assert.Contains("cairn:", error.Message, StringComparison.Ordinal);
        var after = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleAsync(i => i.Id == invoiceId);
        Assert.Equal(before.ContentHash, after.ContentHash);
        Assert.Equal(before.ComputeContentHash(), after.ComputeContentHash());
        Assert.Equal(before.Lines.Single().NetMinor, after.Lines.Single().NetMinor);
    }

    [Fact]
    public async Task Settlement_figures_of_an_issued_invoice_can_still_move()
    {
        var (organization, invoiceId) = await IssuedInvoiceAsync();
        await using var db = engine.NewDb(organization.Id);
        var invoice = await db.Invoices.Include(i => i.Lines).SingleAsync(i => i.Id == invoiceId);

        invoice.ApplyPayment(invoice.Gross);
        await db.SaveChangesAsync();

        await using var check = engine.NewDb(organization.Id);
        var paid = await check.Invoices.SingleAsync(i => i.Id == invoiceId);
        Assert.Equal(InvoiceStatus.Paid, paid.Status);
        Assert.True(paid.Balance.IsZero);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET actor = 'someone-else' WHERE organization_id = {0}")]
    [InlineData("DELETE FROM audit_log WHERE organization_id = {0}")]
    public async Task The_database_rejects_changes_to_the_audit_log(string sql)
    {
        var (organization, _) = await IssuedInvoiceAsync();
        await using var db = engine.NewDb(organization.Id);
        var before = await db.AuditLog.CountAsync();
        Assert.True(before > 0);

        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync(sql, Param(organization.Id)));

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await db.AuditLog.CountAsync(a => !a.Actor.StartsWith("someone")));
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_again_changes_nothing()
    {
        await using var db = engine.NewDb();
        var version = await Migrator.MigrateAsync(db);

        Assert.Equal(Migrator.LatestVersion(db.IsPostgres), version);
        Assert.Equal(version, await Migrator.MigrateAsync(db));
    }

    [Fact]
    public async Task A_unit_of_work_without_a_tenant_sees_no_rows()
    {
        var (organization, client) = await Seed.OrganizationAsync(engine);
        await Seed.ContractWithApprovedMilestonesAsync(engine, organization, client, 2);

        await using var anonymous = engine.NewDb();
        await using var other = engine.NewDb(Guid.CreateVersion7());
        await using var owner = engine.NewDb(organization.Id);

        Assert.Equal(0, await anonymous.Contracts.CountAsync());
        Assert.Equal(0, await other.Milestones.CountAsync());
        Assert.Equal(2, await owner.Milestones.CountAsync());
    }

    [Fact]
    public async Task A_contract_with_its_plan_and_history_reads_back_exactly()
    {
        var (organization, client) = await Seed.OrganizationAsync(engine);
        var contract = await Seed.ContractWithApprovedMilestonesAsync(engine, organization, client, 3);

        await using var db = engine.NewDb(organization.Id);
        var loaded = await db.Contracts.Include(c => c.Milestones).ThenInclude(m => m.History).SingleAsync(c => c.Id == contract.Id);

        Assert.Equal(ContractStatus.Active, loaded.Status);
        Assert.Equal(new Money(30_000, Currency.EUR), loaded.Value);
        Assert.Equal(Percentage.FromBasisPoints(2000), loaded.TaxRate);
        Assert.Equal(3, loaded.Milestones.Count);
        var first = loaded.Milestones.OrderBy(m => m.Position).First();
        Assert.Equal(MilestoneStatus.Approved, first.Status);
        Assert.Equal(3, first.History.Count);
        Assert.Equal(["https://example.test/deliverable"], first.History.Single(h => h.Kind == MilestoneEventKind.Submitted).Links);
        Assert.Equal("contact:contact-1", first.ApprovedBy);
    }

    private async Task<(Organization Organization, Guid InvoiceId)> IssuedInvoiceAsync()
    {
        var (organization, client) = await Seed.OrganizationAsync(engine);
        var contract = await Seed.ContractWithApprovedMilestonesAsync(engine, organization, client, 1);
        return (organization, await BillAsync(organization.Id, contract.Id, contract.Milestones[0].Id));
    }

    private async Task<Guid> BillAsync(Guid organizationId, Guid contractId, Guid milestoneId)
    {
        await using var db = engine.NewDb(organizationId);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var organization = await db.Organizations.SingleAsync();
        var contract = await db.Contracts.SingleAsync(c => c.Id == contractId);
        var milestone = await db.Milestones.SingleAsync(m => m.Id == milestoneId);
        var invoice = await new Invoicing(db, _clock).BillMilestoneAsync(organization, contract, milestone, Actor.System);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return invoice.Id;
    }

    private object Param(Guid id) => engine.Settings.IsPostgres ? id : id.ToString().ToUpperInvariant();
}

public sealed class SqlitePersistence(SqliteEngine engine) : PersistenceTests<SqliteEngine>(engine);

/// <summary>SQLite only: the pragmas Cairn's durability and integrity rest on hold on every connection.</summary>
public sealed class SqlitePragmaTests(SqliteEngine engine) : IClassFixture<SqliteEngine>
{
    // The pragmas are set once per physical connection (SqlitePragmas); a pooled connection handed to
    // unit of work after unit of work must still enforce foreign keys and commit durably, and so must a new one.
    [Fact]
    public async Task Every_unit_of_work_on_a_pooled_or_a_new_connection_runs_with_wal_foreign_keys_and_full_sync()
    {
        for (var round = 0; round < 2; round++)
        {
            for (var unit = 0; unit < 3; unit++)
            {
                await using var db = engine.NewDb();
                await db.Database.OpenConnectionAsync();
                Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
                Assert.Equal("1", await PragmaAsync(db, "foreign_keys"));
                Assert.Equal("2", await PragmaAsync(db, "synchronous"));
                Assert.Equal("30000", await PragmaAsync(db, "busy_timeout"));
                var orphan = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
                    db.Database.ExecuteSqlRawAsync("INSERT INTO milestone_events (id, organization_id, milestone_id, kind, from_status, to_status, links, actor, at) VALUES ('x', 'x', 'no such milestone', 'x', 'x', 'x', '[]', 'x', 'x')"));
                Assert.Contains("FOREIGN KEY constraint failed", orphan.Message, StringComparison.Ordinal);
            }

            // New physical connections next round.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    private static async Task<string> PragmaAsync(CairnDb db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}

public sealed class PostgresPersistence(PostgresEngine engine) : PersistenceTests<PostgresEngine>(engine);

/// <summary>A database made by an older version of Cairn upgrades in place, keeping its data.</summary>
public abstract class UpgradeTests<TEngine>(TEngine engine) : IClassFixture<TEngine>
    where TEngine : Engine
{
    [Fact]
    public async Task A_version_1_database_with_invoices_upgrades_to_the_latest_schema_and_keeps_its_data()
    {
        // The fixture migrated to the latest version; start again from a schema at version 1.
        Assert.Equal(1, await StartAgainAtVersionAsync(1));

        // Rows as version 1 wrote them (the current model no longer fits that schema): a 20% contract
        // with two milestones and its issued invoice, and a 0% contract whose invoice carries the exemption.
        var (organizationId, clientId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (taxed, exempt) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (milestone1, milestone2, milestone3) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (taxedInvoice, exemptInvoice) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var v1 = engine.NewDb())
        {
            object Id(Guid id) => v1.IsPostgres ? id : id.ToString().ToUpperInvariant();
            object Day(DateOnly day) => v1.IsPostgres ? day : day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            object At(DateTimeOffset at) => v1.IsPostgres ? at : at.ToString("yyyy-MM-dd HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
            var (day, due) = (new DateOnly(2026, 11, 2), new DateOnly(2026, 12, 2));
            await v1.Database.ExecuteSqlAsync($"INSERT INTO organizations (id, name, address, tax_id, email, default_currency, payment_terms_days, invoice_series_format, credit_note_series_format, issue_mode, created_at) VALUES ({Id(organizationId)}, 'Acme Studio', '1 Rue de la Paix, Paris', 'FR123', '', 'EUR', 30, 'INV-{{yyyy}}-{{seq:000000}}', 'CN-{{yyyy}}-{{seq:000000}}', 'Immediately', {At(Seed.Now)})");
            await v1.Database.ExecuteSqlAsync($"INSERT INTO clients (id, organization_id, name, address, version, created_at) VALUES ({Id(clientId)}, {Id(organizationId)}, 'Globex', '2 Main St', 1, {At(Seed.Now)})");
            foreach (var (contract, bp, reason) in new[] { (taxed, 2000, (string?)null), (exempt, 0, "Exempt: education") })
                await v1.Database.ExecuteSqlAsync($"INSERT INTO contracts (id, organization_id, client_id, title, currency, value_minor, tax_rate_basis_points, tax_exemption_reason, payment_terms_days, status, version, created_at) VALUES ({Id(contract)}, {Id(organizationId)}, {Id(clientId)}, 'Website', 'EUR', 20000, {bp}, {reason}, 30, 'Active', 3, {At(Seed.Now)})");
            foreach (var (milestone, contract, position) in new[] { (milestone1, taxed, 1), (milestone2, taxed, 2), (milestone3, exempt, 1) })
                await v1.Database.ExecuteSqlAsync($"INSERT INTO milestones (id, organization_id, contract_id, position, title, currency, fixed_amount_minor, amount_minor, \"trigger\", status, version) VALUES ({Id(milestone)}, {Id(organizationId)}, {Id(contract)}, {position}, 'Design', 'EUR', 10000, 10000, 'OnApproval', 'Approved', 4)");
            foreach (var (invoice, contract, milestone, tax, reason, bp, sequence) in new[] { (taxedInvoice, taxed, milestone1, 2000L, (string?)null, 2000, 1L), (exemptInvoice, exempt, milestone3, 0L, "Exempt: education", 0, 2L) })
            {
                var number = $"INV-2026-{sequence:000000}";
                var hash = DocumentHash.Of(invoice, number, "EUR", 10000L, tax, 10000L + tax, day, due, reason, clientId, contract, milestone, null, null,
                    DocumentHash.Of(1, "Website: Design", 10000L, bp));
                await v1.Database.ExecuteSqlAsync($"INSERT INTO invoices (id, organization_id, client_id, contract_id, milestone_id, status, series, sequence, number, currency, net_minor, tax_minor, gross_minor, paid_minor, credited_minor, payment_terms_days, tax_exemption_reason, issue_date, due_date, created_at, issued_at, content_hash) VALUES ({Id(invoice)}, {Id(organizationId)}, {Id(clientId)}, {Id(contract)}, {Id(milestone)}, 'Draft', 'INV-2026-{{seq}}', {sequence}, {number}, 'EUR', 10000, {tax}, {10000L + tax}, 0, 0, 30, {reason}, {Day(day)}, {Day(due)}, {At(Seed.Now)}, {At(Seed.Now)}, {hash})");
                await v1.Database.ExecuteSqlAsync($"INSERT INTO invoice_lines (id, invoice_id, position, description, currency, net_minor, tax_rate_basis_points) VALUES ({Id(Guid.CreateVersion7())}, {Id(invoice)}, 1, 'Website: Design', 'EUR', 10000, {bp})");
                await v1.Database.ExecuteSqlAsync($"UPDATE invoices SET status = 'Issued' WHERE id = {Id(invoice)}");
            }
        }

        await using var db = engine.NewDb(organizationId);
        var latest = await Migrator.MigrateAsync(db);

        Assert.Equal(Migrator.LatestVersion(db.IsPostgres), latest);
        Assert.True(latest > 1);
        var reloaded = await db.Contracts.Include(c => c.Milestones).SingleAsync(c => c.Id == taxed);
        Assert.Equal(2, reloaded.Milestones.Count);
        Assert.Equal((TaxCategory.S, "20"), (reloaded.TaxCategory, reloaded.TaxRate.ToDecimalString()));
        var exempted = await db.Contracts.SingleAsync(c => c.Id == exempt);
        Assert.Equal((TaxCategory.E, "0", "Exempt: education"), (exempted.TaxCategory, exempted.TaxRate.ToDecimalString(), exempted.TaxExemptionReason));
        var invoices = await db.Invoices.Include(i => i.Lines).OrderBy(i => i.Sequence).ToListAsync();
        Assert.Equal(["S 20 ", "E 0 Exempt: education"], invoices.Select(i => $"{i.Lines[0].TaxCategory} {i.Lines[0].TaxRate.ToDecimalString()} {i.Lines[0].TaxExemptionReason}"));
        Assert.All(invoices, i => Assert.Equal(i.ContentHash, i.ComputeContentHash()));
        Assert.Equal(0, await db.ApiKeys.CountAsync());
        Assert.Equal("UTC", (await db.Organizations.SingleAsync()).TimeZone);

        // Contracts active before acceptance records existed were activated by staff, and say so.
        var acceptances = await db.Acceptances.AsNoTracking().ToListAsync();
        Assert.Equal(await db.Contracts.CountAsync(c => c.Status == ContractStatus.Active), acceptances.Count);
        Assert.All(acceptances, a => Assert.Equal((AcceptanceMethod.Staff, "system:system"), (a.Method, a.Actor)));
    }

    [Fact]
    public async Task A_credit_note_from_before_its_tax_groups_were_stored_keeps_its_hash_its_e_invoice_split_and_a_clean_verify()
    {
        Assert.Equal(1, await StartAgainAtVersionAsync(1));

        // A 20% invoice of 10,000.00 + 2,000.00 and a credit note of 1,200.00 against it, as version 1 wrote them.
        var (organizationId, clientId, contractId, milestoneId, invoiceId, noteId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (day, due) = (new DateOnly(2026, 11, 2), new DateOnly(2026, 12, 2));
        await using (var v1 = engine.NewDb())
        {
            object Id(Guid id) => v1.IsPostgres ? id : id.ToString().ToUpperInvariant();
            object Day(DateOnly d) => v1.IsPostgres ? d : d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            object At(DateTimeOffset at) => v1.IsPostgres ? at : at.ToString("yyyy-MM-dd HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
            await v1.Database.ExecuteSqlAsync($"INSERT INTO organizations (id, name, address, tax_id, email, default_currency, payment_terms_days, invoice_series_format, credit_note_series_format, issue_mode, created_at) VALUES ({Id(organizationId)}, 'Acme Studio', '1 Rue de la Paix, Paris', 'FR123', '', 'EUR', 30, 'INV-{{yyyy}}-{{seq:000000}}', 'CN-{{yyyy}}-{{seq:000000}}', 'Immediately', {At(Seed.Now)})");
            await v1.Database.ExecuteSqlAsync($"INSERT INTO clients (id, organization_id, name, address, version, created_at) VALUES ({Id(clientId)}, {Id(organizationId)}, 'Globex', '2 Main St', 1, {At(Seed.Now)})");
            await v1.Database.ExecuteSqlAsync($"INSERT INTO contracts (id, organization_id, client_id, title, currency, value_minor, tax_rate_basis_points, tax_exemption_reason, payment_terms_days, status, version, created_at) VALUES ({Id(contractId)}, {Id(organizationId)}, {Id(clientId)}, 'Website', 'EUR', 1000000, 2000, NULL, 30, 'Active', 3, {At(Seed.Now)})");
            await v1.Database.ExecuteSqlAsync($"INSERT INTO milestones (id, organization_id, contract_id, position, title, currency, fixed_amount_minor, amount_minor, \"trigger\", status, version) VALUES ({Id(milestoneId)}, {Id(organizationId)}, {Id(contractId)}, 1, 'Design', 'EUR', 1000000, 1000000, 'OnApproval', 'Approved', 4)");
            var hash = DocumentHash.Of(invoiceId, "INV-2026-000001", "EUR", 1000000L, 200000L, 1200000L, day, due, null, clientId, contractId, milestoneId, null, null, DocumentHash.Of(1, "Website: Design", 1000000L, 2000));
            await v1.Database.ExecuteSqlAsync($"INSERT INTO invoices (id, organization_id, client_id, contract_id, milestone_id, status, series, sequence, number, currency, net_minor, tax_minor, gross_minor, paid_minor, credited_minor, payment_terms_days, tax_exemption_reason, issue_date, due_date, created_at, issued_at, content_hash) VALUES ({Id(invoiceId)}, {Id(organizationId)}, {Id(clientId)}, {Id(contractId)}, {Id(milestoneId)}, 'Draft', 'INV-2026-{{seq}}', 1, 'INV-2026-000001', 'EUR', 1000000, 200000, 1200000, 0, 0, 30, NULL, {Day(day)}, {Day(due)}, {At(Seed.Now)}, {At(Seed.Now)}, {hash})");
            await v1.Database.ExecuteSqlAsync($"INSERT INTO invoice_lines (id, invoice_id, position, description, currency, net_minor, tax_rate_basis_points) VALUES ({Id(Guid.CreateVersion7())}, {Id(invoiceId)}, 1, 'Website: Design', 'EUR', 1000000, 2000)");
            await v1.Database.ExecuteSqlAsync($"UPDATE invoices SET status = 'Issued' WHERE id = {Id(invoiceId)}");
            var noteHash = DocumentHash.Of(noteId, invoiceId, "CN-2026-000001", "EUR", 100000L, 20000L, 120000L, "Goodwill", day, null, null);
            await v1.Database.ExecuteSqlAsync($"INSERT INTO credit_notes (id, organization_id, invoice_id, client_id, series, sequence, number, currency, net_minor, tax_minor, gross_minor, reason, issue_date, seller, buyer, created_at, content_hash) VALUES ({Id(noteId)}, {Id(organizationId)}, {Id(invoiceId)}, {Id(clientId)}, 'CN-2026-{{seq}}', 1, 'CN-2026-000001', 'EUR', 100000, 20000, 120000, 'Goodwill', {Day(day)}, NULL, NULL, {At(Seed.Now)}, {noteHash})");
            await v1.Database.ExecuteSqlAsync($"UPDATE invoices SET credited_minor = 120000 WHERE id = {Id(invoiceId)}");
        }

        await using var db = engine.NewDb(organizationId);
        Assert.Equal(Migrator.LatestVersion(db.IsPostgres), await Migrator.MigrateAsync(db));

        var note = await db.CreditNotes.AsNoTracking().SingleAsync();
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleAsync();
        Assert.Empty(note.Lines);
        Assert.Equal(note.ContentHash, note.ComputeContentHash());
        Assert.Equal([(TaxCategory.S, "20", "1000.00", "200.00")], note.GroupsOn(invoice)!.Select(g => (g.Category, g.Rate.ToDecimalString(), g.Net.ToDecimalString(), g.Tax.ToDecimalString())));
        Assert.Equal([("9000.00", "1800.00")], CreditSplit.Remaining(invoice, [note]).Select(g => (g.Net.ToDecimalString(), g.Tax.ToDecimalString())));
        var violations = await new Cairn.Server.Verification.InvariantChecker(db).CheckAsync();
        Assert.DoesNotContain(violations, v => v.Rule.StartsWith("4 issued documents", StringComparison.Ordinal) || v.Rule.StartsWith("4 credit notes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_version_40_database_upgrades_each_user_into_a_membership_with_the_role_status_and_invitation_they_had()
    {
        await StartAgainAtVersionAsync(40);

        // Users as version 40 kept them: role, deactivation and the pending invitation on the user row.
        var organizationId = Guid.CreateVersion7();
        var (owner, invited, deactivated) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var invitationExpires = Seed.Now.AddDays(7);
        await using (var v40 = engine.NewDb())
        {
            object Id(Guid id) => v40.IsPostgres ? id : id.ToString().ToUpperInvariant();
            object At(DateTimeOffset at) => v40.IsPostgres ? at : at.ToString("yyyy-MM-dd HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
            await v40.Database.ExecuteSqlAsync($"INSERT INTO organizations (id, name, address, tax_id, email, default_currency, payment_terms_days, invoice_series_format, credit_note_series_format, issue_mode, created_at) VALUES ({Id(organizationId)}, 'Acme Studio', '1 Rue de la Paix, Paris', 'FR123', '', 'EUR', 30, 'INV-{{yyyy}}-{{seq:000000}}', 'CN-{{yyyy}}-{{seq:000000}}', 'Immediately', {At(Seed.Now)})");
            await v40.Database.ExecuteSqlAsync($"INSERT INTO users (id, organization_id, email, normalized_email, display_name, role, password_hash, security_stamp, version, created_at, last_sign_in_at) VALUES ({Id(owner)}, {Id(organizationId)}, 'ada@acme.test', 'ADA@ACME.TEST', 'Ada Owner', 'Owner', 'hash', 'stamp-1', 3, {At(Seed.Now)}, {At(Seed.Now.AddDays(1))})");
            await v40.Database.ExecuteSqlAsync($"INSERT INTO users (id, organization_id, email, normalized_email, display_name, role, security_stamp, invite_token_hash, invite_expires_at, version, created_at) VALUES ({Id(invited)}, {Id(organizationId)}, 'bo@acme.test', 'BO@ACME.TEST', 'Bo Viewer', 'Viewer', 'stamp-2', 'invite-hash', {At(invitationExpires)}, 1, {At(Seed.Now)})");
            await v40.Database.ExecuteSqlAsync($"INSERT INTO users (id, organization_id, email, normalized_email, display_name, role, password_hash, security_stamp, version, created_at, deactivated_at) VALUES ({Id(deactivated)}, {Id(organizationId)}, 'cy@acme.test', 'CY@ACME.TEST', 'Cy Finance', 'Finance', 'hash', 'stamp-3', 5, {At(Seed.Now)}, {At(Seed.Now.AddDays(2))})");
        }

        await using var db = engine.NewDb(organizationId);
        await Migrator.MigrateAsync(db);

        var memberships = await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == organizationId).ToDictionaryAsync(m => m.UserId);
        Assert.Equal(3, memberships.Count);
        Assert.Equal((Role.Owner, "active", "Ada Owner", 3), (memberships[owner].Role, memberships[owner].Status, memberships[owner].InvitedName, memberships[owner].Version));
        Assert.Equal((Role.Viewer, "invited", "invite-hash"), (memberships[invited].Role, memberships[invited].Status, memberships[invited].InviteTokenHash));
        Assert.Equal(invitationExpires, memberships[invited].InviteExpiresAt);
        Assert.Equal((Role.Finance, "deactivated"), (memberships[deactivated].Role, memberships[deactivated].Status));
        Assert.Equal(3, await db.Users.CountAsync());
    }

    [Fact]
    public async Task An_acceptance_recorded_at_version_75_keeps_the_documents_it_covered_through_the_change_order_upgrade()
    {
        await StartAgainAtVersionAsync(75);
        var (organizationId, clientId, contractId, acceptanceId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        const string documents = """[{"AttachmentId":"0193a000-0000-7000-8000-000000000001","FileName":"sow.pdf","Sha256":"ab12"}]""";
        await using (var v75 = engine.NewDb())
        {
            object Id(Guid id) => v75.IsPostgres ? id : id.ToString().ToUpperInvariant();
            object At(DateTimeOffset at) => v75.IsPostgres ? at : at.ToString("yyyy-MM-dd HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
            await v75.Database.ExecuteSqlAsync($"INSERT INTO organizations (id, name, address, tax_id, email, default_currency, payment_terms_days, invoice_series_format, credit_note_series_format, issue_mode, created_at) VALUES ({Id(organizationId)}, 'Acme Studio', '1 Rue de la Paix, Paris', 'FR123', '', 'EUR', 30, 'INV-{{yyyy}}-{{seq:000000}}', 'CN-{{yyyy}}-{{seq:000000}}', 'Immediately', {At(Seed.Now)})");
            await v75.Database.ExecuteSqlAsync($"INSERT INTO clients (id, organization_id, name, address, version, created_at) VALUES ({Id(clientId)}, {Id(organizationId)}, 'Globex', '2 Main St', 1, {At(Seed.Now)})");
            await v75.Database.ExecuteSqlAsync($"INSERT INTO contracts (id, organization_id, client_id, title, currency, value_minor, tax_rate_per_million, payment_terms_days, status, version, created_at) VALUES ({Id(contractId)}, {Id(organizationId)}, {Id(clientId)}, 'Website', 'EUR', 20000, 200000, 30, 'Active', 3, {At(Seed.Now)})");
            await v75.Database.ExecuteSqlAsync($"INSERT INTO acceptances (id, organization_id, contract_id, method, actor, accepted_at, documents) VALUES ({Id(acceptanceId)}, {Id(organizationId)}, {Id(contractId)}, 'Staff', 'user:ada', {At(Seed.Now)}, {documents})");
        }

        await using var db = engine.NewDb(organizationId);
        await Migrator.MigrateAsync(db);

        var kept = await db.Database.SqlQueryRaw<string>("SELECT documents AS \"Value\" FROM acceptances WHERE owner = 'Contract'").ToListAsync();
        Assert.Equal([documents], kept);
    }

    /// <summary>Drops every table of the fixture's database (whatever earlier tests left in it) and migrates it to <paramref name="version"/>.</summary>
    private async Task<int> StartAgainAtVersionAsync(int version)
    {
        await using var reset = engine.NewDb();
        var tables = await TablesAsync(reset);
        await reset.Database.OpenConnectionAsync();
        if (!reset.IsPostgres)
            await reset.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF");
        foreach (var table in tables)
            await reset.Database.ExecuteSqlRawAsync(reset.IsPostgres ? $"DROP TABLE IF EXISTS \"{table}\" CASCADE" : $"DROP TABLE IF EXISTS \"{table}\"");
        if (reset.IsPostgres)
            await reset.Database.ExecuteSqlRawAsync("""
                DO $$ DECLARE f regprocedure; BEGIN
                    FOR f IN SELECT oid::regprocedure FROM pg_proc WHERE pronamespace = 'public'::regnamespace LOOP
                        EXECUTE 'DROP FUNCTION IF EXISTS ' || f || ' CASCADE';
                    END LOOP;
                END $$
                """);
        else
            await reset.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = ON");
        await reset.Database.CloseConnectionAsync();
        return await Migrator.MigrateAsync(reset, version);
    }

    private static async Task<List<string>> TablesAsync(CairnDb db)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = db.IsPostgres
            ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            tables.Add(reader.GetString(0));
        await db.Database.CloseConnectionAsync();
        return tables;
    }
}

public sealed class SqliteUpgrade(SqliteEngine engine) : UpgradeTests<SqliteEngine>(engine);

public sealed class PostgresUpgrade(PostgresEngine engine) : UpgradeTests<PostgresEngine>(engine);
