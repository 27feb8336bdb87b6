using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Bench;

/// <summary>
/// Puts benchmark data into a provisioned database through the domain model, so every row is one
/// the application itself could have written: active contracts with submitted milestones (through
/// EF Core), and the large reporting data set (through PostgreSQL COPY, row values taken from the
/// domain objects via the EF Core model, so columns, conversions and constraints are the real ones).
/// </summary>
internal static class Seeding
{
    private static readonly Actor ProjectManager = new(ActorKind.User, "bench-pm", "Bench project manager");
    private static readonly Actor ClientContact = new(ActorKind.Contact, "bench-contact", "Bench client");

    /// <summary>A context for the only organization of a freshly provisioned database.</summary>
    public static async Task<(CairnDb Db, Organization Organization)> OpenAsync(DatabaseSettings settings)
    {
        var options = new DbContextOptionsBuilder<CairnDb>();
        settings.Configure(options);
        var db = new CairnDb(options.Options);
        var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync();
        db.TenantId = organization.Id;
        return (db, organization);
    }

    /// <summary>
    /// Active contracts of <paramref name="perContract"/> fixed milestones, each started and submitted
    /// (with its history), ready to approve. Returns the milestone ids interleaved across contracts, so
    /// concurrent approvals rarely wait for the same contract, and the contract ids.
    /// </summary>
    public static async Task<(List<Guid> Milestones, List<Guid> Contracts)> SubmittedMilestonesAsync(DatabaseSettings settings, int milestones, int perContract = 10)
    {
        var (first, organization) = await OpenAsync(settings);
        await using (first)
        {
            var now = DateTimeOffset.UtcNow;
            var clients = Enumerable.Range(1, 20).Select(i => new Client(Guid.CreateVersion7(), organization.Id, $"Bench client {i}", now) { Email = $"ap{i}@client.example", Address = $"{i} Main Street", TaxId = $"DE{i:000000000}" }).ToList();
            first.Clients.AddRange(clients);
            await first.SaveChangesAsync();

            var contracts = (milestones + perContract - 1) / perContract;
            var ids = new List<Guid[]>();
            const int Batch = 100;
            for (var start = 0; start < contracts; start += Batch)
            {
                var (db, _) = await OpenAsync(settings);
                await using (db)
                {
                    for (var n = start; n < Math.Min(contracts, start + Batch); n++)
                    {
                        var contract = new Contract(Guid.CreateVersion7(), organization.Id, clients[n % clients.Count].Id, $"Bench contract {n + 1}", new Money(perContract * 100_000L, Currency.EUR), Percentage.Parse("20"), 30, now);
                        for (var m = 0; m < perContract; m++)
                            contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms($"Milestone {m + 1}", "The deliverable", "Accepted by the client", null, new Money(100_000, Currency.EUR), null));
                        contract.Activate(now);
                        foreach (var milestone in contract.Milestones)
                        {
                            milestone.Start(ProjectManager, now);
                            milestone.Submit("Delivered", ["https://example.test/deliverable"], ProjectManager, now);
                        }

                        db.Contracts.Add(contract);
                        ids.Add(contract.Milestones.Select(m => m.Id).ToArray());
                    }

                    await db.SaveChangesAsync();
                }
            }

            var interleaved = Enumerable.Range(0, perContract).SelectMany(m => ids.Select(c => c[m])).Take(milestones).ToList();
            var contractIds = new List<Guid>();
            var (reader, _) = await OpenAsync(settings);
            await using (reader)
                contractIds = await reader.Contracts.Select(c => c.Id).ToListAsync();
            return (interleaved, contractIds);
        }
    }

    /// <summary>
    /// The reporting data set: <paramref name="contracts"/> active contracts spread over clients, each with
    /// <paramref name="invoicedPerContract"/> milestones approved and invoiced over the past 14 months
    /// (older invoices mostly paid, by one payment per contract) and one more milestone still in the
    /// works, due in the next 60 days. Written with PostgreSQL binary COPY in batches.
    /// </summary>
    public static async Task<BulkFigures> ReportingDataAsync(DatabaseSettings settings, int contracts, int invoicedPerContract, int clientCount, IProgress<string>? progress = null)
    {
        var (db, organization) = await OpenAsync(settings);
        await using var _ = db;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var seller = organization.ToSnapshot();
        var format = NumberFormat.Parse(organization.InvoiceSeriesFormat);
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        var random = new Random(6);
        var figures = new BulkFigures();

        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        var tables = new Dictionary<Type, CopyTable>
        {
            [typeof(Client)] = CopyTable.For<Client>(db),
            [typeof(Contract)] = CopyTable.For<Contract>(db),
            [typeof(Milestone)] = CopyTable.For<Milestone>(db),
            [typeof(Invoice)] = CopyTable.For<Invoice>(db),
            [typeof(InvoiceLine)] = CopyTable.For<InvoiceLine>(db),
            [typeof(Payment)] = CopyTable.For<Payment>(db),
            [typeof(PaymentApplication)] = CopyTable.For<PaymentApplication>(db),
            [typeof(InvoiceOverdueMark)] = CopyTable.For<InvoiceOverdueMark>(db),
            [typeof(InvoiceReminder)] = CopyTable.For<InvoiceReminder>(db),
        };

        var created = DateTimeOffset.UtcNow.AddDays(-500);
        var clients = Enumerable.Range(1, clientCount).Select(i => new Client(Guid.CreateVersion7(), organization.Id, $"Client {i:00000}", created) { Email = $"ap{i}@client.example", Address = $"{i} Market Street", TaxId = $"DE{i:000000000}" }).ToList();
        await tables[typeof(Client)].WriteAsync(connection, clients);
        figures.Clients = clients.Count;

        const int Batch = 1000;
        for (var start = 0; start < contracts; start += Batch)
        {
            var batch = new Batch();
            for (var k = start; k < Math.Min(contracts, start + Batch); k++)
                AddContract(batch, k);
            await tables[typeof(Contract)].WriteAsync(connection, batch.Contracts);
            await tables[typeof(Milestone)].WriteAsync(connection, batch.Milestones);
            await tables[typeof(Invoice)].WriteAsync(connection, batch.Invoices);
            await tables[typeof(InvoiceLine)].WriteAsync(connection, batch.Lines);
            await tables[typeof(Payment)].WriteAsync(connection, batch.Payments);
            await tables[typeof(PaymentApplication)].WriteAsync(connection, batch.Applications);
            await tables[typeof(InvoiceOverdueMark)].WriteAsync(connection, batch.OverdueMarks);
            await tables[typeof(InvoiceReminder)].WriteAsync(connection, batch.Reminders);
            figures.Contracts += batch.Contracts.Count;
            figures.Milestones += batch.Milestones.Count;
            figures.Invoices += batch.Invoices.Count;
            figures.Payments += batch.Payments.Count;
            figures.Applications += batch.Applications.Count;
            if ((start / Batch) % 10 == 9)
                progress?.Report($"{figures.Contracts} contracts, {figures.Invoices} invoices");
        }

        foreach (var (series, last) in counters)
        {
            await using var counter = new NpgsqlCommand("INSERT INTO document_counters (organization_id, series, last_value) VALUES (@o, @s, @v)", connection);
            counter.Parameters.AddWithValue("o", organization.Id);
            counter.Parameters.AddWithValue("s", series);
            counter.Parameters.AddWithValue("v", last);
            await counter.ExecuteNonQueryAsync();
        }

        await using (var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 })
            await analyze.ExecuteNonQueryAsync();
        return figures;

        void AddContract(Batch batch, int k)
        {
            var client = clients[k % clients.Count];
            var began = today.AddDays(-430 + (k % 300));
            var at = Stamp(began);
            var amounts = Enumerable.Range(0, invoicedPerContract).Select(m => 50_000L + (((k * 7) + (m * 13)) % 40 * 5_000L)).ToList();
            const long OpenAmount = 100_000;
            var contract = new Contract(Guid.CreateVersion7(), organization.Id, client.Id, $"Contract {k + 1:000000}", new Money(amounts.Sum() + OpenAmount, Currency.EUR), Percentage.Parse("20"), 30, at);
            for (var m = 0; m < invoicedPerContract; m++)
                contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms($"Milestone {m + 1}", "Work", "Accepted by the client", began.AddDays((m * 14) + 10), new Money(amounts[m], Currency.EUR), null));
            contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms("Final hand-over", "Work", "Accepted by the client", today.AddDays(k % 60), new Money(OpenAmount, Currency.EUR), null));
            contract.Activate(at);
            batch.Contracts.Add(contract);
            batch.Milestones.AddRange(contract.Milestones);

            Payment? payment = null;
            var toPay = new List<Invoice>();
            for (var m = 0; m < invoicedPerContract; m++)
            {
                var milestone = contract.Milestones[m];
                var issueDate = began.AddDays((m * 14) + 7);
                var issued = Stamp(issueDate);
                milestone.Start(ProjectManager, issued);
                milestone.Submit("Delivered", ["https://example.test/deliverable"], ProjectManager, issued);
                milestone.Approve(ClientContact, issued);
                var invoice = new Invoice(Guid.CreateVersion7(), contract, milestone, issued);
                var series = format.SeriesFor(issueDate);
                var sequence = counters[series] = counters.GetValueOrDefault(series) + 1;
                invoice.Issue(format.Number(issueDate, sequence), issueDate, seller, client.ToSnapshot(organization.CountryCode), issued);
                batch.Invoices.Add(invoice);
                batch.Lines.AddRange(invoice.Lines);

                // Older invoices are mostly paid; recent ones mostly open, so every aging bucket has money in it.
                var age = today.DayNumber - issueDate.DayNumber;
                var paidChance = age > 150 ? 0.9 : age > 90 ? 0.6 : age > 45 ? 0.35 : 0.15;
                if (random.NextDouble() < paidChance)
                    toPay.Add(invoice);
            }

            var open = contract.Milestones[invoicedPerContract];
            if (k % 4 != 0)
                open.Start(ProjectManager, at);
            if (k % 4 == 1)
                open.Submit("Delivered", ["https://example.test/deliverable"], ProjectManager, at);

            // Books that have been running are dunned up to date: each open invoice's overdue mark and the
            // reminder steps that have come are recorded (as skipped: no mail went out), so a server started on
            // them chases only what comes due from now on, as it would at this size (issue 16).
            foreach (var invoice in batch.Invoices.Skip(batch.Invoices.Count - invoicedPerContract).Except(toPay))
            {
                var due = invoice.DueDate!.Value;
                if (invoice.IsOverdue(today))
                    batch.OverdueMarks.Add(new InvoiceOverdueMark(invoice, due.AddDays(1), Stamp(due.AddDays(1))));
                var plan = ReminderSchedule.Default.PlanFor(invoice.IssueDate!.Value, due, today, []);
                foreach (var step in plan.Skip.Append(plan.Send).OfType<ReminderStep>())
                    batch.Reminders.Add(new InvoiceReminder(Guid.CreateVersion7(), invoice, step, InvoiceReminder.Skipped, Stamp(step.DayFor(due)), null));
                // ... and the day each is next chased is the one the job would have recorded.
                invoice.ChaseNextOn(ReminderSchedule.Default.NextDayAfter(invoice.IssueDate!.Value, due, today, invoice.IsOverdue(today)));
            }

            if (toPay.Count > 0)
            {
                var received = toPay.Max(i => i.DueDate!.Value);
                received = received > today ? today : received;
                payment = new Payment(Guid.CreateVersion7(), organization.Id, client.Id, new Money(toPay.Sum(i => i.GrossMinor), Currency.EUR), received, "bank_transfer", $"Remittance {k + 1}", Stamp(received));
                foreach (var invoice in toPay)
                    payment.ApplyTo(invoice, invoice.Gross, Stamp(received));
                batch.Payments.Add(payment);
                batch.Applications.AddRange(payment.Applications);
            }
        }
    }

    private static DateTimeOffset Stamp(DateOnly day) => new(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);

    /// <summary>How many rows the reporting data set has.</summary>
    internal sealed class BulkFigures
    {
        public int Clients { get; set; }

        public int Contracts { get; set; }

        public int Milestones { get; set; }

        public int Invoices { get; set; }

        public int Payments { get; set; }

        public int Applications { get; set; }
    }

    private sealed class Batch
    {
        public List<Contract> Contracts { get; } = [];

        public List<Milestone> Milestones { get; } = [];

        public List<Invoice> Invoices { get; } = [];

        public List<InvoiceLine> Lines { get; } = [];

        public List<Payment> Payments { get; } = [];

        public List<PaymentApplication> Applications { get; } = [];

        public List<InvoiceOverdueMark> OverdueMarks { get; } = [];

        public List<InvoiceReminder> Reminders { get; } = [];
    }
}

/// <summary>Writes entities to their table with PostgreSQL binary COPY, column by column as the EF Core model maps them (converters included).</summary>
internal sealed class CopyTable
{
    private readonly string _copy;
    private readonly List<(IClrPropertyGetter Getter, Func<object?, object?> ToProvider)> _columns;

    private CopyTable(string copy, List<(IClrPropertyGetter, Func<object?, object?>)> columns)
    {
        _copy = copy;
        _columns = columns;
    }

    public static CopyTable For<T>(CairnDb db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped");
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        if (entity.GetComplexProperties().Any())
            throw new NotSupportedException($"{typeof(T).Name} has complex properties, which this writer does not map");
        var names = new List<string>();
        var columns = new List<(IClrPropertyGetter, Func<object?, object?>)>();
        foreach (var property in entity.GetProperties())
        {
            // Columns the database keeps (a milestone's copy of its contract's status): its triggers fill them, COPY too.
            if (property.GetBeforeSaveBehavior() == PropertySaveBehavior.Ignore)
                continue;
            if (property.IsShadowProperty())
                throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is a shadow property, which this writer does not map");
            var converter = property.GetValueConverter() ?? property.GetTypeMapping().Converter;
            names.Add($"\"{property.GetColumnName(store)}\"");
            columns.Add((property.GetGetter(), converter is null ? v => v : v => v is null ? null : converter.ConvertToProvider(v)));
        }

        return new CopyTable($"COPY {table} ({string.Join(", ", names)}) FROM STDIN (FORMAT BINARY)", columns);
    }

    public async Task WriteAsync<T>(NpgsqlConnection connection, IEnumerable<T> rows)
        where T : class
    {
        await using var importer = await connection.BeginBinaryImportAsync(_copy);
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            foreach (var (getter, toProvider) in _columns)
            {
                var value = toProvider(getter.GetClrValue(row));
                if (value is null)
                    await importer.WriteNullAsync();
                else
                    await importer.WriteAsync(value, TypeOf(value));
            }
        }

        await importer.CompleteAsync();
    }

    private static NpgsqlDbType TypeOf(object value) => value switch
    {
        Guid => NpgsqlDbType.Uuid,
        string => NpgsqlDbType.Text,
        long => NpgsqlDbType.Bigint,
        int => NpgsqlDbType.Integer,
        short => NpgsqlDbType.Smallint,
        bool => NpgsqlDbType.Boolean,
        DateOnly => NpgsqlDbType.Date,
        DateTimeOffset => NpgsqlDbType.TimestampTz,
        DateTime => NpgsqlDbType.TimestampTz,
        byte[] => NpgsqlDbType.Bytea,
        decimal => NpgsqlDbType.Numeric,
        _ => throw new NotSupportedException($"no COPY mapping for {value.GetType().Name}"),
    };
}
