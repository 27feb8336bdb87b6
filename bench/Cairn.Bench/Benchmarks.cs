using System.Diagnostics;
using System.Globalization;
using Cairn.Server.Data;
using Npgsql;

namespace Cairn.Bench;

/// <summary>How big and how long each benchmark runs: the full run of issue 6, or a smoke run that only proves the code still works.</summary>
internal sealed record Sizes(
    int[] Clients,
    TimeSpan Warmup,
    TimeSpan Duration,
    int PostgresMilestones,
    int SqliteMilestones,
    int ReportContracts,
    int InvoicesPerContract,
    int ReportClients,
    int ReportIterations,
    int PdfCount,
    int PgbenchScale,
    int Starts,
    TimeSpan Settle,
    int PostgresFloorMilestones,
    int SqliteFloorMilestones,
    int SweepMilestones)
{
    /// <summary>The full run. <see cref="Settle"/>: load on a fresh server before anything is measured, so the JIT has settled (issue 16: ~20 s).</summary>
    public static readonly Sizes Full = new([1, 4, 16], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), 30_000, 15_000, 100_000, 10, 2_000, 40, 1_000, 16, 5, TimeSpan.FromSeconds(25), 80_000, 40_000, 8_000);

    public static readonly Sizes Smoke = new([1, 2], TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(0.5), 300, 300, 200, 10, 20, 3, 20, 1, 0, TimeSpan.FromSeconds(0.5), 4_000, 300, 200);
}

/// <summary>All the benchmarks of issue 6, each measured beside its reference in the same run, written to <c>latest.md</c> and a plot.</summary>
internal static class Benchmarks
{
    public static async Task<int> RunAsync(Options options)
    {
        var smoke = options.Flag("smoke");
        var sizes = smoke ? Sizes.Smoke : Sizes.Full;
        if (options.Optional("report-contracts") is not null)
            sizes = sizes with { ReportContracts = options.Int("report-contracts", sizes.ReportContracts) };
        var only = options.Optional("only");
        bool Runs(string section) => only is null || only.Split(',').Contains(section);
        var serverDll = Path.GetFullPath(options.Required("server"));
        var cliDll = Path.GetFullPath(options.Required("cli"));
        var admin = options.Optional("postgres") ?? Environment.GetEnvironmentVariable("CAIRN_TEST_POSTGRES") ?? throw new ArgumentException("--postgres (an admin connection string) is required");
        var pgbench = options.Required("pgbench");
        var output = Directory.CreateDirectory(options.Required("out")).FullName;
        var work = Directory.CreateTempSubdirectory("cairn-bench-").FullName;
        var report = new Report(smoke, sizes)
        {
            ServerBuild = options.Optional("server-build") ?? "`dotnet build -c Release` output",
            UptimeBefore = Uptime(),
            PgbenchVersion = await PgBench.VersionAsync(pgbench),
            PostgresSettings = await PostgresSettingsAsync(admin),
        };
        var clock = Stopwatch.StartNew();
        var created = new List<string>();
        try
        {
            if (Runs("pdf"))
            {
                Step($"PDF rendering ({sizes.PdfCount} invoices)");
                report.Pdf = PdfBench.Measure(sizes.PdfCount);
            }

            if (Runs("postgres"))
                await PostgresAsync(report, sizes, serverDll, cliDll, admin, pgbench, work, created);
            if (Runs("sqlite"))
                await SqliteAsync(report, sizes, serverDll, cliDll, work);
            if (Runs("reports"))
                await ReportsAsync(report, sizes, serverDll, cliDll, admin, work, created);
            if (Runs("instances"))
            {
                if (options.Optional("nginx") is { } nginx)
                    await InstancesAsync(report, sizes, serverDll, cliDll, admin, nginx, work, created);
                else
                    report.Notes.Add("Several instances behind nginx: not measured (no --nginx; bench/run.sh passes it when nginx is installed).");
            }

            report.UptimeAfter = Uptime();
            report.Elapsed = clock.Elapsed;
            var markdown = Path.Combine(output, smoke ? "smoke.md" : "latest.md");
            var plot = Path.Combine(output, smoke ? "smoke.svg" : "latest.svg");
            await File.WriteAllTextAsync(plot, Plot.Svg(report));
            await File.WriteAllTextAsync(markdown, report.Markdown(Path.GetFileName(plot)));
            Console.WriteLine();
            Console.WriteLine(report.Summary());
            Console.WriteLine(smoke
                ? $"smoke report: {markdown} ({clock.Elapsed.TotalSeconds:0} s; bench/run.sh --smoke removes its folder when it exits)"
                : $"written: {markdown} and {plot} ({clock.Elapsed.TotalSeconds:0} s)");
            return 0;
        }
        finally
        {
            foreach (var database in created)
                await Databases.DropPostgresAsync(admin, database);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Creates a database with the reporting data set and keeps it; prints its connection string and an owner API key.
    /// The sweep's small books are <c>--contracts 1000 --clients 20</c> (a client's own invoices as many as in the large ones).
    /// </summary>
    public static async Task<int> ReportsDataAsync(Options options)
    {
        var admin = options.Optional("postgres") ?? Environment.GetEnvironmentVariable("CAIRN_TEST_POSTGRES") ?? throw new ArgumentException("--postgres is required");
        var database = await Databases.CreatePostgresAsync(admin, "cairn_reports");
        var key = await Databases.ProvisionAsync(Path.GetFullPath(options.Required("cli")), database, null, "Reports data");
        var clock = Stopwatch.StartNew();
        var figures = await Seeding.ReportingDataAsync(new DatabaseSettings("postgres", database), options.Int("contracts", Sizes.Full.ReportContracts), Sizes.Full.InvoicesPerContract, options.Int("clients", Sizes.Full.ReportClients), new Progress<string>(p => Console.WriteLine($"    {p} ({clock.Elapsed.TotalSeconds:0} s)")));
        Console.WriteLine($"{figures.Invoices} invoices loaded in {clock.Elapsed.TotalSeconds:0} s");
        Console.WriteLine($"database: {database}");
        Console.WriteLine($"api key: {key}");
        return 0;
    }

    /// <summary>
    /// PostgreSQL: start-up time and idle memory; approve → invoice at each client count beside pgbench
    /// TPC-B on the same server; then reading a contract beside the trivial <c>/livez</c>; memory under load.
    /// </summary>
    private static async Task PostgresAsync(Report report, Sizes sizes, string serverDll, string cliDll, string admin, string pgbench, string work, List<string> created)
    {
        var database = await Databases.CreatePostgresAsync(admin, "cairn_bench");
        created.Add(database);
        var pgbenchDatabase = await Databases.CreatePostgresAsync(admin, "pgbench");
        created.Add(pgbenchDatabase);
        Step("PostgreSQL: provisioning and seeding submitted milestones");
        var key = await Databases.ProvisionAsync(cliDll, database, null, "Bench PostgreSQL");
        var seedClock = Stopwatch.StartNew();
        var (milestones, contracts) = await Seeding.SubmittedMilestonesAsync(new DatabaseSettings("postgres", database), sizes.PostgresMilestones);
        var (floorMilestones, _) = await Seeding.SubmittedMilestonesAsync(new DatabaseSettings("postgres", database), sizes.PostgresFloorMilestones);
        await Floors.QueuePostgresAsync(database, floorMilestones);
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL approve data: {milestones.Count:N0} submitted milestones for Cairn and {floorMilestones.Count:N0} more for the floor (other contracts), seeded through EF Core in {seedClock.Elapsed.TotalSeconds:0} s."));
        Step($"pgbench -i -s {sizes.PgbenchScale}");
        await PgBench.InitAsync(pgbench, pgbenchDatabase, sizes.PgbenchScale);

        var command = new ServerCommand(serverDll, database, null, Path.Combine(work, "server-postgres.log")) { ApiKey = key };
        (report.StartupPostgres, report.ApiStartupPostgres) = await StartupTimesAsync(command, sizes.Starts);
        await using var server = await ServerProcess.StartAsync(command);
        report.StartupPostgres.Add(server.StartupTime.TotalSeconds);
        report.ApiStartupPostgres.Add(server.FirstApiAnswerTime.TotalSeconds);
        await Task.Delay(TimeSpan.FromSeconds(SmokeOr(sizes, 0.2, 3)));
        report.IdleMemory = server.ReadMemory();

        using var api = new CairnApi(server.BaseAddress, key, sizes.Clients.Max() + 2, TimeSpan.FromSeconds(60));
        using var anonymous = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = sizes.Clients.Max() + 2 }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var peak = new Memory(0, 0);
        void Sample()
        {
            var now = server.ReadMemory();
            peak = new Memory(Math.Max(peak.RssKiB, now.RssKiB), Math.Max(peak.PeakKiB, now.PeakKiB));
        }

        var queue = new Queue<Guid>(milestones);
        var random = new Random(3);
        var readable = contracts.Take(500).ToList();
        async Task<bool?> ReadAsync(CancellationToken ct)
        {
            Guid id;
            lock (random)
                id = readable[random.Next(readable.Count)];
            return (await api.GetAsync($"/api/v1/contracts/{id}", ct)).Status == 200;
        }

        await PrimeAsync(api, queue, contracts, SmokeOr(sizes, 3, 50));
        Step($"PostgreSQL: {sizes.Settle.TotalSeconds:0} s of approvals and contract reads before measuring (the JIT settles)");
        await LoadRun.RunAsync(4, sizes.Settle, TimeSpan.Zero, (worker, ct) => worker % 2 == 0 ? ApproveAsync(api, queue, ct) : ReadAsync(ct));
        var sample = await Floors.SamplePostgresAsync(database);
        // Every window starts once the server is done with what the last one queued (the emails with PDFs
        // and the webhooks of the approvals just measured, in the outbox): otherwise the floors and the
        // reads are measured beside a server still rendering the last window's invoices. An approval's
        // own window still carries the outbox work its approvals queue while it runs.
        var quiet = QuietWaits.For([server.Pid], sizes);
        foreach (var clients in sizes.Clients)
        {
            Step($"PostgreSQL: approve → invoice, {Counted.Clients(clients)}");
            await quiet.WaitAsync();
            report.ApprovePostgres.Add(await LoadRun.RunAsync(clients, sizes.Warmup, sizes.Duration, (_, ct) => ApproveAsync(api, queue, ct), Sample));
            Step($"PostgreSQL: the approve floor (bench/floor/approve-postgres.sql, pgbench -M prepared), {Counted.Clients(clients)}");
            await quiet.WaitAsync();
            report.ApproveFloorPostgres.Add(await PgBench.RunAsync(pgbench, database, clients, sizes.Warmup, sizes.Duration, work, Floors.ApproveArguments(sample)));
            Step($"PostgreSQL: pgbench TPC-B, {Counted.Clients(clients)}");
            await quiet.WaitAsync();
            report.Pgbench.Add(await PgBench.RunAsync(pgbench, pgbenchDatabase, clients, sizes.Warmup, sizes.Duration, work));
        }

        await using var handRead = await HandWrittenContractRead.OpenAsync(database, sample.Organization, sizes.Clients.Max());
        foreach (var clients in sizes.Clients)
        {
            Step($"PostgreSQL: GET /api/v1/contracts/{{id}}, the hand-written read and /livez, {Counted.Clients(clients)}");
            await quiet.WaitAsync();
            report.ContractRead.Add(await LoadRun.RunAsync(clients, sizes.Warmup, sizes.Duration, (_, ct) => ReadAsync(ct), Sample));
            await quiet.WaitAsync();
            report.ContractReadFloor.Add(await LoadRun.RunAsync(clients, sizes.Warmup, sizes.Duration, (worker, ct) =>
            {
                Guid id;
                lock (random)
                    id = readable[random.Next(readable.Count)];
                return handRead.ReadAsync(worker, id, ct);
            }));
            await quiet.WaitAsync();
            report.Trivial.Add(await LoadRun.RunAsync(clients, sizes.Warmup, sizes.Duration, async (_, ct) =>
            {
                using var answer = await anonymous.GetAsync(new Uri("/livez", UriKind.Relative), ct);
                await answer.Content.ReadAsStringAsync(ct);
                return answer.IsSuccessStatusCode;
            }, Sample));
        }

        report.Notes.Add(quiet.Note("PostgreSQL sections 1 and 3"));

        Sample();
        report.LoadMemory = peak;
    }

    /// <summary>SQLite: start-up time; approve → invoice at each client count beside plain committed single-row inserts into the same kind of file.</summary>
    private static async Task SqliteAsync(Report report, Sizes sizes, string serverDll, string cliDll, string work)
    {
        var data = Path.Combine(work, "sqlite");
        Step("SQLite: provisioning and seeding submitted milestones");
        var key = await Databases.ProvisionAsync(cliDll, null, data, "Bench SQLite");
        var seedClock = Stopwatch.StartNew();
        var file = Path.Combine(data, "cairn.db");
        var (milestones, contracts) = await Seeding.SubmittedMilestonesAsync(DatabaseSettings.Sqlite(file), sizes.SqliteMilestones);
        var (floorMilestones, _) = await Seeding.SubmittedMilestonesAsync(DatabaseSettings.Sqlite(file), sizes.SqliteFloorMilestones);
        SqliteApproveFloor.Queue(file, floorMilestones);
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"SQLite approve data: {milestones.Count:N0} submitted milestones for Cairn and {floorMilestones.Count:N0} for the floor, seeded through EF Core in {seedClock.Elapsed.TotalSeconds:0} s."));
        var command = new ServerCommand(serverDll, null, data, Path.Combine(work, "server-sqlite.log")) { ApiKey = key };
        (report.StartupSqlite, report.ApiStartupSqlite) = await StartupTimesAsync(command, sizes.Starts);
        await using var server = await ServerProcess.StartAsync(command);
        report.StartupSqlite.Add(server.StartupTime.TotalSeconds);
        report.ApiStartupSqlite.Add(server.FirstApiAnswerTime.TotalSeconds);
        using var api = new CairnApi(server.BaseAddress, key, sizes.Clients.Max() + 2, TimeSpan.FromSeconds(60));
        var queue = new Queue<Guid>(milestones);
        await PrimeAsync(api, queue, contracts, SmokeOr(sizes, 3, 50));
        Step($"SQLite: {sizes.Settle.TotalSeconds:0} s of approvals before measuring (the JIT settles)");
        await LoadRun.RunAsync(2, sizes.Settle, TimeSpan.Zero, (_, ct) => ApproveAsync(api, queue, ct));
        using var floor = new SqliteApproveFloor(file, await Floors.SampleSqliteAsync(file), sizes.Clients.Max());
        var quiet = QuietWaits.For([server.Pid], sizes);
        foreach (var clients in sizes.Clients)
        {
            Step($"SQLite: approve → invoice, {Counted.Clients(clients)}");
            await quiet.WaitAsync();
            report.ApproveSqlite.Add(await LoadRun.RunAsync(clients, sizes.Warmup, sizes.Duration, (_, ct) => ApproveAsync(api, queue, ct)));
            Step($"SQLite: the approve floor (the same statements by hand, prepared), {Counted.Clients(clients)}");
            await quiet.WaitAsync();
            report.ApproveFloorSqlite.Add(await LoadRun.RunAsync(clients, sizes.Warmup, sizes.Duration, (worker, _) => Task.FromResult(floor.Approve(worker))));
            Step($"SQLite: single-row committed inserts, {Counted.Clients(clients)}");
            using var inserts = new SqliteInserts(Path.Combine(work, $"reference-{clients}.db"), clients);
            await quiet.WaitAsync();
            report.SqliteInserts.Add(await LoadRun.RunAsync(clients, sizes.Warmup, sizes.Duration, (worker, _) => Task.FromResult<bool?>(inserts.Insert(worker))));
        }

        report.Notes.Add(quiet.Note("SQLite section 2"));
    }

    /// <summary>The dashboard and the aging report over the large data set, over HTTP, beside the same figures computed by hand-written SQL.</summary>
    private static async Task ReportsAsync(Report report, Sizes sizes, string serverDll, string cliDll, string admin, string work, List<string> created)
    {
        var database = await Databases.CreatePostgresAsync(admin, "cairn_reports");
        created.Add(database);
        var key = await Databases.ProvisionAsync(cliDll, database, null, "Bench reports");
        Step($"reports: bulk-loading {sizes.ReportContracts:N0} contracts and {sizes.ReportContracts * sizes.InvoicesPerContract:N0} invoices (COPY)");
        var loadClock = Stopwatch.StartNew();
        var figures = await Seeding.ReportingDataAsync(new DatabaseSettings("postgres", database), sizes.ReportContracts, sizes.InvoicesPerContract, sizes.ReportClients, new Progress<string>(p => Console.WriteLine($"    {p} ({loadClock.Elapsed.TotalSeconds:0} s)")));
        report.ReportData = string.Create(CultureInfo.InvariantCulture,
            $"{figures.Contracts:N0} contracts of {figures.Clients:N0} clients, {figures.Milestones:N0} milestones, {figures.Invoices:N0} issued invoices (one line each), {figures.Payments:N0} payments applied to {figures.Applications:N0} invoices; bulk-loaded with binary COPY from domain objects in {loadClock.Elapsed.TotalSeconds:0} s (VACUUM ANALYZE included)");
        Step("reports: measuring");
        await using var server = await ServerProcess.StartAsync(new ServerCommand(serverDll, database, null, Path.Combine(work, "server-reports.log")));
        using var api = new CairnApi(server.BaseAddress, key, 2, TimeSpan.FromMinutes(5));
        var (db, organization) = await Seeding.OpenAsync(new DatabaseSettings("postgres", database));
        await db.DisposeAsync();
        await using var sql = new NpgsqlConnection(database);
        await sql.OpenAsync();
        var handWritten = new HandWrittenReports(sql, organization.Id);

        // Settled like the other sections first: a fresh server spends its first seconds compiling, and its
        // scheduled jobs' first passes read the whole books (dunning's read of every open invoice took 3-8 s
        // of PostgreSQL CPU at 1,000,000 invoices), which the old 3 warm-up calls measured as the reports'
        // p95 (issue 16). Cairn's two reports are then timed one after the other, before the hand-written
        // SQL (about 40 s of it), so they fall between two passes of the jobs as a long-running server's calls mostly do.
        async Task Dashboard() => Expect200(await api.GetAsync("/api/v1/reports/dashboard"));
        async Task Aging() => Expect200(await api.GetAsync("/api/v1/reports/aging"));
        var settle = Stopwatch.StartNew();
        while (settle.Elapsed < sizes.Settle)
        {
            await Dashboard();
            await Aging();
        }

        report.Dashboard = await TimeAsync(sizes.ReportIterations, Dashboard);
        report.Aging = await TimeAsync(sizes.ReportIterations, Aging);
        report.DashboardSql = await TimeAsync(sizes.ReportIterations, handWritten.DashboardAsync);
        report.AgingSql = await TimeAsync(sizes.ReportIterations, handWritten.AgingAsync);

        // The sweep: the same requests on these books and on books a hundredth of their size.
        report.SweepClients = SweepClients;
        // Both books are prepared and both servers settled first; then each request is measured on the small
        // and the large books in turn (small, large, small, large), so a drift of the machine's load during
        // the run falls on both sizes alike instead of on whichever was measured last.
        Step($"sweep: preparing approve, contract read, payment and credit note at {figures.Invoices:N0} invoices, {SweepClients} clients");
        // The hand-written contract read on each database too: what the same rows cost PostgreSQL at either
        // size, with no server in between, to set beside the growth of Cairn's own read.
        // And a payment written by hand, for the same reason: how much the same writes slow down at 1M.
        await using var largeHandRead = await HandWrittenContractRead.OpenAsync(database, organization.Id, SweepClients);
        await using var largeHandPayment = await HandWrittenPayment.OpenAsync(database, organization.Id, SweepClients);
        var large = await SweepPrepareAsync(api, database, sizes, organization.Id, largeHandRead, largeHandPayment);
        var smallContracts = Math.Max(2, sizes.ReportContracts / 100);
        var smallDatabase = await Databases.CreatePostgresAsync(admin, "cairn_sweep");
        created.Add(smallDatabase);
        var smallKey = await Databases.ProvisionAsync(cliDll, smallDatabase, null, "Bench sweep");
        var smallFigures = await Seeding.ReportingDataAsync(new DatabaseSettings("postgres", smallDatabase), smallContracts, sizes.InvoicesPerContract, Math.Max(1, sizes.ReportClients / 100));
        await using var smallServer = await ServerProcess.StartAsync(new ServerCommand(serverDll, smallDatabase, null, Path.Combine(work, "server-sweep.log")));
        using var smallApi = new CairnApi(smallServer.BaseAddress, smallKey, SweepClients + 2, TimeSpan.FromSeconds(60));
        var (smallDb, smallOrganization) = await Seeding.OpenAsync(new DatabaseSettings("postgres", smallDatabase));
        await smallDb.DisposeAsync();
        Step($"sweep: preparing the same at {smallFigures.Invoices:N0} invoices");
        await using var smallHandRead = await HandWrittenContractRead.OpenAsync(smallDatabase, smallOrganization.Id, SweepClients);
        await using var smallHandPayment = await HandWrittenPayment.OpenAsync(smallDatabase, smallOrganization.Id, SweepClients);
        var small = await SweepPrepareAsync(smallApi, smallDatabase, sizes, smallOrganization.Id, smallHandRead, smallHandPayment);
        Step($"sweep: settling both servers ({sizes.Settle.TotalSeconds:0} s each), then each request at {smallFigures.Invoices:N0} and {figures.Invoices:N0} invoices in turn, twice");
        await SweepSettleAsync(small, sizes);
        await SweepSettleAsync(large, sizes);
        // Each window starts when both servers are done with the work the last window left behind (the
        // emails with PDFs and the webhooks of the approvals just measured, in the outbox): otherwise a
        // read is measured on the server still rendering the previous window's invoices.
        var quiet = QuietWaits.For([smallServer.Pid, server.Pid], sizes);
        foreach (var operation in large.Keys)
        {
            var smallRuns = new List<LoadResult>();
            var largeRuns = new List<LoadResult>();
            for (var round = 0; round < 2; round++)
            {
                await quiet.WaitAsync();
                smallRuns.Add(await LoadRun.RunAsync(SweepClients, sizes.Warmup, sizes.Duration / 2, small[operation]));
                await quiet.WaitAsync();
                largeRuns.Add(await LoadRun.RunAsync(SweepClients, sizes.Warmup, sizes.Duration / 2, large[operation]));
            }

            report.Sweep.Add(new SweepResult(operation, LoadResult.Combine(smallRuns), LoadResult.Combine(largeRuns)) { Reference = operation is HandWrittenSweepRead or HandWrittenSweepPayment });
        }

        report.Notes.Add(quiet.Note("Sweep (both servers)"));
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"Sweep: {smallFigures.Invoices:N0} invoices ({smallFigures.Contracts:N0} contracts of {smallFigures.Clients:N0} clients) against {figures.Invoices:N0} ({figures.Contracts:N0} of {figures.Clients:N0}): the same number of contracts per client, so a client's own invoices are as many in both; only the books around them grow."));
    }

    private const int SweepClients = 4;

    /// <summary>
    /// Waits before each window of a section until none of its servers used more than 10% of a core over
    /// 250 ms (at most 30 s; 1 s in a smoke run), so no window is measured beside the outbox work (emails
    /// with PDFs, webhooks) the last one queued; adds the waits up for the report.
    /// </summary>
    private sealed class QuietWaits(int[] pids, TimeSpan limit)
    {
        private TimeSpan _waited;
        private int _windows;
        private int _timedOut;

        public static QuietWaits For(int[] pids, Sizes sizes) => new(pids, sizes == Sizes.Smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(30));

        public async Task WaitAsync()
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < limit)
            {
                var before = pids.Select(CpuSeconds).ToArray();
                await Task.Delay(250);
                if (pids.Select(CpuSeconds).Zip(before, (after, b) => after - b).All(used => used <= 0.025))
                    break;
            }

            _waited += clock.Elapsed;
            _windows++;
            if (clock.Elapsed >= limit)
                _timedOut++;
        }

        public string Note(string section) => string.Create(CultureInfo.InvariantCulture,
            $"{section}: before each of its {_windows} windows the server was left to finish what the last one queued (outbox emails with PDFs, webhooks) until it used no more than 10% of a core over 250 ms (at most {limit.TotalSeconds:0} s each time): {_waited.TotalSeconds:0} s of waiting in all{(_timedOut == 0 ? "" : $"; {_timedOut} windows started after {limit.TotalSeconds:0} s without the server getting quiet")}.");
    }

    private static double CpuSeconds(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// Scale-out: 1, 2 and 3 servers on one PostgreSQL database behind nginx (round robin, keep-alive
    /// upstream connections), approvals at 16 clients through the proxy; then <c>cairn verify</c>.
    /// </summary>
    private static async Task InstancesAsync(Report report, Sizes sizes, string serverDll, string cliDll, string admin, string nginx, string work, List<string> created)
    {
        var database = await Databases.CreatePostgresAsync(admin, "cairn_instances");
        created.Add(database);
        Step("instances: provisioning and seeding submitted milestones");
        var key = await Databases.ProvisionAsync(cliDll, database, null, "Bench instances");
        var (milestones, contracts) = await Seeding.SubmittedMilestonesAsync(new DatabaseSettings("postgres", database), sizes.PostgresMilestones);
        var queue = new Queue<Guid>(milestones);
        report.NginxVersion = (await Databases.RunAsync(nginx, ["-v"], TimeSpan.FromSeconds(30))).Error.Trim();
        var clients = sizes.Clients.Max();
        var servers = new List<ServerProcess>();
        try
        {
            for (var count = 1; count <= 3; count++)
            {
                servers.Add(await ServerProcess.StartAsync(new ServerCommand(serverDll, database, null, Path.Combine(work, $"server-instance-{count}.log"))));
                await using var proxy = await Nginx.StartAsync(nginx, Path.Combine(work, $"nginx-{count}"), servers.Select(s => s.Port));
                using var api = new CairnApi(proxy.BaseAddress, key, clients + 2, TimeSpan.FromSeconds(60));
                await PrimeAsync(api, queue, contracts, SmokeOr(sizes, 3, 30));
                Step($"instances: {count} behind nginx, {sizes.Settle.TotalSeconds:0} s settling, then approve → invoice at {Counted.Clients(clients)}");
                await LoadRun.RunAsync(clients, sizes.Settle, TimeSpan.Zero, (_, ct) => ApproveAsync(api, queue, ct));
                var result = await LoadRun.RunAsync(clients, sizes.Warmup, sizes.Duration, (_, ct) => ApproveAsync(api, queue, ct));
                report.Instances.Add((count, result, ""));
            }
        }
        finally
        {
            foreach (var server in servers)
                await server.DisposeAsync();
        }

        var (status, output, error) = await Databases.VerifyAsync(cliDll, database, null);
        var verdict = status == 0 ? "clean" : $"**{(output + error).Trim().Split('\n')[^1]}**";
        for (var i = 0; i < report.Instances.Count; i++)
            report.Instances[i] = report.Instances[i] with { Verify = $"`cairn verify` after all three runs: {verdict}" };
    }

    /// <summary>One of the sweep's reference rows: the hand-written contract read straight on PostgreSQL, not a Cairn request.</summary>
    private const string HandWrittenSweepRead = "contract read by hand (reference: the floor's query over Npgsql)";

    /// <summary>The sweep's other reference row: a payment's writes by hand straight on PostgreSQL (<see cref="HandWrittenPayment"/>).</summary>
    private const string HandWrittenSweepPayment = "payment by hand (reference: its writes as prepared statements over Npgsql)";

    /// <summary>
    /// Approve, contract read, payment and credit note on one database, each a warm-up and a measured
    /// window at <see cref="SweepClients"/> clients, after a settling load; submitted milestones to approve
    /// are added first (through EF Core, as the approve benchmark's); and the hand-written contract read
    /// and payment as reference rows.
    /// </summary>
    private static async Task<Dictionary<string, Func<int, CancellationToken, Task<bool?>>>> SweepPrepareAsync(CairnApi api, string database, Sizes sizes, Guid organization, HandWrittenContractRead handRead, HandWrittenPayment handPayment)
    {
        var (milestones, _) = await Seeding.SubmittedMilestonesAsync(new DatabaseSettings("postgres", database), sizes.SweepMilestones);
        List<Guid> contracts, invoices, clients;
        await using (var sql = new NpgsqlConnection(database))
        {
            await sql.OpenAsync();
            async Task<List<Guid>> IdsAsync(string query)
            {
                await using var command = new NpgsqlCommand(query, sql);
                command.Parameters.AddWithValue("org", organization);
                var ids = new List<Guid>();
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    ids.Add(reader.GetGuid(0));
                return ids;
            }

            // Contracts of the loaded books (10 invoiced milestones and one in the works), open invoices, and their clients.
            contracts = await IdsAsync("SELECT DISTINCT contract_id FROM (SELECT contract_id FROM invoices WHERE organization_id = @org LIMIT 5000) i LIMIT 500");
            invoices = await IdsAsync("SELECT id FROM invoices WHERE organization_id = @org AND status = 'Issued' AND milestone_id IS NOT NULL AND gross_minor - paid_minor - credited_minor >= 100000 LIMIT 5000");
            clients = await IdsAsync("SELECT DISTINCT client_id FROM (SELECT client_id FROM invoices WHERE organization_id = @org AND status = 'Issued' LIMIT 5000) i");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {milestones.Count:N0} submitted milestones, {contracts.Count} contracts, {invoices.Count:N0} open invoices of {clients.Count} clients"));
        var queue = new Queue<Guid>(milestones);
        var random = new Random(16);
        Guid Pick(List<Guid> ids)
        {
            lock (random)
                return ids[random.Next(ids.Count)];
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var operations = new Dictionary<string, Func<int, CancellationToken, Task<bool?>>>
        {
            ["approve → invoice"] = (_, ct) => ApproveAsync(api, queue, ct),
            ["contract read"] = async (_, ct) => (await api.GetAsync($"/api/v1/contracts/{Pick(contracts)}", ct)).Status == 200,
            ["payment"] = async (_, ct) => (await api.PostAsync("/api/v1/payments", new { clientId = Pick(clients), amount = new { amount = "1.00", currency = "EUR" }, receivedOn = today, method = "transfer", reference = "bench" }, Guid.NewGuid().ToString("N"), ct)).IsSuccess,
            ["credit note"] = async (_, ct) => (await api.PostAsync($"/api/v1/invoices/{Pick(invoices)}/credit-notes", new { amount = new { amount = "1.00", currency = "EUR" }, reason = "Bench credit" }, Guid.NewGuid().ToString("N"), ct)).IsSuccess,
            [HandWrittenSweepRead] = (worker, ct) => handRead.ReadAsync(worker, Pick(contracts), ct),
            [HandWrittenSweepPayment] = (worker, ct) => handPayment.PayAsync(worker, Pick(clients), ct),
        };
        return operations;
    }

    /// <summary>A settling load of all the sweep's requests on one server, nothing measured.</summary>
    private static async Task SweepSettleAsync(Dictionary<string, Func<int, CancellationToken, Task<bool?>>> operations, Sizes sizes)
    {
        var all = operations.Values.ToArray();
        await LoadRun.RunAsync(SweepClients, sizes.Settle, TimeSpan.Zero, (worker, ct) => all[worker % all.Length](worker, ct));
    }

    private static void Expect200(ApiAnswer answer)
    {
        if (answer.Status != 200)
            throw new InvalidOperationException($"a report answered {answer.Status}: {answer.Body?.ToJsonString()}");
    }

    /// <summary>Sequential timings (ms) after three warm-up calls.</summary>
    private static async Task<Timing> TimeAsync(int iterations, Func<Task> call)
    {
        for (var i = 0; i < 3; i++)
            await call();
        var times = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            await call();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return new Timing(iterations, LoadResult.Percentile(times, 0.5), LoadResult.Percentile(times, 0.95), times.Max());
    }

    /// <summary>
    /// Before any timing, a freshly started server answers a few approvals and contract reads one by
    /// one, so just-in-time compilation and EF Core's query compilation are not measured as load.
    /// </summary>
    private static async Task PrimeAsync(CairnApi api, Queue<Guid> queue, List<Guid> contracts, double count)
    {
        for (var i = 0; i < count; i++)
        {
            await ApproveAsync(api, queue, CancellationToken.None);
            await api.GetAsync($"/api/v1/contracts/{contracts[i % contracts.Count]}");
        }
    }

    /// <summary>Approves the next submitted milestone with an Idempotency-Key; true when the answer shows its issued invoice.</summary>
    private static async Task<bool?> ApproveAsync(CairnApi api, Queue<Guid> queue, CancellationToken ct)
    {
        Guid id;
        lock (queue)
        {
            if (!queue.TryDequeue(out id))
                return null;
        }

        var answer = await api.PostAsync($"/api/v1/milestones/{id}/approve", null, Guid.NewGuid().ToString("N"), ct);
        return answer.Status == 200 && answer.Str("invoice.status") == "issued";
    }

    /// <summary>Starts and kills the server <paramref name="starts"/> times; each time from process start to the first 200 from /healthz and from an API read.</summary>
    private static async Task<(List<double> Health, List<double> Api)> StartupTimesAsync(ServerCommand command, int starts)
    {
        var (health, api) = (new List<double>(), new List<double>());
        for (var i = 0; i < starts; i++)
        {
            await using var server = await ServerProcess.StartAsync(command);
            health.Add(server.StartupTime.TotalSeconds);
            api.Add(server.FirstApiAnswerTime.TotalSeconds);
        }

        return (health, api);
    }

    private static double SmokeOr(Sizes sizes, double smoke, double full) => sizes == Sizes.Smoke ? smoke : full;

    private static async Task<string> PostgresSettingsAsync(string admin)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version(), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('shared_buffers')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"{reader.GetString(0).Split(" on ")[0]}; fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, shared_buffers={reader.GetString(3)}";
    }

    private static string Uptime()
    {
        try
        {
            var load = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load average {load[0]}, {load[1]}, {load[2]} (1, 5, 15 min) on {Environment.ProcessorCount} cores";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void Step(string what) => Console.WriteLine($"==> {DateTime.Now:HH:mm:ss} {what}");
}

/// <summary>Sequential timings of one call, in milliseconds.</summary>
internal sealed record Timing(int Iterations, double P50, double P95, double Max);

/// <summary>The dashboard and aging figures as a person would write them in SQL, in one round trip each.</summary>
internal sealed class HandWrittenReports(NpgsqlConnection connection, Guid organization)
{
    private const string Dashboard = """
        SELECT currency, SUM(value_minor) FROM contracts WHERE organization_id = @org AND status IN ('Active', 'Completed') GROUP BY currency;
        SELECT currency,
               SUM(gross_minor - credited_minor),
               SUM(paid_minor),
               COALESCE(SUM(gross_minor - paid_minor - credited_minor) FILTER (WHERE status = 'Issued'), 0),
               COALESCE(SUM(gross_minor - paid_minor - credited_minor) FILTER (WHERE status = 'Issued' AND due_date < @today), 0),
               COALESCE(SUM(gross_minor - paid_minor - credited_minor) FILTER (WHERE status = 'Issued' AND disputed), 0),
               COALESCE(SUM(gross_minor - paid_minor - credited_minor) FILTER (WHERE status = 'Issued' AND due_date BETWEEN @today AND @horizon), 0)
        FROM invoices WHERE organization_id = @org AND status <> 'Draft' GROUP BY currency;
        SELECT m.currency, SUM(m.amount_minor)
        FROM milestones m JOIN contracts c ON c.id = m.contract_id
        WHERE m.organization_id = @org AND m.status = 'Approved' AND c.status IN ('Active', 'Completed')
          AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.milestone_id = m.id)
        GROUP BY m.currency;
        SELECT m.currency, COUNT(*), SUM(m.amount_minor)
        FROM milestones m JOIN contracts c ON c.id = m.contract_id
        WHERE m.organization_id = @org AND m.status IN ('Planned', 'InProgress', 'Submitted', 'Disputed')
          AND m.due_date BETWEEN @today AND @horizon AND c.status = 'Active'
        GROUP BY m.currency;
        """;

    private const string Aging = """
        SELECT i.client_id, i.currency, k.name,
               COALESCE(SUM(i.balance) FILTER (WHERE i.due_date >= @today), 0),
               COALESCE(SUM(i.balance) FILTER (WHERE i.due_date < @today AND i.due_date >= @d30), 0),
               COALESCE(SUM(i.balance) FILTER (WHERE i.due_date < @d30 AND i.due_date >= @d60), 0),
               COALESCE(SUM(i.balance) FILTER (WHERE i.due_date < @d60 AND i.due_date >= @d90), 0),
               COALESCE(SUM(i.balance) FILTER (WHERE i.due_date < @d90), 0)
        FROM (SELECT client_id, currency, due_date, gross_minor - paid_minor - credited_minor AS balance
              FROM invoices
              WHERE organization_id = @org AND status = 'Issued' AND gross_minor - paid_minor - credited_minor > 0) i
        JOIN clients k ON k.id = i.client_id
        GROUP BY i.client_id, i.currency, k.name
        ORDER BY k.name;
        """;

    public Task DashboardAsync()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return ReadAllAsync(Dashboard, today, ("horizon", today.AddDays(30)));
    }

    public Task AgingAsync()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return ReadAllAsync(Aging, today, ("d30", today.AddDays(-30)), ("d60", today.AddDays(-60)), ("d90", today.AddDays(-90)));
    }

    private async Task ReadAllAsync(string sql, DateOnly today, params (string Name, DateOnly Value)[] dates)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("org", organization);
        command.Parameters.AddWithValue("today", today);
        foreach (var (name, value) in dates)
            command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    _ = reader.GetValue(i);
            }
        }
        while (await reader.NextResultAsync());
    }
}
