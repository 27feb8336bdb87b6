using System.Data.Common;
using System.Text.RegularExpressions;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Persistence;

/// <summary>
/// The reads on the approve path find their rows through an index on both engines, so an
/// approval costs the same with 10 invoices as with a million: a plan that scans the invoices
/// or the contracts fails here (timings live in bench/, never in tests).
/// </summary>
public abstract partial class QueryPlanTests<TEngine>(TEngine engine) : IClassFixture<TEngine>
    where TEngine : Engine
{
    [Fact]
    public async Task A_milestones_invoices_and_its_contract_are_found_by_their_keys_not_by_reading_the_organizations_rows()
    {
        var (organization, client) = await Seed.OrganizationAsync(engine);
        var contract = await Seed.ContractWithApprovedMilestonesAsync(engine, organization, client, 3);
        var milestone = contract.Milestones[0].Id;
        await using var db = engine.NewDb(organization.Id);

        var invoicesPlan = await PlanAsync(db, db.Invoices.OfMilestone(milestone).ToQueryString());
        AssertFoundBy(invoicesPlan, "invoices", "milestone_id");

        // The approval's own read (milestone, contract, organization, client and the rest in one
        // statement) is planned as the real server sends it by RoundTripTests' sweep.
    }

    /// <summary>
    /// Issue 16: the dashboard and the aging report read the open balances per client and due date
    /// (<c>open_receivables</c>) and the running totals, never the invoices by the organization: every
    /// statement the real server sends for them is planned again here, and none may scan a table or
    /// reach <c>invoices</c> other than by one invoice's or one milestone's key. At 1,000,000 invoices
    /// the open-balance sums read 227,509 open invoices per request.
    /// </summary>
    [Fact]
    public async Task The_dashboard_and_aging_read_open_balances_by_due_date_not_every_open_invoice()
    {
        var statements = new Statements();
        await using var app = new CairnApp(engine) { TestServices = statements.AddTo };
        var (books, contract) = await FirstMilestoneBilledAsync(app);
        await books.DisputeAsync(contract.Milestones[0]);
        await books.BillAsync(contract.Milestones[1]);

        statements.Path = "/api/v1/reports";
        await books.Owner.GetOkAsync("/api/v1/reports/dashboard");
        await books.Owner.GetOkAsync("/api/v1/reports/aging");
        statements.Path = null;

        var sent = statements.Sent.Where(s => s.Sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains(sent, s => s.Sql.Contains("open_receivables", StringComparison.Ordinal));
        await using var db = engine.NewDb(books.OrganizationId);
        var faults = new List<string>();
        foreach (var statement in sent)
        {
            // Where the statement reads invoices at all, it names one invoice or one milestone (a
            // dispute's invoice, a milestone's invoices): PostgreSQL's plan of a test's few rows may
            // still pick any index, so this is read from the statement on both engines.
            foreach (Match from in InvoicesRead().Matches(statement.Sql))
            {
                if (!Regex.IsMatch(from.Groups["where"].Value, $@"\b{from.Groups["alias"].Value}\.(id|milestone_id) = "))
                    faults.Add($"reads invoices other than by a key:\n{statement.Sql}");
            }

            // The contract value comes from contract_values; contracts are read only one by its key.
            foreach (Match from in ContractsRead().Matches(statement.Sql))
            {
                if (!Regex.IsMatch(from.Groups["where"].Value, $@"""?\b{from.Groups["alias"].Value}""?\.""?id""? = "))
                    faults.Add($"reads contracts other than by a key:\n{statement.Sql}");
            }

            var plan = await PlanSentAsync(db, statement);
            if (engine.Settings.IsPostgres)
            {
                if (plan.Contains("Seq Scan on ", StringComparison.Ordinal))
                    faults.Add($"scans a table:\n{statement.Sql}\n{plan}");
            }
            else
            {
                foreach (var line in plan.Split('\n'))
                {
                    if (Regex.IsMatch(line, @"^\s*(?:\|--|`--)?\s*SCAN (?!CONSTANT ROW)\w+"))
                        faults.Add($"scans a table:\n{statement.Sql}\n{plan}");
                    if (Regex.IsMatch(line, @"SEARCH i\b") && !Regex.IsMatch(line, @"\((id|milestone_id)=\?"))
                        faults.Add($"reads invoices other than by a key:\n{statement.Sql}\n{plan}");
                }
            }
        }

        Assert.True(faults.Count == 0, string.Join("\n\n=====\n\n", faults));

        // PostgreSQL adds the minor units as integers (sum(bigint) is exact and returns numeric), not each row
        // made numeric first: half the database CPU of aging at 1,000,000 invoices (Data/IntegerSums).
        if (engine.Settings.IsPostgres)
        {
            foreach (var statement in sent.Where(s => s.Sql.Contains("SUM(", StringComparison.OrdinalIgnoreCase)))
                Assert.DoesNotContain("::numeric", statement.Sql, StringComparison.Ordinal);
        }

        // Milestones coming due: open milestones of active contracts, from their partial index alone (it joined every active contract).
        var comingDue = Assert.Single(sent, s => s.Sql.Contains("contract_status", StringComparison.Ordinal));
        Assert.DoesNotContain("contracts", comingDue.Sql.Replace("contract_status", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("ix_milestones_open_due", await PlanSentAsync(db, comingDue), StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 16: each pass of the scheduled jobs reads its candidates for every organization through a
    /// partial index of what may be due (submissions on contracts that allow work, dated instalments of
    /// active contracts, open invoices by due date), never by reading every contract, milestone or
    /// invoice of the books: a scan of a table, or a whole index that is not one of those, fails here.
    /// </summary>
    [Fact]
    public async Task The_scheduled_jobs_find_what_is_due_through_partial_indexes_not_by_reading_the_books()
    {
        var statements = new Statements();
        await using var app = new CairnApp(engine) { TestServices = statements.AddTo };
        var (books, contract) = await FirstMilestoneBilledAsync(app);
        await books.SubmitAsync(contract.Milestones[1]);
        // The outbox delivers what the set-up committed (the invoice's email reads the invoice) before the capture,
        // so the statements captured are the passes' own (a .ci/run caught the outbox's reads in the window).
        await Mailbox.Deliver(app);

        statements.OutsideRequests = true;
        await app.Services.GetRequiredService<Jobs.ScheduledBilling>().RunOnceAsync();
        await app.Services.GetRequiredService<Jobs.Dunning>().RunOnceAsync();
        statements.OutsideRequests = false;

        // The passes' own candidate queries: every organization at once, so without the tenant filter.
        var candidates = statements.Sent.Where(s => s.Sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && !s.Sql.Contains("ef_filter__", StringComparison.Ordinal) && Regex.IsMatch(s.Sql, @"FROM ""?(milestones|invoices)""?")).DistinctBy(s => s.Sql).ToList();
        await using var db = engine.NewDb(books.OrganizationId);
        var plans = new List<string>();
        foreach (var statement in candidates)
            plans.Add(await PlanSentAsync(db, statement));
        string[] bounded = ["ix_milestones_awaiting_approval", "ix_contracts_approval_window", "ix_milestones_dated", "ix_invoices_to_chase"];
        var found = string.Join("\n\n=====\n\n", candidates.Zip(plans, (s, p) => $"{s.Sql}\n{p}"));
        Assert.True(candidates.Count >= 3, $"the passes' candidate queries were not all captured:\n{found}");
        Assert.True(plans.All(p => bounded.Any(i => p.Contains(i, StringComparison.Ordinal))), $"a pass reads its candidates through none of the partial indexes:\n{found}");
        foreach (var index in new[] { "ix_milestones_dated", "ix_invoices_to_chase" })
            Assert.True(plans.Any(p => p.Contains(index, StringComparison.Ordinal)), $"no pass used {index}:\n{found}");
        var faults = candidates.Zip(plans, (s, p) => (Statement: s, Plan: p, Fault: ReadsTheBooks(p, bounded))).Where(x => x.Fault is not null)
            .Select(x => $"{x.Fault}\n{x.Statement.Sql}\n{x.Plan}").ToList();
        Assert.True(faults.Count == 0, string.Join("\n\n=====\n\n", faults));

        // Dunning reads the open invoices whose next day has come, with what was recorded for them, from the index alone
        // (migration 0118), never the invoices' rows nor every open invoice due within 60 days (migration 0116 did).
        var dunning = Assert.Single(candidates.Zip(plans), x => x.First.Sql.Contains("invoice_reminders", StringComparison.Ordinal)).Second;
        Assert.Contains(engine.Settings.IsPostgres ? "Index Only Scan using ix_invoices_to_chase" : "COVERING INDEX ix_invoices_to_chase", dunning, StringComparison.Ordinal);
    }

    /// <summary>Books with an active contract of three milestones whose first is billed.</summary>
    private static async Task<(Books Books, Cairn.Domain.Contract Contract)> FirstMilestoneBilledAsync(CairnApp app)
    {
        var books = await Books.OpenAsync(app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 2000, 500);
        await books.BillAsync(contract.Milestones[0]);
        return (books, contract);
    }

    /// <summary>What in a plan reads a whole table or a whole index that is not a bounded partial one; null when nothing does.</summary>
    private string? ReadsTheBooks(string plan, string[] bounded)
    {
        if (engine.Settings.IsPostgres)
        {
            if (plan.Contains("Seq Scan on ", StringComparison.Ordinal))
                return "scans a table";
            foreach (Match node in PostgresNode().Matches(plan))
            {
                if (node.Groups["cond"].Value.Length == 0 && !bounded.Any(i => Regex.IsMatch(node.Value, $@"\b(using|on) {i}\b")))
                    return $"reads all of {node.Groups["table"].Value}";
            }

            return null;
        }

        foreach (var line in plan.Split('\n'))
        {
            if (Regex.Match(line, @"^\s*(?:\|--|`--)?\s*SCAN (?!CONSTANT ROW)(?<table>\w+)") is { Success: true } scan && !bounded.Any(i => line.Contains($"INDEX {i}", StringComparison.Ordinal)))
                return $"scans {scan.Groups["table"].Value}";
        }

        return null;
    }

    /// <summary>The plan of a statement as the server sent it, with its own parameters; PostgreSQL is told to avoid sequential scans, so it scans only where no index can serve.</summary>
    private static async Task<string> PlanSentAsync(CairnDb db, Statements.Statement statement)
    {
        var connection = await Statements.PlanningConnectionAsync(db);

        return await statement.PlanAsync(connection, db.IsPostgres);
    }

    /// <summary>
    /// The plan reaches <paramref name="table"/> only through an index on <paramref name="column"/>:
    /// not a scan, and not an index on something else (such as the organization, which would read
    /// every invoice of the books).
    /// </summary>
    private void AssertFoundBy(string plan, string table, string column)
    {
        if (engine.Settings.IsPostgres)
        {
            var nodes = PostgresNode().Matches(plan).Where(m => m.Groups["table"].Value == table).ToList();
            Assert.True(nodes.Count > 0, $"{table} is not in the plan:\n{plan}");
            Assert.All(nodes, n => Assert.True(n.Groups["scan"].Value.Contains("Index", StringComparison.Ordinal) && Regex.IsMatch(n.Groups["cond"].Value, $@"\b{column} = "), $"{table} is not found by {column}:\n{plan}"));
        }
        else
        {
            // SQLite names a table by its alias, which EF Core makes of the table's first letter.
            var lines = plan.Split('\n').Where(l => Regex.IsMatch(l, $@"^(SCAN|SEARCH) {table[0]}\b")).ToList();
            Assert.True(lines.Count > 0, $"{table} is not in the plan:\n{plan}");
            Assert.All(lines, l => Assert.Matches($@"^SEARCH {table[0]} USING .*\({column}=\?", l));
        }
    }

    // A PostgreSQL plan node on a table and its index condition, e.g. "Index Scan using ix_… on invoices i" + "Index Cond: (milestone_id = '…'::uuid)".
    [GeneratedRegex(@"(?<scan>[A-Za-z ]*Scan)(?: using \S+)? on (?<table>\w+)[^\n]*(?:\n\s+(?:Index Cond|Recheck Cond): (?<cond>[^\n]*))?")]
    private static partial Regex PostgresNode();

    /// <summary>The plan of a statement as EF Core wrote it, with its parameters as literals; PostgreSQL is told to avoid sequential scans, so it scans only where no index can serve.</summary>
    private static async Task<string> PlanAsync(CairnDb db, string sql)
    {
        var parameters = new Dictionary<string, string>();
        var statement = new List<string>();
        foreach (var line in sql.Split('\n'))
        {
            if (SqliteParameter().Match(line) is { Success: true } s)
                parameters[s.Groups["name"].Value] = s.Groups["value"].Value;
            else if (PostgresParameter().Match(line) is { Success: true } p)
                parameters[p.Groups["name"].Value] = $"'{p.Groups["value"].Value}'";
            else
                statement.Add(line);
        }

        var text = string.Join('\n', statement);
        foreach (var (name, value) in parameters.OrderByDescending(p => p.Key.Length))
            text = text.Replace(name, value, StringComparison.Ordinal);

        await db.Database.OpenConnectionAsync();
        await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = db.IsPostgres ? "SET enable_seqscan = off; EXPLAIN " + text : "EXPLAIN QUERY PLAN " + text;
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                lines.Add(reader.GetString(reader.FieldCount - 1));
        }

        return string.Join('\n', lines);
    }

    // "FROM invoices AS i" and the WHERE line after it, as EF Core writes a (sub)query over invoices.
    [GeneratedRegex(@"FROM invoices AS (?<alias>\w+)\s*\n\s*(?:WHERE (?<where>[^\n]*))?")]
    private static partial Regex InvoicesRead();

    // "FROM contracts AS c" (PostgreSQL) or "FROM \"contracts\" AS \"c\"" (SQLite) and the WHERE line after it.
    [GeneratedRegex(@"FROM ""?contracts""? AS ""?(?<alias>\w+)""?\s*\n\s*(?:WHERE (?<where>[^\n]*))?")]
    private static partial Regex ContractsRead();

    // ".param set @__milestoneId_0 '0190…'" (SQLite) and "-- @__milestoneId_0='0190…'" (PostgreSQL, with an optional type).
    [GeneratedRegex(@"^\.param set (?<name>@\S+) (?<value>'[^']*')")]
    private static partial Regex SqliteParameter();

    [GeneratedRegex(@"^-- (?<name>@\S+?)='(?<value>[^']*)'")]
    private static partial Regex PostgresParameter();
}

public sealed class SqliteQueryPlan(SqliteEngine engine) : QueryPlanTests<SqliteEngine>(engine);

public sealed class PostgresQueryPlan(PostgresEngine engine) : QueryPlanTests<PostgresEngine>(engine);
