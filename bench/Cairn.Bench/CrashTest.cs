using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Cairn.Bench;

/// <summary>
/// The crash test (DESIGN.md §4 rules 2, 3, 6 and 9): the real server, killed with SIGKILL at
/// random moments while concurrent approvals, payments and credit notes run against it, each
/// with its own Idempotency-Key. After each kill the server is restarted and every request that
/// got no answer is sent again with the same key. At the end <c>cairn verify</c> must be clean,
/// and every request answered 2xx must be in the books exactly once (and every refused one not at all).
/// It also follows what the changes told the world (DESIGN.md §4 rule 10, issue 14): a webhook endpoint
/// points at a receiver process on loopback (<see cref="WebhookReceiver"/>, which verifies every signature)
/// and emails go to a pickup folder. Once the last server has drained its outbox, every acknowledged
/// approval, payment and credit note has its webhook and its emails delivered at least once, each from
/// one event, nothing was emitted for a refused request, and no webhook-id or Message-ID came twice with
/// the same attempt number.
/// </summary>
internal sealed class CrashTest
{
    private static readonly string[] DeliverableLinks = ["https://example.test/deliverable"];
    private readonly string _engine;
    private readonly ConcurrentQueue<Operation> _resend = new();
    private readonly List<Operation> _operations = [];
    private readonly List<string> _violations = [];
    private readonly List<Guid> _invoices = [];
    private readonly Dictionary<string, MailSeen> _mail = new(StringComparer.Ordinal);
    private readonly Queue<Guid> _milestones = new();
    private readonly Random _random;
    private readonly int _maxOperations;
    private readonly double _approvalShare;
    private List<Guid> _clients = [];
    private Task _up = Task.CompletedTask;
    private volatile bool _stopping;
    private int _inFlight;
    private long _sends;
    private long _noAnswer;
    private long _replays;
    private long _replaysFromStore;
    private long _busyRetries;
    private long _answers;

    private CrashTest(string engine, int seed, int maxOperations, double approvalShare)
    {
        _engine = engine;
        _random = new Random(seed);
        _maxOperations = maxOperations;
        _approvalShare = approvalShare;
    }

    private enum Kind
    {
        Approval,
        Payment,
        CreditNote,
    }

    public static async Task<int> RunAsync(Options options)
    {
        var engine = options.Required("engine");
        if (engine is not ("sqlite" or "postgres"))
            throw new ArgumentException("--engine is sqlite or postgres");
        var serverDll = Path.GetFullPath(options.Required("server"));
        var cliDll = Path.GetFullPath(options.Required("cli"));
        var kills = options.Int("kills", 20);
        var clients = options.Int("clients", 8);
        var seed = options.Int("seed", Environment.TickCount);
        var deadline = TimeSpan.FromMinutes(options.Int("minutes", 15));
        var work = Directory.CreateTempSubdirectory("cairn-crash-").FullName;
        string? postgres = null;
        var admin = options.Optional("postgres") ?? Environment.GetEnvironmentVariable("CAIRN_TEST_POSTGRES");
        if (engine == "postgres")
            postgres = await Databases.CreatePostgresAsync(admin ?? throw new ArgumentException("--postgres (an admin connection string) or CAIRN_TEST_POSTGRES is needed for the postgres engine"), "cairn_crash");
        var dataDirectory = engine == "sqlite" ? Path.Combine(work, "data") : null;
        var mailFolder = Path.Combine(work, "mail");
        var passed = false;
        try
        {
            Console.WriteLine($"crash test ({engine}): seed {seed}, {kills} kills, {clients} concurrent clients; work folder {work}");
            var test = new CrashTest(engine, seed, options.Int("max-requests", 20_000), 0.25);
            var command = new ServerCommand(serverDll, postgres, dataDirectory, Path.Combine(work, "server.log"))
            {
                // The receiver on 127.0.0.1 is allowed; retries come quickly; what a killed server held is taken again after 10 s.
                Settings = new Dictionary<string, string>
                {
                    ["Webhooks:AllowedHosts"] = "127.0.0.1",
                    ["Webhooks:RetryBaseSeconds"] = "1",
                    ["Webhooks:TimeoutSeconds"] = "5",
                    ["Outbox:LeaseSeconds"] = "10",
                    ["Outbox:IntervalSeconds"] = "1",
                    ["Mail:PickupDirectory"] = mailFolder,
                },
            };
            passed = await test.RunAsync(command, cliDll, Path.Combine(work, "webhooks.jsonl"), kills, clients, options.Int("contracts", 24), options.Int("milestones", 8), deadline);
            return passed ? 0 : 1;
        }
        finally
        {
            if (postgres is not null)
                await Databases.DropPostgresAsync(admin!, postgres);
            if (passed)
                Directory.Delete(work, recursive: true);
            else
                Console.WriteLine($"crash test ({engine}): the work folder (server log, SQLite file) is kept in {work}");
        }
    }

    private async Task<bool> RunAsync(ServerCommand command, string cliDll, string webhookLog, int kills, int clients, int contracts, int milestonesPerContract, TimeSpan deadline)
    {
        var (postgres, dataDirectory) = (command.Postgres, command.DataDirectory);
        var clock = Stopwatch.StartNew();
        var key = await Databases.ProvisionAsync(cliDll, postgres, dataDirectory, $"Crash test {_engine}");
        await using var server = await ServerProcess.StartAsync(command);
        using var api = new CairnApi(server.BaseAddress, key, clients + 4, TimeSpan.FromSeconds(30));
        using var receiver = await StartReceiverAsync(api, webhookLog);
        await SetUpAsync(api, contracts, milestonesPerContract);
        Console.WriteLine($"crash test ({_engine}): set up {_clients.Count} clients, {contracts} contracts, {_milestones.Count} submitted milestones in {clock.Elapsed.TotalSeconds:0.0} s; server pid {server.Pid}, webhook receiver pid {receiver.Pid}");

        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(() => WorkAsync(api, clock, deadline))).ToArray();
        var killed = 0;
        var restartTimes = new List<double>();
        while (killed < kills && clock.Elapsed < deadline)
        {
            // Kill at a random moment of steady load: after a random number of answers since the last
            // restart (so the restarted server does real work between kills), then a random delay.
            var target = Interlocked.Read(ref _answers) + _random.Next(3, 40);
            var waiting = Stopwatch.StartNew();
            while (Interlocked.Read(ref _answers) < target && waiting.Elapsed < TimeSpan.FromSeconds(30) && clock.Elapsed < deadline)
                await Task.Delay(10);
            await Task.Delay(_random.Next(0, 600));
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _up, gate.Task);
            var pid = server.Pid;
            server.Kill();
            killed++;
            await server.RestartAsync();
            restartTimes.Add(server.StartupTime.TotalSeconds);
            gate.SetResult();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  kill {killed}: SIGKILL pid {pid} with {Volatile.Read(ref _inFlight)} requests in flight; restarted as pid {server.Pid} in {server.StartupTime.TotalSeconds:0.00} s; {Interlocked.Read(ref _noAnswer)} requests without an answer so far"));
        }

        // A last stretch of load on the final server, then drain: every request must end with an answer.
        await Task.Delay(1000);
        _stopping = true;
        var all = Task.WhenAll(workers);
        var drainLimit = deadline + TimeSpan.FromMinutes(1) - clock.Elapsed;
        if (await Task.WhenAny(all, Task.Delay(drainLimit > TimeSpan.FromSeconds(30) ? drainLimit : TimeSpan.FromSeconds(30))) != all)
            _violations.Add("the workers did not finish within the time limit");

        var unanswered = _operations.Where(o => o.Answer is null).ToList();
        if (unanswered.Count > 0)
            _violations.Add($"{unanswered.Count} requests never got an answer, e.g. {unanswered[0].Key}");
        foreach (var failed in _operations.Where(o => o.Answer is { Status: >= 500 }))
            _violations.Add($"{failed.Key} ({failed.Kind}) answered {failed.Answer!.Status}: {failed.Answer.Body?.ToJsonString()}");

        var booksViolations = await CheckBooksAsync(api);
        var drain = Stopwatch.StartNew();
        var delivery = await CheckDeliveriesAsync(receiver.Output, command.Settings["Mail:PickupDirectory"], TimeSpan.FromMinutes(2));
        drain.Stop();
        var (verifyStatus, verifyOutput, verifyError) = await Databases.VerifyAsync(cliDll, postgres, dataDirectory);
        var verifyLine = verifyOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? verifyError.Trim();
        if (verifyStatus != 0)
            _violations.Add($"cairn verify exited {verifyStatus}:\n{verifyOutput}{verifyError}");

        var requests = _operations.Count;
        var ok = _operations.Count(o => o.Answer?.IsSuccess == true);
        var refused = _operations.Count(o => o.Answer is { IsSuccess: false });
        Console.WriteLine();
        Console.WriteLine($"crash test ({_engine}) figures:");
        Console.WriteLine($"  requests      {requests} ({_operations.Count(o => o.Kind == Kind.Approval)} approvals, {_operations.Count(o => o.Kind == Kind.Payment)} payments, {_operations.Count(o => o.Kind == Kind.CreditNote)} credit notes), each with its own Idempotency-Key");
        Console.WriteLine($"  answers       {ok} 2xx, {refused} refused (4xx: {string.Join(", ", _operations.Where(o => o.Answer is { IsSuccess: false }).GroupBy(o => $"{o.Kind} {o.Answer!.Status}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}"))})");
        Console.WriteLine($"  sends         {Interlocked.Read(ref _sends)} (busy retries with the same key: {Interlocked.Read(ref _busyRetries)})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  kills         {killed} (SIGKILL by pid; restarts took {(restartTimes.Count > 0 ? restartTimes.Average() : 0):0.00} s on average)"));
        Console.WriteLine($"  no answer     {Interlocked.Read(ref _noAnswer)} sends got no answer (server killed under them)");
        Console.WriteLine($"  replays       {Interlocked.Read(ref _replays)} (same key after a restart; {Interlocked.Read(ref _replaysFromStore)} answered from the idempotency store, i.e. had committed before the kill)");
        Console.WriteLine($"  exactly once  {booksViolations} violation(s) over {_invoices.Count} invoices, {_operations.Count(o => o.Kind == Kind.Payment && o.Answer?.IsSuccess == true)} payments, {_operations.Count(o => o.Kind == Kind.CreditNote && o.Answer?.IsSuccess == true)} credit notes");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  webhooks      {delivery.Requests} requests ({delivery.Deliveries} deliveries of {delivery.Events} events; {delivery.Refused} answered 503 and retried; {delivery.Repeats} delivered again after a kill, each with a new attempt number); drained {drain.Elapsed.TotalSeconds:0.0} s after the last answer"));
        Console.WriteLine($"  emails        {delivery.Emails} .eml files ({delivery.EmailRepeats} sent again after a kill, each with a new attempt number)");
        Console.WriteLine($"  delivered     {delivery.Violations} violation(s): every 2xx approval's milestone.approved and invoice.issued webhooks and their staff and client emails, every payment's payment.recorded and staff email, every credit note's credit_note.issued; none for a refused request; no attempt id twice");
        Console.WriteLine($"  verify        {verifyLine}");
        Console.WriteLine($"  violations    {_violations.Count}");
        foreach (var violation in _violations.Take(50))
            Console.WriteLine($"    - {violation}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  time          {clock.Elapsed.TotalSeconds:0} s"));
        var passed = _violations.Count == 0 && killed >= kills;
        if (killed < kills)
            Console.WriteLine($"crash test ({_engine}): FAILED: only {killed} of {kills} kills happened within the time limit");
        Console.WriteLine($"crash test ({_engine}): {(passed ? "PASSED" : "FAILED")}");
        return passed;
    }

    /// <summary>Clients, active contracts and submitted milestones, made over the API before any kill.</summary>
    private async Task SetUpAsync(CairnApi api, int contracts, int milestonesPerContract)
    {
        _clients = [];
        for (var i = 0; i < 4; i++)
        {
            var client = await api.OkAsync(HttpMethod.Post, "/api/v1/clients", new { name = $"Client {i + 1}", email = $"ap{i + 1}@client.example", address = "2 Main St" });
            _clients.Add(Guid.Parse(client.Str("id")));
        }

        var milestones = new ConcurrentBag<(int Contract, int Position, Guid Id)>();
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, contracts).Select(async n =>
        {
            await gate.WaitAsync();
            try
            {
                var contract = await api.OkAsync(HttpMethod.Post, "/api/v1/contracts", new
                {
                    clientId = _clients[n % _clients.Count],
                    title = $"Contract {n + 1}",
                    value = new { amount = $"{milestonesPerContract * 1000}.00", currency = "EUR" },
                    taxRate = "20",
                });
                var contractId = contract.Str("id");
                var ids = new List<string>();
                for (var m = 0; m < milestonesPerContract; m++)
                {
                    var milestone = await api.OkAsync(HttpMethod.Post, $"/api/v1/contracts/{contractId}/milestones", new
                    {
                        title = $"Milestone {m + 1}",
                        deliverable = "Work",
                        acceptanceCriteria = "Signed off",
                        amount = new { amount = "1000.00", currency = "EUR" },
                    });
                    ids.Add(milestone.Str("id"));
                }

                await api.OkAsync(HttpMethod.Post, $"/api/v1/contracts/{contractId}/activate");
                for (var m = 0; m < ids.Count; m++)
                {
                    await api.OkAsync(HttpMethod.Post, $"/api/v1/milestones/{ids[m]}/start");
                    await api.OkAsync(HttpMethod.Post, $"/api/v1/milestones/{ids[m]}/submit", new { note = "Delivered", links = DeliverableLinks });
                    milestones.Add((n, m, Guid.Parse(ids[m])));
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        // Interleave contracts so that concurrent approvals mostly touch different contracts, with some overlap.
        foreach (var milestone in milestones.OrderBy(m => m.Position).ThenBy(m => m.Contract))
            _milestones.Enqueue(milestone.Id);
    }

    private async Task WorkAsync(CairnApi api, Stopwatch clock, TimeSpan deadline)
    {
        while (clock.Elapsed < deadline + TimeSpan.FromMinutes(1))
        {
            if (!_resend.TryDequeue(out var operation))
                operation = _stopping ? null : Next();
            if (operation is null)
            {
                if (_stopping && _resend.IsEmpty && Volatile.Read(ref _inFlight) == 0)
                    return;
                await Task.Delay(20);
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            try
            {
                await Volatile.Read(ref _up);
                var replay = operation.NoAnswer > 0;
                if (replay)
                    Interlocked.Increment(ref _replays);
                Interlocked.Increment(ref _sends);
                var answer = await api.PostAsync(operation.Path, operation.Body, operation.Key);
                if (answer.Status == 503 || answer.Str("code") == "idempotency_key_in_flight")
                {
                    // Busy: nothing was changed; the same request goes again with the same key.
                    Interlocked.Increment(ref _busyRetries);
                    _resend.Enqueue(operation);
                    await Task.Delay(50);
                    continue;
                }

                if (replay && answer.Replayed)
                    Interlocked.Increment(ref _replaysFromStore);
                Record(operation, answer);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // No answer: the server died under the request (or it timed out). Send it again with the same key once the server is back.
                Interlocked.Increment(ref _noAnswer);
                operation.NoAnswer++;
                _resend.Enqueue(operation);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private void Record(Operation operation, ApiAnswer answer)
    {
        Interlocked.Increment(ref _answers);
        lock (_operations)
        {
            operation.Answer = answer;
            if (operation.Kind == Kind.Approval && answer.IsSuccess && answer.Str("invoice.id") is { } invoice)
                _invoices.Add(Guid.Parse(invoice));
        }
    }

    /// <summary>The next new request: an approval (some milestones are approved twice, concurrently, under different keys), a payment, or a small credit note.</summary>
    private Operation? Next()
    {
        lock (_operations)
        {
            if (_operations.Count >= _maxOperations)
                return null;
            var number = _operations.Count + 1;
            var key = $"crash-{_engine}-{number:000000}-{Guid.NewGuid():N}";
            var roll = _random.NextDouble();
            Operation operation;
            if (_milestones.Count > 0 && roll < _approvalShare)
            {
                var milestone = _milestones.Dequeue();
                operation = new Operation(Kind.Approval, key, $"/api/v1/milestones/{milestone}/approve", null) { MilestoneId = milestone };
                if (_random.NextDouble() < 0.25)
                {
                    // The same approval under a second key, racing the first.
                    var twin = new Operation(Kind.Approval, key + "-twin", operation.Path, null) { MilestoneId = milestone };
                    _operations.Add(twin);
                    _resend.Enqueue(twin);
                }
            }
            else if (_invoices.Count == 0 || roll < _approvalShare + 0.45)
            {
                var reference = $"crash-{_engine}-payment-{number:000000}";
                var cents = _random.Next(5_000, 90_000);
                operation = new Operation(Kind.Payment, key, "/api/v1/payments", new
                {
                    clientId = _clients[_random.Next(_clients.Count)],
                    amount = new { amount = (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture), currency = "EUR" },
                    receivedOn = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    method = "bank_transfer",
                    reference,
                }) { Reference = reference };
            }
            else
            {
                var invoice = _invoices[_random.Next(_invoices.Count)];
                operation = new Operation(Kind.CreditNote, key, $"/api/v1/invoices/{invoice}/credit-notes", new
                {
                    amount = new { amount = "10.00", currency = "EUR" },
                    reason = $"Crash test correction {number}",
                }) { InvoiceId = invoice };
            }

            _operations.Add(operation);
            return operation;
        }
    }

    /// <summary>Registers a webhook endpoint for the events the test follows and starts the receiver with its secret.</summary>
    private static async Task<ReceiverProcess> StartReceiverAsync(CairnApi api, string output)
    {
        // The endpoint is made first (Cairn does not call it on creation): the receiver needs its secret.
        var port = ServerProcess.FreePort();
        var url = $"http://127.0.0.1:{port}{WebhookReceiver.Path}";
        var created = await api.OkAsync(HttpMethod.Post, "/api/v1/webhook-endpoints", new
        {
            url,
            eventTypes = FollowedEvents,
            description = "crash test receiver",
        });
        return await ReceiverProcess.StartAsync(created.Str("secret"), port, output, failEvery: 8);
    }

    private static readonly string[] FollowedEvents = ["milestone.approved", "invoice.issued", "payment.recorded", "credit_note.issued"];

    /// <summary>
    /// Waits (bounded) until every acknowledged change has its webhook and emails, then checks what was
    /// delivered: signatures, one event per change, nothing for a refused request, no attempt id twice.
    /// </summary>
    private async Task<DeliveryFigures> CheckDeliveriesAsync(string webhookLog, string mailFolder, TimeSpan limit)
    {
        var before = _violations.Count;
        var waited = Stopwatch.StartNew();
        List<ReceivedWebhook> received;
        List<string> missing;
        while (true)
        {
            received = WebhookReceiver.Read(webhookLog);
            ReadMail(mailFolder);
            missing = Missing(received);
            if (missing.Count == 0 || waited.Elapsed > limit)
                break;
            await Task.Delay(500);
        }

        foreach (var item in missing.Take(30))
            _violations.Add($"not delivered within {limit.TotalSeconds:0} s of the last answer: {item}");
        if (missing.Count > 30)
            _violations.Add($"… and {missing.Count - 30} more not delivered");

        foreach (var request in received.Where(r => !r.Verified).Take(10))
            _violations.Add($"webhook {request.Id} attempt {request.Attempt}: the signature did not verify");
        foreach (var twice in received.GroupBy(r => (r.Id, r.Attempt)).Where(g => g.Count() > 1))
            _violations.Add($"webhook {twice.Key.Id} was delivered {twice.Count()} times with attempt {twice.Key.Attempt}");
        foreach (var twice in _mail.Values.GroupBy(m => (m.MessageId, m.Attempt)).Where(g => g.Count() > 1))
            _violations.Add($"email {twice.Key.MessageId} was written {twice.Count()} times with attempt {twice.Key.Attempt}");
        foreach (var mail in _mail.Values.Where(m => m.Attempt is null).Take(10))
            _violations.Add($"email {mail.MessageId} has no Cairn-Attempt header");

        // Each change is one event: two event ids for one milestone, invoice, payment or credit note means it was emitted twice.
        var events = Events(received);
        foreach (var split in events.GroupBy(e => (e.Type, e.Subject)).Where(g => g.Count() > 1))
            _violations.Add($"{split.Key.Type} for {split.Key.Subject} came from {split.Count()} events: {string.Join(", ", split.Select(e => e.EventId))}");

        // Nothing for what was refused or never acknowledged.
        var approved = _operations.Where(o => o.Kind == Kind.Approval && o.Answer?.IsSuccess == true).Select(o => o.MilestoneId!.Value.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in events.Where(e => e.Type == "milestone.approved" && !approved.Contains(e.Subject)))
            _violations.Add($"milestone.approved for milestone {stray.Subject}, which no request approved (2xx)");
        var refusedPayments = _operations.Where(o => o.Kind == Kind.Payment && o.Answer is { IsSuccess: false }).Select(o => o.Reference!).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in events.Where(e => e.Type == "payment.recorded" && refusedPayments.Contains(e.Reference ?? "")))
            _violations.Add($"payment.recorded for the refused payment {stray.Reference}");
        var credited = _operations.Count(o => o.Kind == Kind.CreditNote && o.Answer?.IsSuccess == true);
        var creditEvents = events.Count(e => e.Type == "credit_note.issued");
        if (creditEvents != credited)
            _violations.Add($"{creditEvents} credit_note.issued events for {credited} credit notes answered 2xx");

        var delivered = received.Where(r => r.Answered == 200).ToList();
        return new DeliveryFigures(
            received.Count,
            received.Select(r => r.Id).Distinct().Count(),
            events.Count,
            received.Count(r => r.Answered == 503),
            delivered.Count - delivered.Select(r => r.Id).Distinct().Count(),
            _mail.Count,
            _mail.Count - _mail.Values.Select(m => m.MessageId).Distinct().Count(),
            _violations.Count - before);
    }

    /// <summary>What each acknowledged change should have delivered and has not (yet).</summary>
    private List<string> Missing(List<ReceivedWebhook> received)
    {
        var delivered = Events(received.Where(r => r.Verified && r.Answered == 200));
        var bySubject = delivered.ToLookup(e => (e.Type, e.Subject));
        var missing = new List<string>();
        var emails = _mail.Values.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);

        void Expect(string type, string subject, string? emailSuffix)
        {
            var found = bySubject[(type, subject)].ToList();
            if (found.Count == 0)
                missing.Add($"the {type} webhook for {subject}");
            else if (emailSuffix is not null && !found.Any(e => emails.Any(m => m.StartsWith($"evt_{e.EventId}_{emailSuffix}", StringComparison.Ordinal))))
                missing.Add($"the {type} email for {subject} (Message-ID evt_{found[0].EventId}_{emailSuffix}…)");
        }

        foreach (var approval in _operations.Where(o => o.Kind == Kind.Approval && o.Answer?.IsSuccess == true).GroupBy(o => o.MilestoneId!.Value))
        {
            // To the staff who chose it (the owner, by default) and the invoice to the client.
            Expect("milestone.approved", approval.Key.ToString(), "u_");
            if (approval.First().Answer!.Str("invoice.id") is { } invoice)
                Expect("invoice.issued", invoice, "r0");
        }

        foreach (var payment in _operations.Where(o => o.Kind == Kind.Payment && o.Answer?.IsSuccess == true))
            Expect("payment.recorded", payment.Answer!.Str("id")!, "u_");
        foreach (var note in _operations.Where(o => o.Kind == Kind.CreditNote && o.Answer?.IsSuccess == true))
            Expect("credit_note.issued", note.Answer!.Str("id")!, null);
        return missing;
    }

    /// <summary>The distinct events among webhook requests: type, the id of what changed, and the payment's reference.</summary>
    private static List<SeenEvent> Events(IEnumerable<ReceivedWebhook> received) =>
        received.GroupBy(r => r.EventId, StringComparer.Ordinal).Select(g =>
        {
            var body = JsonNode.Parse(g.First().Body)!;
            var type = body.Str("type");
            var subject = type switch
            {
                "milestone.approved" => body.Opt("data.milestoneId"),
                "invoice.issued" => body.Opt("data.invoiceId"),
                "payment.recorded" => body.Opt("data.paymentId"),
                "credit_note.issued" => body.Opt("data.creditNoteId"),
                _ => null,
            };
            return new SeenEvent(g.Key, type, subject ?? "", body.Opt("data.reference"));
        }).ToList();

    /// <summary>Reads the headers of the .eml files not read yet (the sender writes each complete, then renames it).</summary>
    private void ReadMail(string folder)
    {
        if (!Directory.Exists(folder))
            return;
        foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
        {
            if (_mail.ContainsKey(file))
                continue;
            using var stream = File.OpenRead(file);
            var headers = MimeKit.HeaderList.Load(stream);
            var attempt = headers["Cairn-Attempt"] is { } a && int.TryParse(a.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
            _mail[file] = new MailSeen((headers[MimeKit.HeaderId.MessageId] ?? "").Trim().Trim('<', '>'), attempt);
        }
    }

    private sealed record SeenEvent(string EventId, string Type, string Subject, string? Reference);

    private sealed record MailSeen(string MessageId, int? Attempt);

    private sealed record DeliveryFigures(int Requests, int Deliveries, int Events, int Refused, int Repeats, int Emails, int EmailRepeats, int Violations);

    /// <summary>Reads the books back over the API: each answered 2xx request is there exactly once, each refused one not at all, and numbers have no gaps.</summary>
    private async Task<int> CheckBooksAsync(CairnApi api)
    {
        var before = _violations.Count;
        var invoices = await api.ListAllAsync("/api/v1/invoices");
        var notes = await api.ListAllAsync("/api/v1/credit-notes");
        var payments = await api.ListAllAsync("/api/v1/payments");

        // Approvals: an approved milestone has exactly one invoice, the one its 2xx answer named; a milestone never approved has none.
        var invoicesByMilestone = invoices.Where(i => i.Opt("milestoneId") is not null).GroupBy(i => i.Opt("milestoneId")!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var approvals in _operations.Where(o => o.Kind == Kind.Approval).GroupBy(o => o.MilestoneId!.Value))
        {
            var found = invoicesByMilestone.GetValueOrDefault(approvals.Key.ToString(), []);
            var approved = approvals.Where(o => o.Answer?.IsSuccess == true).ToList();
            if (approved.Count > 0 && found.Count != 1)
                _violations.Add($"milestone {approvals.Key} was approved (2xx) but has {found.Count} invoices");
            if (approved.Count == 0 && found.Count != 0)
                _violations.Add($"milestone {approvals.Key} was never approved (answers {string.Join("/", approvals.Select(o => o.Answer?.Status))}) but has {found.Count} invoices");
            foreach (var answer in approved.Select(o => o.Answer!))
            {
                if (found.Count == 1 && answer.Str("invoice.id") != found[0].Str("id"))
                    _violations.Add($"milestone {approvals.Key}: the approval answered invoice {answer.Str("invoice.id")} but the books hold {found[0].Str("id")}");
            }
        }

        var approvedMilestones = _operations.Where(o => o.Kind == Kind.Approval && o.Answer?.IsSuccess == true).Select(o => o.MilestoneId).Distinct().Count();
        if (invoices.Count != approvedMilestones)
            _violations.Add($"{invoices.Count} invoices in the books for {approvedMilestones} approved milestones");

        // Payments: each 2xx payment once (by its reference and id), each refused one never.
        var paymentsByReference = payments.GroupBy(p => p.Opt("reference") ?? "").ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var payment in _operations.Where(o => o.Kind == Kind.Payment))
        {
            var found = paymentsByReference.GetValueOrDefault(payment.Reference!, []);
            if (payment.Answer?.IsSuccess == true && (found.Count != 1 || found[0].Str("id") != payment.Answer.Str("id")))
                _violations.Add($"payment {payment.Reference} was answered 2xx but is in the books {found.Count} times");
            if (payment.Answer?.IsSuccess == false && found.Count != 0)
                _violations.Add($"payment {payment.Reference} was refused ({payment.Answer.Status}) but is in the books {found.Count} times");
        }

        var paid = _operations.Count(o => o.Kind == Kind.Payment && o.Answer?.IsSuccess == true);
        if (payments.Count != paid)
            _violations.Add($"{payments.Count} payments in the books for {paid} answered 2xx");

        // Credit notes: each 2xx one once, and nothing else.
        var noteIds = notes.Select(n => n.Str("id")).ToList();
        var credited = _operations.Where(o => o.Kind == Kind.CreditNote && o.Answer?.IsSuccess == true).Select(o => o.Answer!.Str("id")).ToList();
        foreach (var id in credited.Where(id => noteIds.Count(n => n == id) != 1))
            _violations.Add($"credit note {id} was answered 2xx but is in the books {noteIds.Count(n => n == id)} times");
        if (noteIds.Count != credited.Count)
            _violations.Add($"{noteIds.Count} credit notes in the books for {credited.Count} answered 2xx");

        // Numbers: each series runs 1..N without a gap.
        CheckGapFree("invoice", invoices.Select(i => i.Opt("number")).ToList());
        CheckGapFree("credit note", notes.Select(n => n.Opt("number")).ToList());
        return _violations.Count - before;
    }

    private void CheckGapFree(string what, IReadOnlyList<string?> numbers)
    {
        foreach (var series in numbers.GroupBy(n => n is null ? "(none)" : n[..n.LastIndexOf('-')], StringComparer.Ordinal))
        {
            var positions = series.Select(n => n is null ? 0 : long.Parse(n[(n.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture)).Order().ToList();
            if (!positions.SequenceEqual(Enumerable.Range(1, positions.Count).Select(i => (long)i)))
                _violations.Add($"{what} numbers of series {series.Key} are not 1..{positions.Count} without gaps: {string.Join(", ", positions.Take(20))}");
        }
    }

    private sealed class Operation(Kind kind, string key, string path, object? body)
    {
        public Kind Kind { get; } = kind;

        public string Key { get; } = key;

        public string Path { get; } = path;

        public object? Body { get; } = body;

        public Guid? MilestoneId { get; init; }

        public Guid? InvoiceId { get; init; }

        public string? Reference { get; init; }

        public int NoAnswer { get; set; }

        public ApiAnswer? Answer { get; set; }
    }
}

/// <summary>Reading JSON answers by dotted path.</summary>
internal static class JsonPaths
{
    /// <summary>The string at a dotted path; throws when there is none.</summary>
    public static string Str(this JsonNode node, string path) =>
        node.Opt(path) ?? throw new InvalidOperationException($"no {path} in {node.ToJsonString()}");

    /// <summary>The string at a dotted path, or null.</summary>
    public static string? Opt(this JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
            current = current?[part];
        return current?.GetValue<string>();
    }
}
