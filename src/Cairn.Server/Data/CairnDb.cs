using Cairn.Domain;
using Cairn.Server.Calendar;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Data;

/// <summary>
/// Cairn's unit of work over SQLite or PostgreSQL. Every business row belongs to an
/// organization, and every query is filtered to <see cref="TenantId"/>: a context that was never
/// told its tenant sees nothing (fail closed). Scheduled work that spans tenants says so with
/// <c>IgnoreQueryFilters()</c>.
/// </summary>
public sealed class CairnDb : DbContext
{
    public CairnDb(DbContextOptions<CairnDb> options)
        : base(options)
    {
        Rent();
    }

    /// <summary>The organization this unit of work acts for; <see cref="Guid.Empty"/> sees no rows.</summary>
    public Guid TenantId { get; set; }

    /// <summary>
    /// Readies a context taken from the pool (and a new one) for a new unit of work: no tenant (it sees
    /// nothing until told), and no savepoints. The pool has already cleared what the last unit of work
    /// tracked and put EF Core's own settings back to their defaults. Returns this context.
    /// </summary>
    public CairnDb Rent()
    {
        TenantId = Guid.Empty;
        HasNewOutboxMessages = false;
        // A change runs in one transaction that is rolled back whole on any failure, so EF Core's
        // savepoint around each SaveChanges inside it is never rolled back to: skip its round trips.
        Database.AutoSavepointsEnabled = false;
        return this;
    }

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<Client> Clients => Set<Client>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<Template> Templates => Set<Template>();

    public DbSet<Contract> Contracts => Set<Contract>();

    public DbSet<Milestone> Milestones => Set<Milestone>();

    public DbSet<MilestoneEvent> MilestoneEvents => Set<MilestoneEvent>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();

    public DbSet<CreditNote> CreditNotes => Set<CreditNote>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<PaymentApplication> PaymentApplications => Set<PaymentApplication>();

    public DbSet<Refund> Refunds => Set<Refund>();

    public DbSet<RefundPart> RefundParts => Set<RefundPart>();

    public DbSet<ChangeOrder> ChangeOrders => Set<ChangeOrder>();

    public DbSet<Dispute> Disputes => Set<Dispute>();

    public DbSet<Proposal> Proposals => Set<Proposal>();

    public DbSet<Acceptance> Acceptances => Set<Acceptance>();

    /// <summary>The change-order PDFs as shown to clients, one per proposed change order.</summary>
    public DbSet<ChangeOrderDocument> ChangeOrderDocuments => Set<ChangeOrderDocument>();

    /// <summary>The conversation on milestones and change orders.</summary>
    public DbSet<Comment> Comments => Set<Comment>();

    /// <summary>The previous texts of edited comments.</summary>
    public DbSet<CommentEdit> CommentEdits => Set<CommentEdit>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    /// <summary>The people who are members of the organization (any status); sign-in and invitations look across organizations with <c>IgnoreQueryFilters()</c>.</summary>
    public DbSet<StaffUser> Users => Set<StaffUser>();

    /// <summary>The organization's memberships: each person's role and status in it.</summary>
    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<PortalLink> PortalLinks => Set<PortalLink>();

    public DbSet<Outbox.OutboxMessage> OutboxMessages => Set<Outbox.OutboxMessage>();

    /// <summary>Whether this unit of work added outbox rows since its last commit (the dispatcher is woken after the commit).</summary>
    internal bool HasNewOutboxMessages { get; set; }

    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();

    public DbSet<Reminders.ReminderSettings> ReminderSettings => Set<Reminders.ReminderSettings>();

    public DbSet<Reminders.InvoiceReminder> InvoiceReminders => Set<Reminders.InvoiceReminder>();

    public DbSet<Reminders.InvoiceOverdueMark> InvoiceOverdueMarks => Set<Reminders.InvoiceOverdueMark>();

    /// <summary>Webhook receivers (Standard Webhooks), their deliveries and the log of attempts.</summary>
    public DbSet<Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Webhooks.WebhookEndpoint>();

    /// <summary>One row per (event, endpoint).</summary>
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();

    /// <summary>One row per delivery attempt.</summary>
    public DbSet<Webhooks.WebhookAttempt> WebhookAttempts => Set<Webhooks.WebhookAttempt>();

    public DbSet<Outbox.NotificationPreference> NotificationPreferences => Set<Outbox.NotificationPreference>();

    public DbSet<Outbox.DigestItem> DigestItems => Set<Outbox.DigestItem>();

    public DbSet<Outbox.Digest> Digests => Set<Outbox.Digest>();

    public DbSet<Billing.InvoiceSend> InvoiceSends => Set<Billing.InvoiceSend>();

    public DbSet<Jobs.ApprovalWarning> ApprovalWarnings => Set<Jobs.ApprovalWarning>();

    /// <summary>Files attached to contracts, change orders, milestones, requests for changes and disputes.</summary>
    public DbSet<Attachment> Attachments => Set<Attachment>();

    /// <summary>The stored bytes of files, one row per distinct content (not per organization: reach them through an attachment).</summary>
    public DbSet<FileBlob> FileBlobs => Set<FileBlob>();

    /// <summary>Whether this context talks to PostgreSQL (else SQLite).</summary>
    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Currency>().HaveConversion<CurrencyConverter>().HaveMaxLength(3);
        configurationBuilder.Properties<PartySnapshot>().HaveConversion<JsonConverter<PartySnapshot>>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CairnDb).Assembly);

        // Tenant filters: one line per organization-owned entity, so none can be forgotten.
        modelBuilder.Entity<Client>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Contact>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Template>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Contract>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Milestone>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<MilestoneEvent>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Invoice>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<CreditNote>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Payment>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<PaymentApplication>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Refund>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<RefundPart>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<ChangeOrder>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Dispute>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Proposal>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Acceptance>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<ChangeOrderDocument>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Comment>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<CommentEdit>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<AuditEntry>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<ApiKey>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Membership>().HasQueryFilter(x => x.OrganizationId == TenantId);
        // A person belongs to several organizations: the organization sees those with a membership in it.
        modelBuilder.Entity<StaffUser>().HasQueryFilter(x => Memberships.Any(m => m.UserId == x.Id && m.OrganizationId == TenantId));
        modelBuilder.Entity<PortalLink>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Outbox.OutboxMessage>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<CalendarFeed>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Reminders.ReminderSettings>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Reminders.InvoiceReminder>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Reminders.InvoiceOverdueMark>().HasQueryFilter(x => x.OrganizationId == TenantId);

        modelBuilder.Entity<Webhooks.WebhookEndpoint>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Webhooks.WebhookDelivery>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Webhooks.WebhookAttempt>().HasQueryFilter(x => x.OrganizationId == TenantId);

        modelBuilder.Entity<Outbox.NotificationPreference>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Outbox.DigestItem>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Outbox.Digest>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Billing.InvoiceSend>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Jobs.ApprovalWarning>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Attachment>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<ReceivableTotal>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<ContractValue>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<OpenReceivable>().HasQueryFilter(x => x.OrganizationId == TenantId);
        modelBuilder.Entity<Organization>().HasQueryFilter(x => x.Id == TenantId);

        // Every organization-owned row references its organization, so EF orders inserts to match the foreign keys.
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.ClrType != typeof(Organization) && e.FindProperty("OrganizationId") is not null).ToList())
            modelBuilder.Entity(entity.ClrType).HasOne(typeof(Organization)).WithMany().HasForeignKey("OrganizationId");

        SnakeCase.Apply(modelBuilder);
    }
}
