using System.Globalization;
using System.Text;

namespace Cairn.Bench;

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

    public List<LoadResult> ApproveSqlite { get; } = [];

    public List<LoadResult> SqliteInserts { get; } = [];

    public List<LoadResult> ContractRead { get; } = [];

    public List<LoadResult> Trivial { get; } = [];

    public string ReportData { get; set; } = "";

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
        foreach (var (cairn, reference) in ApprovePostgres.Zip(Pgbench))
        {
            var ratio = cairn.Throughput / reference.Throughput;
            rows.Add(($"approve → invoice ≥ 0.5× pgbench TPC-B at {cairn.Clients} clients", F($"{ratio:0.00}× ({cairn.Throughput:0}/s vs {reference.Throughput:0}/s)"), ratio >= 0.5, 0.5 / ratio));
        }

        if (ContractRead.Count > 0)
        {
            var (read, trivial) = (ContractRead[^1], Trivial[^1]);
            var ratio = read.Throughput / trivial.Throughput;
            rows.Add(($"contract read ≥ 0.4× trivial endpoint at {read.Clients} clients", F($"{ratio:0.00}× ({read.Throughput:0}/s vs {trivial.Throughput:0}/s)"), ratio >= 0.4, 0.4 / ratio));
            rows.Add(($"contract read p99 < 5 ms at {read.Clients} clients", F($"{read.P99:0.0} ms"), read.P99 < 5, read.P99 / 5));
        }

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

    /// <summary>A short text summary for the console.</summary>
    public string Summary()
    {
        var text = new StringBuilder("targets of issue 6:\n");
        foreach (var (target, measured, met, _) in Targets())
            text.Append(CultureInfo.InvariantCulture, $"  {(met ? "met " : "MISS")}  {target}: {measured}\n");
        var furthest = Targets().Where(t => !t.Met).OrderByDescending(t => t.Shortfall).FirstOrDefault();
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
        md.AppendLine("## Where Cairn stands on the targets of issue 6");
        md.AppendLine();
        md.AppendLine("| target | measured | met? | shortfall |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (var (target, measured, met, shortfall) in Targets())
            md.AppendLine(F($"| {target} | {measured} | {(met ? "yes" : "**no**")} | {(met ? "—" : $"{shortfall:0.0}×")} |"));
        var furthest = Targets().Where(t => !t.Met).OrderByDescending(t => t.Shortfall).FirstOrDefault();
        if (furthest.Target is not null)
            md.AppendLine().AppendLine(F($"Furthest from its target: **{furthest.Target}** ({furthest.Measured}, short by {furthest.Shortfall:0.0}×)."));
        md.AppendLine();

        md.AppendLine("## 1. Approve → invoice issued over HTTP, PostgreSQL, beside pgbench TPC-B (same server, same run)");
        md.AppendLine();
        md.AppendLine(F($"Each Cairn operation is `POST /api/v1/milestones/{{id}}/approve` with an `Idempotency-Key` on a distinct submitted milestone; it answers 200 with the issued invoice (number drawn gap-free, audit, idempotency record, one transaction). pgbench: built-in TPC-B-like script, scale {Sizes.PgbenchScale}, `-j min(clients, 2)`, latencies from its per-transaction log. Warm-up {Sizes.Warmup.TotalSeconds:0.#} s, then {Sizes.Duration.TotalSeconds:0.#} s measured, per side and client count."));
        md.AppendLine();
        Pair(md, "Cairn approve", ApprovePostgres, "pgbench TPC-B", Pgbench);

        md.AppendLine("## 2. Approve → invoice issued over HTTP, SQLite, beside committed single-row inserts");
        md.AppendLine();
        md.AppendLine("The reference is a loop of `INSERT` statements, each its own committed transaction, into a WAL database file with `synchronous=FULL` and a busy timeout (Cairn's own pragmas), one connection per client.");
        md.AppendLine();
        Pair(md, "Cairn approve", ApproveSqlite, "SQLite inserts", SqliteInserts);

        md.AppendLine("## 3. Reading a contract over HTTP, beside a trivial endpoint of the same server (PostgreSQL)");
        md.AppendLine();
        md.AppendLine("`GET /api/v1/contracts/{id}` (API key authentication, the contract with its 10 milestones and their invoices) against `GET /livez` (no authentication, no database) on the same server process.");
        md.AppendLine();
        Pair(md, "contract read", ContractRead, "/livez", Trivial);

        md.AppendLine("## 4. Dashboard and aging report over a large data set (PostgreSQL), beside hand-written SQL");
        md.AppendLine();
        md.AppendLine($"Data: {ReportData}. Cairn: `GET /api/v1/reports/dashboard` and `/aging` over HTTP, one at a time; reference: the same figures in hand-written SQL, one round trip each, read to the last row, from the benchmark process. {Sizes.ReportIterations} timed calls each after 3 warm-up calls.");
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

    private static void Pair(StringBuilder md, string name, IReadOnlyList<LoadResult> cairn, string referenceName, IReadOnlyList<LoadResult> reference)
    {
        md.AppendLine($"| clients | {name} /s | p50 ms | p99 ms | errors | {referenceName} /s | p50 ms | p99 ms | ratio (throughput) |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (c, r) in cairn.Zip(reference))
            md.AppendLine(F($"| {c.Clients} | {c.Throughput:0}{(c.Exhausted ? " (ran out of data)" : "")} | {c.P50:0.0} | {c.P99:0.0} | {c.Errors} | {r.Throughput:0} | {r.P50:0.00} | {r.P99:0.00} | **{c.Throughput / r.Throughput:0.00}×** |"));
        md.AppendLine();
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : LoadResult.Percentile(values, 0.5);

    private static double Max(List<double> values) => values.Count == 0 ? double.NaN : values.Max();

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
