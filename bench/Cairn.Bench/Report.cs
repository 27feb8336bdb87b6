using System.Globalization;
using System.Text;

namespace Cairn.Bench;

/// <summary>One request measured at ~10k and at ~1M invoices.</summary>
internal sealed record SweepResult(string Operation, LoadResult Small, LoadResult Large)
{
    public double Ratio => Large.Throughput / Small.Throughput;

    /// <summary>A reference measured beside Cairn's requests (no target of its own).</summary>
    public bool Reference { get; init; }
}

/// <summary>Everything one benchmark run measured, and its rendering as <c>latest.md</c>.</summary>
internal sealed class Report(bool smoke, Sizes sizes)
{
    public bool Smoke { get; } = smoke;

    public Sizes Sizes { get; } = sizes;

    public string UptimeBefore { get; init; } = "";

    public string UptimeAfter { get; set; } = "";

    public string PgbenchVersion { get; init; } = "";

    public string PostgresSettings { get; init; } = "";

    public TimeSpan Elapsed { get; set; }

    public List<string> Notes { get; } = [];

    public PdfResult? Pdf { get; set; }

    public List<LoadResult> ApprovePostgres { get; } = [];

    public List<LoadResult> Pgbench { get; } = [];

    /// <summary>The approve floor on PostgreSQL: bench/floor/approve-postgres.sql under pgbench -M prepared.</summary>
    public List<LoadResult> ApproveFloorPostgres { get; } = [];

    /// <summary>The approve floor on SQLite: the same statements by hand over Microsoft.Data.Sqlite.</summary>
    public List<LoadResult> ApproveFloorSqlite { get; } = [];

    /// <summary>The contract read floor: one prepared query over Npgsql.</summary>
    public List<LoadResult> ContractReadFloor { get; } = [];

    public List<LoadResult> ApproveSqlite { get; } = [];

    public List<LoadResult> SqliteInserts { get; } = [];

    public List<LoadResult> ContractRead { get; } = [];

    public List<LoadResult> Trivial { get; } = [];

    public string ReportData { get; set; } = "";

    /// <summary>The 10k vs 1M sweep (issue 16): each request's load result on the small and on the large database.</summary>
    public List<SweepResult> Sweep { get; } = [];

    /// <summary>Clients used by the sweep and the multi-instance runs.</summary>
    public int SweepClients { get; set; }

    /// <summary>Approvals through nginx with 1, 2, 3 instances, and what <c>cairn verify</c> said afterwards.</summary>
    public List<(int Count, LoadResult Result, string Verify)> Instances { get; } = [];

    public string NginxVersion { get; set; } = "";

    public Timing? Dashboard { get; set; }

    public Timing? DashboardSql { get; set; }

    public Timing? Aging { get; set; }

    public Timing? AgingSql { get; set; }

    public Memory IdleMemory { get; set; }

    public Memory LoadMemory { get; set; }

    public List<double> StartupPostgres { get; set; } = [];

    public List<double> StartupSqlite { get; set; } = [];

    /// <summary>Start-up to the first answered authenticated API read, PostgreSQL (the target is judged on this, the later of the two answers).</summary>
    public List<double> ApiStartupPostgres { get; set; } = [];

    public List<double> ApiStartupSqlite { get; set; } = [];

    /// <summary>Which build of the server was measured (the ready-to-run publish in a full run).</summary>
    public string ServerBuild { get; set; } = "`dotnet build -c Release` output";

    /// <summary>The targets of issue 6: what was measured, whether it is met, and how far off it is (1 = exactly on target, above 1 = short by that factor).</summary>
    public List<(string Target, string Measured, bool Met, double Shortfall)> Targets()
    {
        var rows = new List<(string, string, bool, double)>();
        void Floor(string what, List<LoadResult> cairn, List<LoadResult> floor, double goal)
        {
            foreach (var (c, f) in cairn.Zip(floor).Where(p => p.First.Clients >= 4 || Smoke))
            {
                var target = F($"{what} ≥ {goal}× its floor at {Counted.Clients(c.Clients)}");
                var errors = c.Errors + f.Errors > 0 ? F($"; errors {c.Errors} / {f.Errors}") : "";
                if (f.Throughput <= 0)
                {
                    // A floor that completed nothing gives no ratio: the row says so and is not met.
                    rows.Add((target, F($"no ratio: the floor completed nothing ({c.Throughput:0}/s vs 0/s{errors})"), false, double.NaN));
                    continue;
                }

                var ratio = c.Throughput / f.Throughput;
                rows.Add((target, F($"{ratio:0.00}× ({c.Throughput:0}/s vs {f.Throughput:0}/s{errors})"), ratio >= goal, goal / ratio));
            }
        }

        Floor("approve → invoice, PostgreSQL,", ApprovePostgres, ApproveFloorPostgres, 0.5);
        Floor("approve → invoice, SQLite,", ApproveSqlite, ApproveFloorSqlite, 0.3);
        if (ContractRead.Count > 0 && ContractReadFloor.Count > 0)
        {
            var (read, floor) = (ContractRead[^1], ContractReadFloor[^1]);
            var ratio = read.Throughput / floor.Throughput;
            rows.Add(($"contract read ≥ 0.3× its floor (hand-written read) at {Counted.Clients(read.Clients)}", F($"{ratio:0.00}× ({read.Throughput:0}/s vs {floor.Throughput:0}/s)"), ratio >= 0.3, 0.3 / ratio));
            rows.Add(($"contract read p99 < 5 ms at {Counted.Clients(read.Clients)}", F($"{read.P99:0.0} ms"), read.P99 < 5, read.P99 / 5));
        }

        foreach (var sweep in Sweep.Where(s => !s.Reference))
            rows.Add((F($"{sweep.Operation} at 1M invoices ≥ 0.8× its rate at 10k"), F($"{sweep.Ratio:0.00}× ({sweep.Large.Throughput:0}/s vs {sweep.Small.Throughput:0}/s)"), sweep.Ratio >= 0.8, 0.8 / sweep.Ratio));

        if (Dashboard is { } dashboard)
            rows.Add(("dashboard p95 < 100 ms at 1,000,000 invoices", F($"{dashboard.P95:0} ms"), dashboard.P95 < 100, dashboard.P95 / 100));
        if (Aging is { } aging)
            rows.Add(("aging p95 < 100 ms at 1,000,000 invoices", F($"{aging.P95:0} ms"), aging.P95 < 100, aging.P95 / 100));
        if (Pdf is { } pdf)
            rows.Add(("≥ 200 invoice PDFs/s per core", F($"{pdf.PerCore:0}/s"), pdf.PerCore >= 200, 200 / pdf.PerCore));
        rows.Add(("RSS under load ≤ 250 MB", F($"{LoadMemory.PeakMiB:0} MiB peak (VmHWM)"), LoadMemory.PeakMiB <= 250, LoadMemory.PeakMiB / 250));
        var startup = ApiStartupPostgres.Concat(ApiStartupSqlite).ToList();
        if (startup.Count > 0)
        {
            var median = LoadResult.Percentile(startup, 0.5);
            rows.Add(("first answer ≤ 1.5 s after start (authenticated API read)", F($"{median:0.00} s median, {startup.Max():0.00} s worst"), median <= 1.5, median / 1.5));
        }

        return rows;
    }

    /// <summary>A short text summary for the console: each target met or missed; in a smoke run only what ran, since its numbers mean nothing.</summary>
    public string Summary()
    {
        if (Smoke)
        {
            var ran = new StringBuilder("smoke run: every benchmark ran end to end at tiny sizes; these numbers mean nothing, so no target is judged (the full run: bench/run.sh):\n");
            foreach (var (target, measured, _, _) in Targets())
                ran.Append(CultureInfo.InvariantCulture, $"  ran   {target}: {measured}\n");
            return ran.ToString();
        }

        var text = new StringBuilder("targets of issues 6 and 16:\n");
        foreach (var (target, measured, met, _) in Targets())
            text.Append(CultureInfo.InvariantCulture, $"  {(met ? "met " : "MISS")}  {target}: {measured}\n");
        var furthest = Targets().Where(t => !t.Met && !double.IsNaN(t.Shortfall)).OrderByDescending(t => t.Shortfall).FirstOrDefault();
        if (furthest.Target is not null)
            text.Append(CultureInfo.InvariantCulture, $"furthest from its target: {furthest.Target} ({furthest.Measured}; short by {furthest.Shortfall:0.0}×)\n");
        return text.ToString();
    }

    public string Markdown(string plotFile)
    {
        var md = new StringBuilder();
        md.AppendLine(Smoke ? "# Cairn benchmarks — smoke run (tiny sizes; numbers mean nothing)" : "# Cairn benchmarks — latest full run");
        md.AppendLine();
        md.AppendLine(F($"Written by `bench/run.sh{(Smoke ? " --smoke" : "")}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC in {Elapsed.TotalMinutes:0.0} min. Release builds; everything on 127.0.0.1."));
        md.AppendLine();
        md.AppendLine("**Machine**: " + F($"{Environment.ProcessorCount} cores shared with other engineers' builds and tests, .NET {Environment.Version}, {PostgresSettings}, {PgbenchVersion}."));
        md.AppendLine($"Load before the run: {UptimeBefore}. After: {UptimeAfter}. The other work on the machine moves every number here; compare ratios (both sides measured in the same minute) rather than absolute figures.");
        md.AppendLine();
        md.AppendLine("## Where Cairn stands on the targets of issues 6 and 16");
        md.AppendLine();
        md.AppendLine("| target | measured | met? | shortfall |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (var (target, measured, met, shortfall) in Targets())
            md.AppendLine(F($"| {target} | {measured} | {(met ? "yes" : "**no**")} | {(met || double.IsNaN(shortfall) ? "—" : $"{shortfall:0.0}×")} |"));
        var furthest = Targets().Where(t => !t.Met && !double.IsNaN(t.Shortfall)).OrderByDescending(t => t.Shortfall).FirstOrDefault();
        if (furthest.Target is not null)
            md.AppendLine().AppendLine(F($"Furthest from its target: **{furthest.Target}** ({furthest.Measured}, short by {furthest.Shortfall:0.0}×)."));
        md.AppendLine();

        md.AppendLine("## 1. Approve → invoice issued over HTTP, PostgreSQL, beside its floor and pgbench TPC-B (same server, same run)");
        md.AppendLine();
        md.AppendLine(F($"Each Cairn operation is `POST /api/v1/milestones/{{id}}/approve` with an `Idempotency-Key` on a distinct submitted milestone; it answers 200 with the issued invoice (number drawn gap-free, audit, idempotency record, outbox events, one transaction). The **floor** is the same work by hand on Cairn's own database and schema (keys, unique indexes, checks, the receivable-totals trigger): `bench/floor/approve-postgres.sql`, 12 statements in one transaction under `pgbench -M prepared`, writing the same rows with the values a real approval of this run wrote. pgbench TPC-B: built-in script, scale {Sizes.PgbenchScale}. Both pgbench runs use `-j min(clients, 2)`, latencies from the per-transaction log. Before anything is measured the fresh server gets {Sizes.Settle.TotalSeconds:0} s of approvals and reads (the JIT settles); then per side and client count a {Sizes.Warmup.TotalSeconds:0.#} s warm-up and {Sizes.Duration.TotalSeconds:0.#} s measured, the three sides alternating, each window (in sections 1 to 3) started once the server has finished the outbox work the last one left (see the notes)."));
        md.AppendLine();
        Triple(md, "Cairn approve", ApprovePostgres, "floor", ApproveFloorPostgres, "pgbench TPC-B", Pgbench);

        md.AppendLine("## 2. Approve → invoice issued over HTTP, SQLite, beside its floor and committed single-row inserts");
        md.AppendLine();
        md.AppendLine("The **floor** is the same statements as section 1's script, by hand over Microsoft.Data.Sqlite (prepared, one connection per client, `BEGIN IMMEDIATE`), on the server's own database file with Cairn's pragmas (WAL, `synchronous=FULL`). The other reference is a loop of single-row `INSERT`s, each its own committed transaction, into a file with the same pragmas.");
        md.AppendLine();
        Triple(md, "Cairn approve", ApproveSqlite, "floor", ApproveFloorSqlite, "SQLite inserts", SqliteInserts);

        md.AppendLine("## 3. Reading a contract over HTTP, beside its floor and a trivial endpoint of the same server (PostgreSQL)");
        md.AppendLine();
        md.AppendLine("`GET /api/v1/contracts/{id}` (API key authentication, the contract with its 10 milestones and their invoices, as JSON). The **floor** is the contract, its milestones and their invoices in one prepared query over Npgsql from the benchmark process, every column read (no HTTP, no authentication, no JSON). `GET /livez`: no authentication, no database, same server process.");
        md.AppendLine();
        Triple(md, "contract read", ContractRead, "floor", ContractReadFloor, "/livez", Trivial);

        if (Sweep.Count > 0)
        {
            md.AppendLine("## 3b. The same requests at 10,000 and at 1,000,000 invoices (PostgreSQL): no request's cost grows with the books");
            md.AppendLine();
            md.AppendLine(F($"Two databases loaded the same way (section 4's loader: issued invoices, older ones mostly paid), one with ~10k invoices and one with ~1M, plus submitted milestones to approve; the same server build on each (two servers, both settled by {Sizes.Settle.TotalSeconds:0} s of all four requests first), {SweepClients} clients; each request is measured at 10k and at 1M in turn, twice (small, large, small, large; warm-up {Sizes.Warmup.TotalSeconds:0.#} s and {(Sizes.Duration / 2).TotalSeconds:0.#} s measured each time), so a change of the machine's load falls on both sizes; throughput is over both windows, p50 and p99 the worse of the two. Payments: `POST /api/v1/payments` for a client with open invoices (applied oldest first); credit notes: `POST /api/v1/invoices/{{id}}/credit-notes` of 1.00 on an open invoice. The last two rows are no Cairn requests but references, from the benchmark process straight to PostgreSQL with no server in between: section 3's hand-written read on the same contracts, and a payment's writes by hand (lock the client, sum its payments, find its oldest open invoice, insert the payment, apply it, its two audit entries, its event and stored answer, as prepared statements in one transaction) for the same clients. They show how much the same reads and writes slow down at 1M by themselves (the books outgrow PostgreSQL's 128 MB of shared buffers); at 10k the hand-written payments also collide on the rows of fewer customers (20 against ~1,000), which holds back their small-books figure more than Cairn's longer requests (docs/architecture.md has them one at a time)."));
            md.AppendLine();
            md.AppendLine("| request | 10k /s | p50 ms | p99 ms | errors | 1M /s | p50 ms | p99 ms | errors | ratio 1M / 10k (throughput) |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var sweep in Sweep)
                md.AppendLine(F($"| {sweep.Operation} | {sweep.Small.Throughput:0} | {sweep.Small.P50:0.0} | {sweep.Small.P99:0.0} | {sweep.Small.Errors} | {sweep.Large.Throughput:0} | {sweep.Large.P50:0.0} | {sweep.Large.P99:0.0} | {sweep.Large.Errors} | **{sweep.Ratio:0.00}×** |"));
            md.AppendLine();
        }

        if (Instances.Count > 0)
        {
            md.AppendLine("## 3c. Several instances behind nginx on one PostgreSQL");
            md.AppendLine();
            md.AppendLine(F($"1, 2 and 3 Cairn servers (same build, same database) behind nginx (`{NginxVersion}`, one worker, round robin, keep-alive to the upstreams), approvals at {Counted.Clients(Instances[0].Result.Clients)} through the proxy, each configuration after {Sizes.Settle.TotalSeconds:0} s of settling load; afterwards `cairn verify` checks the books (gap-free numbers across instances, one invoice per milestone). On this 2-core machine the instances share the same two cores with PostgreSQL, nginx and the load generator: the figures show the overhead of scaling out here, not the gain on more hardware."));
            md.AppendLine();
            md.AppendLine("| instances | approve /s | p50 ms | p99 ms | errors | verify |");
            md.AppendLine("| ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (var (count, result, verify) in Instances)
                md.AppendLine(F($"| {count} | {result.Throughput:0} | {result.P50:0.0} | {result.P99:0.0} | {result.Errors} | {verify} |"));
            md.AppendLine();
        }

        md.AppendLine("## 4. Dashboard and aging report over a large data set (PostgreSQL), beside hand-written SQL");
        md.AppendLine();
        md.AppendLine($"Data: {ReportData}. Cairn: `GET /api/v1/reports/dashboard` and `/aging` over HTTP, one at a time; reference: the same figures in hand-written SQL, one round trip each, read to the last row, from the benchmark process. The server is first settled by {Sizes.Settle.TotalSeconds:0} s of both reports (its JIT and the scheduled jobs' first passes over the books); then {Sizes.ReportIterations} timed calls each after 3 warm-up calls, Cairn's two reports before the SQL.");
        md.AppendLine();
        md.AppendLine("| report | Cairn p50 ms | Cairn p95 ms | SQL p50 ms | SQL p95 ms | ratio (SQL p95 / Cairn p95) | target p95 < 100 ms |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var (name, cairn, sql) in new[] { ("dashboard", Dashboard, DashboardSql), ("aging", Aging, AgingSql) })
        {
            if (cairn is not null && sql is not null)
                md.AppendLine(F($"| {name} | {cairn.P50:0.0} | {cairn.P95:0.0} | {sql.P50:0.0} | {sql.P95:0.0} | {sql.P95 / cairn.P95:0.00} | {(cairn.P95 < 100 ? "met" : "**missed**")} |"));
        }

        md.AppendLine();
        md.AppendLine("## 5. Invoice PDFs rendered per second per core");
        md.AppendLine();
        if (Pdf is { } pdf)
            md.AppendLine(F($"{pdf.Count} invoices rendered on one thread after a warm-up: **{pdf.PerCore:0} PDFs/s per core** (counted against the CPU time the process used, GC included), {pdf.PerSecondWall:0}/s wall, {pdf.AverageBytes / 1024.0:0.0} KiB each. Target ≥ 200: {(pdf.PerCore >= 200 ? "met" : "**missed**")}. (Same code as `Cairn.Bench pdf`.)"));
        md.AppendLine();

        md.AppendLine("## 6. Server memory and start-up");
        md.AppendLine();
        md.AppendLine("| figure | value | target |");
        md.AppendLine("| --- | ---: | --- |");
        md.AppendLine(F($"| RSS at idle (PostgreSQL, after start-up, no requests) | {IdleMemory.RssMiB:0} MiB | |"));
        md.AppendLine(F($"| RSS under load (highest VmRSS sampled every 200 ms during sections 1 and 3) | {LoadMemory.RssMiB:0} MiB | ≤ 250 MB |"));
        md.AppendLine(F($"| peak RSS (VmHWM at the end of the load) | {LoadMemory.PeakMiB:0} MiB | ≤ 250 MB |"));
        md.AppendLine(F($"| start-up to first answered `/healthz`, PostgreSQL ({StartupPostgres.Count} starts) | median {Median(StartupPostgres):0.00} s, worst {Max(StartupPostgres):0.00} s | ≤ 1.5 s |"));
        md.AppendLine(F($"| start-up to first answered `/healthz`, SQLite ({StartupSqlite.Count} starts) | median {Median(StartupSqlite):0.00} s, worst {Max(StartupSqlite):0.00} s | ≤ 1.5 s |"));
        md.AppendLine(F($"| start-up to first answered API read (`GET /api/v1/clients` with an API key), PostgreSQL | median {Median(ApiStartupPostgres):0.00} s, worst {Max(ApiStartupPostgres):0.00} s | ≤ 1.5 s |"));
        md.AppendLine(F($"| start-up to first answered API read, SQLite | median {Median(ApiStartupSqlite):0.00} s, worst {Max(ApiStartupSqlite):0.00} s | ≤ 1.5 s |"));
        md.AppendLine();
        md.AppendLine($"Start-up is timed from starting `dotnet Cairn.Server.dll` ({ServerBuild}; existing, migrated database) to the first 200 from `/healthz`, polled every 10 ms, and then to the first 200 from an authenticated API read (which also needs EF Core's model, built in the background while the database is migrated).");
        md.AppendLine();

        md.AppendLine("## Plot");
        md.AppendLine();
        md.AppendLine($"![throughput and p99 latency against concurrent clients]({plotFile})");
        md.AppendLine();
        if (Notes.Count > 0)
        {
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var note in Notes)
                md.AppendLine($"- {note}");
            md.AppendLine();
        }

        return md.ToString();
    }

    private static void Triple(StringBuilder md, string name, List<LoadResult> cairn, string floorName, List<LoadResult> floor, string referenceName, List<LoadResult> reference)
    {
        md.AppendLine($"| clients | {name} /s | p50 ms | p99 ms | errors | {floorName} /s | p50 ms | p99 ms | errors | **ratio to the floor** | {referenceName} /s | ratio |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var i = 0; i < cairn.Count; i++)
        {
            var c = cairn[i];
            var f = i < floor.Count ? floor[i] : null;
            var r = i < reference.Count ? reference[i] : null;
            md.AppendLine(F($"| {c.Clients} | {c.Throughput:0}{(c.Exhausted ? " (ran out of data)" : "")} | {c.P50:0.0} | {c.P99:0.0} | {c.Errors} | {f?.Throughput:0}{(f?.Exhausted == true ? " (ran out of data)" : "")} | {f?.P50:0.00} | {f?.P99:0.00} | {f?.Errors} | **{(f is { Throughput: > 0 } ? F($"{c.Throughput / f.Throughput:0.00}×") : "—")}** | {r?.Throughput:0} | {c.Throughput / r?.Throughput:0.00}× |"));
        }

        md.AppendLine();
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : LoadResult.Percentile(values, 0.5);

    private static double Max(List<double> values) => values.Count == 0 ? double.NaN : values.Max();

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Counts in words for the report: "1 client", "4 clients".</summary>
internal static class Counted
{
    public static string Clients(int count) => count == 1 ? "1 client" : string.Create(CultureInfo.InvariantCulture, $"{count} clients");
}
