using System.Text.Json.Nodes;
using Cairn.Server.Outbox;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Outbox;

/// <summary>DESIGN.md rule 10: events and emails are written with the change, sent after it commits, and retried until delivered.</summary>
public abstract class OutboxTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_rolled_back_approval_emits_nothing_and_the_committed_one_emits_its_events_once()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var clientId = contract.Str("clientId");
        var milestone = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, milestone);
        // XRechnung needs a buyer reference this contract lacks: the approval bills, the invoice cannot be issued, all of it rolls back.
        await api.PatchOkAsync($"/api/v1/clients/{clientId}", new { eInvoiceProfile = "xrechnung" });

        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{milestone}/approve", new { }), 400, "einvoice_incomplete");

        Assert.Empty(await TypesAsync(api, EventTypes.MilestoneApproved, EventTypes.InvoiceIssued));
        Assert.Single(await TypesAsync(api, EventTypes.MilestoneSubmitted));

        await api.PatchOkAsync($"/api/v1/clients/{clientId}", new { eInvoiceProfile = "en16931" });
        var approved = await api.PostOkAsync($"/api/v1/milestones/{milestone}/approve");
        await Mailbox.Deliver(_app);

        var events = await EventsAsync(api, EventTypes.MilestoneApproved, EventTypes.InvoiceIssued);
        Assert.Equal([EventTypes.MilestoneApproved, EventTypes.InvoiceIssued], events.Select(e => e.Type));
        Assert.Equal(milestone, events[0].Data.GetProperty("milestoneId").GetString());
        Assert.Equal("approved", events[0].Data.GetProperty("status").GetString());
        Assert.Equal(approved.Str("invoice.id"), events[1].Data.GetProperty("invoiceId").GetString());
        Assert.Equal(approved.Str("invoice.number"), events[1].Data.GetProperty("number").GetString());
        Assert.Equal("3600.00", events[1].Data.GetProperty("gross").GetProperty("amount").GetString());
        await using var db = engine.NewDb(api.OrganizationId);
        Assert.All(await db.OutboxMessages.ToListAsync(), m => Assert.NotNull(m.DeliveredAt));
    }

    [Fact]
    public async Task A_portal_link_email_is_sent_after_the_commit_with_one_message_id_and_never_stored_readable()
    {
        var api = await _app.NewOrganizationAsync();
        var (links, email) = await ContactLinksAsync(api);

        var created = await api.PostOkAsync(links, new { });

        await using (var db = engine.NewDb(api.OrganizationId))
        {
            var row = Assert.Single(await db.OutboxMessages.Where(m => m.Kind == OutboxMessage.EmailKind).ToListAsync());
            Assert.Equal("portal_link", row.Type);
        }

        Assert.False(await DatabaseScan.ContainsAsync(engine, created.Str("url")));
        var mail = Assert.Single(Mailbox.All(_app), m => m.To.Mailboxes.Single().Address == email);
        Assert.Equal(created.Str("url"), Mailbox.LinkIn(mail, "/portal/"));
        Assert.StartsWith("mail_", mail.MessageId, StringComparison.Ordinal);
        Assert.Equal("1", mail.Headers[Cairn.Server.Mail.MailSettings.AttemptHeader]);
        Assert.Equal(new OutboxReport(0, 0), await Mailbox.Deliver(_app));
        Assert.Single(Mailbox.All(_app));
    }

    [Fact]
    public async Task An_email_the_smtp_server_refuses_is_sent_again_after_the_backoff_and_only_once()
    {
        await using var smtp = new SmtpReceiver();
        await using var app = new CairnApp(engine) { Settings = smtp.Settings() };
        var api = await app.NewOrganizationAsync();
        var (links, email) = await ContactLinksAsync(api);
        smtp.RefuseNext(1);

        await api.PostOkAsync(links, new { });
        await Mailbox.Deliver(app);

        Assert.Empty(smtp.Received);
        await using (var db = engine.NewDb(api.OrganizationId))
        {
            var row = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Kind == OutboxMessage.EmailKind);
            Assert.Null(row.DeliveredAt);
            Assert.Equal(1, row.Attempts);
            Assert.Contains("Try again later", row.LastError, StringComparison.Ordinal);
            Assert.Equal((app.Clock.GetUtcNow() + OutboxDispatcher.Backoff(1)).ToUnixTimeMilliseconds(), row.NextAttemptAt);
        }

        app.Clock.Advance(OutboxDispatcher.Backoff(1));
        await Mailbox.Deliver(app);
        await Mailbox.Deliver(app);

        var received = Assert.Single(smtp.Received);
        Assert.Equal($"<{email}>", received.To);
        // The same Message-ID as the refused attempt would have had, and the attempt that got through.
        Assert.Matches(@"(?m)^Cairn-Attempt: 2\r?$", received.Data);
        await using (var db = engine.NewDb(api.OrganizationId))
        {
            var row = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Kind == OutboxMessage.EmailKind);
            Assert.NotNull(row.DeliveredAt);
            Assert.Equal(2, row.Attempts);
        }
    }

    [Fact]
    public async Task An_event_that_cannot_be_fanned_out_holds_up_no_other_event_of_its_pass()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        Guid good, broken;
        await using (var db = engine.NewDb(api.OrganizationId))
        {
            // Written together, so one pass claims both: events of one organization fan out in one transaction.
            var row = await db.Contracts.SingleAsync(c => c.Id == Guid.Parse(contract.Str("id")));
            var now = _app.Clock.GetUtcNow();
            good = Cairn.Server.Outbox.Outbox.Add(db, api.OrganizationId, EventTypes.ContractActivated, now, new { contractId = row.Id }).Id;
            broken = Cairn.Server.Outbox.Outbox.Add(db, api.OrganizationId, EventTypes.InvoiceIssued, now, new { invoiceId = Guid.NewGuid() }).Id;
            await db.SaveChangesAsync();
        }

        await Mailbox.Deliver(_app);

        await using (var db = engine.NewDb(api.OrganizationId))
        {
            var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == good || m.Id == broken).ToDictionaryAsync(m => m.Id);
            Assert.NotNull(rows[good].DeliveredAt);
            Assert.Null(rows[broken].DeliveredAt);
            Assert.Equal(1, rows[broken].Attempts);
            Assert.NotNull(rows[broken].LastError);
        }
    }

    private async Task<(string Links, string Email)> ContactLinksAsync(ApiClient api)
    {
        var client = await Plans.ClientAsync(api);
        var email = Staff.Email("xena");
        var contact = (await api.PostOkAsync($"/api/v1/clients/{client}/contacts", new { name = "Xena", email })).Str("id");
        return ($"/api/v1/clients/{client}/contacts/{contact}/portal-links", email);
    }

    private async Task<List<string>> TypesAsync(ApiClient api, params string[] types)
    {
        await using var db = engine.NewDb(api.OrganizationId);
        return await db.OutboxMessages.Where(m => types.Contains(m.Type)).OrderBy(m => m.Id).Select(m => m.Type).ToListAsync();
    }

    private async Task<List<OutboxEvent>> EventsAsync(ApiClient api, params string[] types)
    {
        await using var db = engine.NewDb(api.OrganizationId);
        var rows = await db.OutboxMessages.Where(m => m.Kind == OutboxMessage.EventKind && types.Contains(m.Type)).OrderBy(m => m.Id).ToListAsync();
        return rows.Select(Cairn.Server.Outbox.Outbox.Read).ToList();
    }
}

public sealed class SqliteOutbox(SqliteEngine engine) : OutboxTests<SqliteEngine>(engine);

public sealed class PostgresOutbox(PostgresEngine engine) : OutboxTests<PostgresEngine>(engine);
