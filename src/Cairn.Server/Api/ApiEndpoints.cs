namespace Cairn.Server.Api;

/// <summary>The REST API under <c>/api/v1</c>: one line per area.</summary>
public static class ApiEndpoints
{
    /// <summary>Maps every area of the API.</summary>
    public static void MapCairnApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").AnswerHeadLikeGet();
        api.MapClients();
        api.MapUsers();
        api.MapPortalLinks();
        api.MapCalendarFeeds();
        api.MapNotificationPreferences();
        api.MapTemplates();
        api.MapContracts();
        api.MapProposals();
        api.MapMilestones();
        api.MapDocuments();
        api.MapAttachments();
        api.MapInvoices();
        api.MapPayments();
        api.MapChangeOrders();
        api.MapDisputes();
        api.MapComments();
        api.MapReports();
        api.MapAudit();
        api.MapSettings();
        api.MapReminders();
        api.MapWebhooks();
    }
}
