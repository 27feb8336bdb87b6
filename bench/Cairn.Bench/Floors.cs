using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Bench;

/// <summary>
/// What a real approval wrote, read back from the database after the server's first approvals: the
/// values the floors write in its place (series, party snapshots, stored answer, audit entries, outbox
/// payloads), so both sides move the same bytes.
/// </summary>
internal sealed record ApprovalSample(
    Guid Organization,
    string Actor,
    string Series,
    string Hash,
    string Seller,
    string Buyer,
    byte[] Body,
    IReadOnlyList<(string Type, string Action, string After)> Audit,
    IReadOnlyList<(string Type, string Payload)> Events)
{
    /// <summary>The copied audit entries and outbox events as the floors' named values (audit1_type … event2_payload).</summary>
    public IEnumerable<KeyValuePair<string, string>> Entries()
    {
        for (var i = 0; i < 3; i++)
        {
            yield return new($"audit{i + 1}_type", Audit[i].Type);
            yield return new($"audit{i + 1}_action", Audit[i].Action);
            yield return new($"audit{i + 1}_after", Audit[i].After);
        }

        for (var i = 0; i < 2; i++)
        {
            yield return new($"event{i + 1}_type", Events[i].Type);
            yield return new($"event{i + 1}_payload", Events[i].Payload);
        }
    }
}

/// <summary>
/// The floors of issue 16: the same work as Cairn's request, written by hand on Cairn's own schema
/// (its keys, unique indexes, checks and triggers), measured beside Cairn in the same run.
/// </summary>
internal static class Floors
{
    /// <summary>The pgbench script of an approval's statements (bench/floor/approve-postgres.sql).</summary>
    public static string ApproveScript => Path.Combine(AppContext.BaseDirectory, "floor", "approve-postgres.sql");

    /// <summary>Queues submitted milestones for the floor: <c>bench_floor_queue</c> (n from 1) and <c>bench_floor_seq</c>, which the script draws from.</summary>
    public static async Task QueuePostgresAsync(string database, IReadOnlyList<Guid> milestones)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("""
            DROP TABLE IF EXISTS bench_floor_queue;
            DROP SEQUENCE IF EXISTS bench_floor_seq;
            CREATE TABLE bench_floor_queue (n bigint PRIMARY KEY, milestone_id uuid NOT NULL);
            CREATE SEQUENCE bench_floor_seq;
            """, connection))
            await create.ExecuteNonQueryAsync();
        await using (var fill = new NpgsqlCommand("INSERT INTO bench_floor_queue (n, milestone_id) SELECT n, id FROM unnest(@ids) WITH ORDINALITY AS q(id, n)", connection))
        {
            fill.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = milestones.ToArray() });
            await fill.ExecuteNonQueryAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>Reads back the latest approval the server made (PostgreSQL).</summary>
    public static async Task<ApprovalSample> SamplePostgresAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        return await SampleAsync(connection);
    }

    /// <summary>Reads back the latest approval the server made (SQLite).</summary>
    public static async Task<ApprovalSample> SampleSqliteAsync(string file)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await connection.OpenAsync();
        return await SampleAsync(connection);
    }

    private static async Task<ApprovalSample> SampleAsync(System.Data.Common.DbConnection connection)
    {
        async Task<List<object?[]>> RowsAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<object?[]>();
            while (await reader.ReadAsync())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }

            return rows;
        }

        var invoice = (await RowsAsync("SELECT organization_id, series, content_hash, seller, buyer FROM invoices WHERE status = 'Issued' AND milestone_id IS NOT NULL ORDER BY sequence DESC LIMIT 1")).Single();
        var stored = (await RowsAsync("SELECT caller, body FROM idempotency_requests ORDER BY created_at DESC LIMIT 1")).Single();
        var audit = await RowsAsync("SELECT entity_type, action, COALESCE(after, '') FROM audit_log ORDER BY at DESC LIMIT 3");
        var events = await RowsAsync("SELECT type, payload FROM outbox_messages WHERE kind = 'event' ORDER BY created_at DESC LIMIT 2");
        if (audit.Count < 3 || events.Count < 2)
            throw new InvalidOperationException("the server's first approvals wrote fewer than three audit entries or two outbox events: the floor cannot copy an approval");
        return new ApprovalSample(
            invoice[0] is Guid g ? g : Guid.Parse((string)invoice[0]!),
            (string)stored[0]!,
            (string)invoice[1]!,
            (string?)invoice[2] ?? new string('0', 64),
            (string?)invoice[3] ?? "",
            (string?)invoice[4] ?? "",
            (byte[])stored[1]!,
            audit.Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!)).ToList(),
            events.Select(r => ((string)r[0]!, (string)r[1]!)).ToList());
    }

    /// <summary>The pgbench variables (<c>-D</c>) the approve script reads.</summary>
    public static IEnumerable<string> ScriptVariables(ApprovalSample sample)
    {
        var values = new Dictionary<string, string>
        {
            ["org"] = sample.Organization.ToString(),
            ["actor"] = sample.Actor,
            ["series"] = sample.Series,
            ["hash"] = sample.Hash,
            ["seller"] = sample.Seller,
            ["buyer"] = sample.Buyer,
            ["body"] = System.Text.Encoding.UTF8.GetString(sample.Body),
        };
        foreach (var (name, value) in sample.Entries())
            values[name] = value;
        return values.SelectMany(v => new[] { "-D", $"{v.Key}={v.Value}" });
    }

    /// <summary>pgbench options for the approve floor: prepared statements, the script and its variables.</summary>
    public static string[] ApproveArguments(ApprovalSample sample) => ["-M", "prepared", "-f", ApproveScript, .. ScriptVariables(sample)];
}

/// <summary>
/// The floor of reading a contract: the contract, its milestones and their invoices in one prepared
/// query over Npgsql, every column read, one connection per client (no HTTP, no authentication, no JSON).
/// </summary>
internal sealed class HandWrittenContractRead : IAsyncDisposable
{
    private const string Sql = """
        SELECT c.id, c.title, c.status, c.currency, c.value_minor, c.version, c.client_id, c.tax_category,
               c.tax_rate_per_million, c.payment_terms_days, c.created_at, c.activated_at,
               m.id, m.position, m.title, m.deliverable, m.acceptance_criteria, m.status, m.amount_minor,
               m.due_date, m.trigger, m.version,
               i.id, i.number, i.status, i.net_minor, i.tax_minor, i.gross_minor, i.paid_minor, i.credited_minor,
               i.issue_date, i.due_date
        FROM contracts c
        JOIN milestones m ON m.contract_id = c.id
        LEFT JOIN invoices i ON i.milestone_id = m.id AND i.status <> 'Void'
        WHERE c.id = @id AND c.organization_id = @org
        ORDER BY m.position
        """;

    private readonly List<(NpgsqlConnection Connection, NpgsqlCommand Command)> _workers = [];

    private HandWrittenContractRead()
    {
    }

    public static async Task<HandWrittenContractRead> OpenAsync(string database, Guid organization, int workers)
    {
        var read = new HandWrittenContractRead();
        for (var i = 0; i < workers; i++)
        {
            var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid));
            command.Parameters.Add(new NpgsqlParameter("org", NpgsqlDbType.Uuid) { Value = organization });
            await command.PrepareAsync();
            read._workers.Add((connection, command));
        }

        return read;
    }

    /// <summary>Reads one contract on the worker's connection; true when it had rows.</summary>
    public async Task<bool?> ReadAsync(int worker, Guid contract, CancellationToken ct)
    {
        var command = _workers[worker].Command;
        command.Parameters[0].Value = contract;
        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < reader.FieldCount; i++)
                _ = reader.GetValue(i);
            rows++;
        }

        return rows > 0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (connection, command) in _workers)
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

/// <summary>
/// The sweep's second reference: a payment of 1.00 written by hand on PostgreSQL, the writes
/// <c>POST /api/v1/payments</c> makes for a client with open invoices, as prepared statements over Npgsql
/// in one transaction per payment, one connection per client: lock the client, sum its payments so far
/// (the documented limit), find its oldest open invoice, insert the payment, apply it to that invoice
/// (the update fires the receivable totals triggers), its application, the two audit entries, the
/// <c>payment.recorded</c> event (written as delivered: the floor delivers nothing) and the stored
/// idempotent answer, with values of the sizes a real payment writes. Ids are version 7, as Cairn's,
/// so the inserts land where Cairn's would in every index.
/// </summary>
internal sealed class HandWrittenPayment : IAsyncDisposable
{
    private static readonly string[] Statements =
    [
        "SELECT 1 FROM clients WHERE id = @client AND organization_id = @org FOR UPDATE",
        "SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE client_id = @client AND organization_id = @org AND currency = 'EUR'",
        """
        SELECT id FROM invoices
        WHERE client_id = @client AND organization_id = @org AND status = 'Issued' AND NOT disputed AND currency = 'EUR'
        ORDER BY due_date, series, sequence LIMIT 1
        """,
        """
        INSERT INTO payments (id, organization_id, client_id, currency, amount_minor, received_on, method, reference, status, created_at)
        VALUES (@payment, @org, @client, 'EUR', 100, current_date, 'transfer', 'bench', 'Recorded', now())
        """,
        "UPDATE invoices SET paid_minor = paid_minor + 100 WHERE id = @invoice",
        "INSERT INTO payment_applications (id, organization_id, payment_id, invoice_id, amount_minor, at) VALUES (@application, @org, @payment, @invoice, 100, now())",
        """
        INSERT INTO audit_log (id, organization_id, entity_type, entity_id, action, actor, at, before, after)
        VALUES (@audit1, @org, 'payment', @payment, 'recorded', @actor, now(), NULL, @after1),
               (@audit2, @org, 'invoice', @invoice, 'payment_applied', @actor, now(), NULL, @after2)
        """,
        """
        INSERT INTO outbox_messages (id, organization_id, kind, type, idempotency_key, payload, created_at, next_attempt_at, attempts, delivered_at)
        VALUES (@event, @org, 'event', 'payment.recorded', @key, @payload, now(), 0, 0, now())
        """,
        """
        INSERT INTO idempotency_requests (organization_id, caller, idempotency_key, request_hash, status_code, content_type, location, body, created_at)
        VALUES (@org, @actor, @key, @hash, 201, 'application/json; charset=utf-8', @location, @body, now())
        """,
    ];

    // The sizes of a real payment's audit entries (100 and 121 characters), event payload (~405) and stored answer (~600 bytes).
    private static readonly string RecordedAfter = """{"amount":"1.00","currency":"EUR","receivedOn":"2026-12-02","method":"transfer","reference":"bench"}""";
    private static readonly string AppliedAfter = """{"paymentId":"01a2346c-f0d6-7662-b513-5d8f74576dd3","amount":"1.00","status":"issued","paid":"44.00","balance":"1636.00"}""";
    private static readonly string Payload = new('p', 405);
    private static readonly byte[] Body = System.Text.Encoding.UTF8.GetBytes(new string('b', 600));

    private readonly List<(NpgsqlConnection Connection, NpgsqlCommand[] Commands)> _workers = [];

    private HandWrittenPayment()
    {
    }

    public static async Task<HandWrittenPayment> OpenAsync(string database, Guid organization, int workers)
    {
        var payment = new HandWrittenPayment();
        for (var i = 0; i < workers; i++)
        {
            var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            var commands = new NpgsqlCommand[Statements.Length];
            for (var s = 0; s < Statements.Length; s++)
            {
                var command = new NpgsqlCommand(Statements[s], connection);
                foreach (var name in ParameterNames(Statements[s]))
                    command.Parameters.Add(new NpgsqlParameter(name, TypeOf(name)) { Value = name == "org" ? organization : DBNull.Value });
                await command.PrepareAsync();
                commands[s] = command;
            }

            payment._workers.Add((connection, commands));
        }

        return payment;
    }

    /// <summary>Records a payment of 1.00 for <paramref name="client"/> on the worker's connection, applied to its oldest open invoice if it has one (else kept as credit, as Cairn does); true once committed.</summary>
    public async Task<bool?> PayAsync(int worker, Guid client, CancellationToken ct)
    {
        var (connection, commands) = _workers[worker];
        var payment = Guid.CreateVersion7();
        var key = Guid.NewGuid().ToString("N");
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var command in commands)
        {
            command.Transaction = transaction;
            Set(command, "client", client);
            Set(command, "payment", payment);
            Set(command, "actor", "ApiKey:bench");
            Set(command, "key", key);
        }

        await commands[0].ExecuteNonQueryAsync(ct);
        await commands[1].ExecuteScalarAsync(ct);
        var invoice = await commands[2].ExecuteScalarAsync(ct) as Guid?;
        await commands[3].ExecuteNonQueryAsync(ct);
        if (invoice is { } open)
        {
            Set(commands[4], "invoice", open);
            await commands[4].ExecuteNonQueryAsync(ct);
            Set(commands[5], "invoice", open);
            Set(commands[5], "application", Guid.CreateVersion7());
            await commands[5].ExecuteNonQueryAsync(ct);
            Set(commands[6], "invoice", open);
            Set(commands[6], "audit1", Guid.CreateVersion7());
            Set(commands[6], "audit2", Guid.CreateVersion7());
            Set(commands[6], "after1", RecordedAfter);
            Set(commands[6], "after2", AppliedAfter);
            await commands[6].ExecuteNonQueryAsync(ct);
        }

        Set(commands[7], "event", Guid.CreateVersion7());
        Set(commands[7], "payload", Payload);
        await commands[7].ExecuteNonQueryAsync(ct);
        Set(commands[8], "hash", new string('h', 64));
        Set(commands[8], "location", $"/api/v1/payments/{payment}");
        Set(commands[8], "body", Body);
        await commands[8].ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private static void Set(NpgsqlCommand command, string name, object value)
    {
        if (command.Parameters.IndexOf(name) is var i and >= 0)
            command.Parameters[i].Value = value;
    }

    private static IEnumerable<string> ParameterNames(string sql) =>
        System.Text.RegularExpressions.Regex.Matches(sql, "@([a-z0-9]+)").Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal);

    private static NpgsqlDbType TypeOf(string name) => name switch
    {
        "actor" or "key" or "after1" or "after2" or "payload" or "hash" or "location" => NpgsqlDbType.Text,
        "body" => NpgsqlDbType.Bytea,
        _ => NpgsqlDbType.Uuid,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var (connection, commands) in _workers)
        {
            foreach (var command in commands)
                await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

/// <summary>
/// The floor of an approval on SQLite: the statements of bench/floor/approve-postgres.sql in one
/// <c>BEGIN IMMEDIATE</c> transaction (SQLite has no row locks: the write lock is the database's),
/// prepared once per connection, on the server's own database file with Cairn's pragmas.
/// </summary>
internal sealed partial class SqliteApproveFloor : IDisposable
{
    private static readonly string[] Statements =
    [
        "BEGIN IMMEDIATE",
        """
        SELECT c.id, c.client_id, m.id, c.tax_rate_per_million FROM contracts c JOIN milestones m ON m.contract_id = c.id
        WHERE m.id = (SELECT milestone_id FROM bench_floor_queue WHERE n = $n) AND c.organization_id = $org
        """,
        "SELECT amount_minor, currency, COALESCE(tax_rate_per_million, $contract_rate), title FROM milestones WHERE id = $milestone AND organization_id = $org AND status = 'Submitted'",
        "UPDATE milestones SET status = 'Approved', approved_at = $now, approved_by = $actor, version = version + 1 WHERE id = $milestone AND status = 'Submitted'",
        """
        INSERT INTO document_counters (organization_id, series, last_value) VALUES ($org, $series, 1)
        ON CONFLICT (organization_id, series) DO UPDATE SET last_value = last_value + 1 RETURNING last_value
        """,
        """
        INSERT INTO invoices (id, organization_id, client_id, contract_id, milestone_id, status, series, sequence, number,
                              currency, net_minor, tax_minor, gross_minor, paid_minor, credited_minor, payment_terms_days,
                              issue_date, due_date, seller, buyer, created_at, issued_at, disputed, content_hash, prepayment)
        VALUES ($invoice, $org, $client, $contract, $milestone, 'Issued', $series, $sequence, $number,
                $currency, $net, $tax, $gross, 0, 0, 30, $today, $due, $seller, $buyer, $now, $now, 0, $hash, 0)
        """,
        """
        INSERT INTO invoice_lines (id, invoice_id, position, description, currency, net_minor, tax_category, tax_rate_per_million, kind)
        VALUES ($line, $invoice, 1, $title, $currency, $net, 'S', $rate, 'work')
        """,
        """
        INSERT INTO milestone_events (id, organization_id, milestone_id, kind, from_status, to_status, note, links, actor, at)
        VALUES ($event, $org, $milestone, 'Approved', 'Submitted', 'Approved', NULL, '[]', $actor, $now)
        """,
        """
        INSERT INTO audit_log (id, organization_id, entity_type, entity_id, action, actor, at, before, after)
        VALUES ($audit1, $org, $audit1_type, $milestone, $audit1_action, $actor, $now, NULL, $audit1_after),
               ($audit2, $org, $audit2_type, $invoice, $audit2_action, $actor, $now, NULL, $audit2_after),
               ($audit3, $org, $audit3_type, $contract, $audit3_action, $actor, $now, NULL, $audit3_after)
        """,
        """
        INSERT INTO outbox_messages (id, organization_id, kind, type, idempotency_key, payload, created_at, next_attempt_at, attempts, delivered_at)
        VALUES ($outbox1, $org, 'event', $event1_type, $outbox1, $event1_payload, $now, 0, 0, $now),
               ($outbox2, $org, 'event', $event2_type, $outbox2, $event2_payload, $now, 0, 0, $now)
        """,
        """
        INSERT INTO idempotency_requests (organization_id, caller, idempotency_key, request_hash, status_code, content_type, body, created_at)
        VALUES ($org, $actor, $key, $hash, 200, 'application/json', $body, $now)
        """,
        "COMMIT",
    ];

    private readonly List<(SqliteConnection Connection, SqliteCommand[] Commands)> _workers = [];
    private readonly ApprovalSample _sample;
    private long _next;

    public SqliteApproveFloor(string file, ApprovalSample sample, int workers)
    {
        _sample = sample;
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();
        for (var w = 0; w < workers; w++)
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
                pragmas.ExecuteNonQuery();
            }

            var commands = Statements.Select(sql =>
            {
                var command = connection.CreateCommand();
                command.CommandText = sql;
                return command;
            }).ToArray();
            _workers.Add((connection, commands));
        }
    }

    /// <summary>Creates <c>bench_floor_queue</c> (n from 1) in the database file with the milestones the floor approves.</summary>
    public static void Queue(string file, IReadOnlyList<Guid> milestones)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "DROP TABLE IF EXISTS bench_floor_queue; CREATE TABLE bench_floor_queue (n INTEGER PRIMARY KEY, milestone_id TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO bench_floor_queue (n, milestone_id) VALUES ($n, $id)";
        var n = insert.Parameters.Add("$n", SqliteType.Integer);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        for (var i = 0; i < milestones.Count; i++)
        {
            n.Value = i + 1;
            id.Value = milestones[i].ToString().ToUpperInvariant();
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>One approval by hand on the worker's connection; null when the queue is used up.</summary>
    public bool? Approve(int worker)
    {
        var commands = _workers[worker].Commands;
        var n = Interlocked.Increment(ref _next);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var text = now.ToString("yyyy-MM-dd HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);
        var values = new Dictionary<string, object>
        {
            ["$n"] = n,
            ["$org"] = _sample.Organization.ToString().ToUpperInvariant(),
            ["$actor"] = _sample.Actor,
            ["$series"] = _sample.Series,
            ["$now"] = text,
            ["$today"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["$due"] = today.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["$seller"] = _sample.Seller,
            ["$buyer"] = _sample.Buyer,
            ["$hash"] = _sample.Hash,
            ["$body"] = _sample.Body,
            ["$key"] = Guid.NewGuid().ToString("N"),
        };
        foreach (var name in new[] { "$invoice", "$line", "$event", "$audit1", "$audit2", "$audit3", "$outbox1", "$outbox2" })
            values[name] = Guid.CreateVersion7().ToString().ToUpperInvariant();
        foreach (var (name, value) in _sample.Entries())
            values["$" + name] = value;

        try
        {
            Run(commands[0], values);
            using (var reader = Query(commands[1], values))
            {
                if (!reader.Read())
                {
                    reader.Close();
                    Run(commands[^1], values);
                    return null;
                }

                values["$contract"] = reader.GetString(0);
                values["$client"] = reader.GetString(1);
                values["$milestone"] = reader.GetString(2);
                values["$contract_rate"] = reader.GetInt64(3);
            }

            using (var reader = Query(commands[2], values))
            {
                if (!reader.Read())
                    throw new InvalidOperationException("a queued milestone was not submitted");
                var net = reader.GetInt64(0);
                var rate = reader.GetInt64(2);
                var tax = net * rate / 1_000_000;
                values["$net"] = net;
                values["$tax"] = tax;
                values["$gross"] = net + tax;
                values["$currency"] = reader.GetString(1);
                values["$rate"] = rate;
                values["$title"] = reader.GetString(3);
            }

            Run(commands[3], values);
            var sequence = Convert.ToInt64(Scalar(commands[4], values), CultureInfo.InvariantCulture);
            values["$sequence"] = sequence;
            values["$number"] = string.Create(CultureInfo.InvariantCulture, $"{_sample.Series}-{sequence:000000}");
            for (var i = 5; i < commands.Length; i++)
                Run(commands[i], values);
            return true;
        }
        catch (SqliteException)
        {
            using var rollback = _workers[worker].Connection.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
            return false;
        }
    }

    private static void Bind(SqliteCommand command, Dictionary<string, object> values)
    {
        if (command.Parameters.Count == 0 && command.CommandText.Contains('$', StringComparison.Ordinal))
        {
            // The statement's own parameters only ($n is not $now's prefix).
            foreach (var name in ParameterName().Matches(command.CommandText).Select(m => m.Value).Distinct())
                command.Parameters.AddWithValue(name, values[name]);
            command.Prepare();
        }

        foreach (SqliteParameter parameter in command.Parameters)
            parameter.Value = values[parameter.ParameterName];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\$[a-z0-9_]+")]
    private static partial System.Text.RegularExpressions.Regex ParameterName();

    private static void Run(SqliteCommand command, Dictionary<string, object> values)
    {
        Bind(command, values);
        command.ExecuteNonQuery();
    }

    private static SqliteDataReader Query(SqliteCommand command, Dictionary<string, object> values)
    {
        Bind(command, values);
        return command.ExecuteReader();
    }

    private static object? Scalar(SqliteCommand command, Dictionary<string, object> values)
    {
        Bind(command, values);
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        foreach (var (connection, commands) in _workers)
        {
            foreach (var command in commands)
                command.Dispose();
            connection.Dispose();
        }
    }
}
