using System.Data.Common;
using System.Net;
using CairnDb = Cairn.Server.Data.CairnDb;
using Cairn.Server.Jobs;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// A transient database failure (another writer holds the lock longer than Cairn waits: SQLite
/// "busy", PostgreSQL "lock not available") answers 503 with Retry-After on every door, changes
/// nothing, and the same request succeeds once the database is free; the jobs try again.
/// </summary>
public abstract class TransientFailureTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    protected CairnApp App { get; private set; } = null!;

    public Task InitializeAsync()
    {
        // Real lock waits, only shorter than in production, so that a held lock fails a request within the test.
        App = new CairnApp(engine) { TestServices = s => s.ConfigureDbContext<CairnDb>(o => o.AddInterceptors(new ShortLockWait(engine.Settings.IsPostgres))) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    [Fact]
    public async Task An_api_change_meeting_a_busy_database_answers_503_with_retry_after_and_changes_nothing()
    {
        var api = await App.NewOrganizationAsync();
        await using (await HoldWritesAsync("clients"))
        {
            var busy = await api.PostAsync("/api/v1/clients", new { name = "Initech" });
            await Json.ProblemAsync(busy, 503, "busy");
            Assert.Equal("1", busy.Headers.RetryAfter?.ToString());
        }

        await using (var db = engine.NewDb(api.OrganizationId))
            Assert.Equal(0, await db.Clients.CountAsync());
        await api.PostOkAsync("/api/v1/clients", new { name = "Initech" });
    }

    [Fact]
    public async Task A_web_form_meeting_a_busy_database_answers_503_with_retry_after_and_keeps_what_was_typed()
    {
        var staff = await App.NewStaffOrganizationAsync(Staff.Email("owner"));
        var browser = new Browser(App);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(staff.OwnerEmail, staff.OwnerPassword)).StatusCode);
        await browser.GetAsync("/clients");
        var form = new Dictionary<string, string> { ["Name"] = "Initech", ["Email"] = "ap@initech.test" };

        await using (await HoldWritesAsync("clients"))
        {
            var busy = await browser.PostFormAsync("/clients", form);
            var html = await busy.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal("1", busy.Headers.RetryAfter?.ToString());
            Assert.Contains("The database is busy", html, StringComparison.Ordinal);
            Assert.Contains("value=\"Initech\"", html, StringComparison.Ordinal);
        }

        await using (var db = engine.NewDb(staff.Api.OrganizationId))
            Assert.Equal(0, await db.Clients.CountAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/clients", form)).StatusCode);
    }

    [Fact]
    public async Task Scheduled_billing_meeting_a_busy_database_bills_nothing_and_bills_on_the_next_pass()
    {
        var api = await App.NewOrganizationAsync();
        var contract = await Plans.ContractAsync(api, "1000.00");
        var id = contract.Str("id");
        // Due today (the server's clock does not move, so only this test's passes run).
        await api.PostOkAsync($"/api/v1/contracts/{id}/milestones", new { title = "Instalment", percentage = "100", trigger = "on_date", billingDate = "2026-11-02" });
        await api.PostOkAsync($"/api/v1/contracts/{id}/activate");
        var scheduler = App.Services.GetRequiredService<ScheduledBilling>();

        await using (await HoldWritesAsync("invoices"))
        {
            Assert.Equal(0, (await scheduler.RunOnceAsync()).InstalmentsBilled);
            await using var db = engine.NewDb(api.OrganizationId);
            Assert.Equal(0, await db.Invoices.CountAsync());
        }

        Assert.Equal(1, (await scheduler.RunOnceAsync()).InstalmentsBilled);
        Assert.Equal("invoiced", (await api.GetOkAsync($"/api/v1/contracts/{id}"))["milestones"]![0]!.Str("billingStatus"));
    }

    /// <summary>
    /// Another writer takes the database's write lock and keeps it until disposed: on SQLite the
    /// whole file (BEGIN IMMEDIATE), on PostgreSQL the table (LOCK … IN EXCLUSIVE MODE: reads go on;
    /// ACCESS EXCLUSIVE stops reads too).
    /// </summary>
    protected async Task<IAsyncDisposable> HoldWritesAsync(string table, string postgresMode = "EXCLUSIVE")
    {
        var connection = await engine.Settings.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = engine.Settings.IsPostgres ? $"BEGIN; LOCK TABLE {table} IN {postgresMode} MODE" : "BEGIN IMMEDIATE";
        await command.ExecuteNonQueryAsync();
        return new HeldLock(connection);
    }

    private sealed class HeldLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var rollback = connection.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Makes the server wait about a second for a lock instead of 30 s on SQLite, or 300 ms instead of
    /// forever on PostgreSQL (lock_timeout). On SQLite two waits add up: the busy_timeout pragma inside
    /// one step, then Microsoft.Data.Sqlite stepping again until the command timeout (the connection's
    /// DefaultTimeout, 30 s in Cairn); both are shortened, or each refused write would take 30 s.
    /// </summary>
    private sealed class ShortLockWait(bool postgres) : DbConnectionInterceptor
    {
        private string Sql => postgres ? "SET lock_timeout = '300ms'" : "PRAGMA busy_timeout=300";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            ShortenCommandTimeout(connection);
            using var command = connection.CreateCommand();
            command.CommandText = Sql;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            ShortenCommandTimeout(connection);
            await using var command = connection.CreateCommand();
            command.CommandText = Sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private static void ShortenCommandTimeout(DbConnection connection)
        {
            if (connection is SqliteConnection sqlite)
                sqlite.DefaultTimeout = 1;
        }
    }
}

public sealed class SqliteTransientFailure(SqliteEngine engine) : TransientFailureTests<SqliteEngine>(engine);

public sealed class PostgresTransientFailure(PostgresEngine engine) : TransientFailureTests<PostgresEngine>(engine)
{
    // On SQLite (WAL) a reader never waits for a writer; on PostgreSQL a read can meet a lock.
    [Fact]
    public async Task A_read_meeting_a_lock_answers_503_with_retry_after_on_the_api_and_on_a_page()
    {
        var staff = await App.NewStaffOrganizationAsync(Staff.Email("owner"));
        var browser = new Browser(App);
        await browser.SignInAsync(staff.OwnerEmail, staff.OwnerPassword);

        await using (await HoldWritesAsync("clients", "ACCESS EXCLUSIVE"))
        {
            var api = await staff.Api.GetAsync("/api/v1/clients");
            await Json.ProblemAsync(api, 503, "busy");
            Assert.Equal("1", api.Headers.RetryAfter?.ToString());
            var (status, _, page) = await browser.GetAsync("/clients");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("1", page.Headers.RetryAfter?.ToString());
        }

        await staff.Api.GetOkAsync("/api/v1/clients");
    }
}
