using Cairn.Server.Billing;
using Cairn.Server.Identity;

namespace Cairn.Server.Api;

/// <summary><c>/reports</c>: dashboard, aging, cash forecast and revenue, all per currency.</summary>
public static class ReportsEndpoints
{
    public static void MapReports(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");

        reports.MapGet("/dashboard", async (Reports service, CancellationToken ct) => Results.Json(await service.DashboardAsync(ct), ApiJson.Options))
            .Requires(Permission.Read).Produces<Dashboard>();

        reports.MapGet("/aging", async (Reports service, CancellationToken ct) => Results.Json(await service.AgingAsync(ct), ApiJson.Options))
            .Requires(Permission.Read).Produces<AgingReport>();

        reports.MapGet("/cash-forecast", async (Reports service, CancellationToken ct) => Results.Json(await service.CashForecastAsync(ct), ApiJson.Options))
            .Requires(Permission.Read).Produces<CashForecast>();

        reports.MapGet("/revenue", async (Reports service, string? from, string? to, CancellationToken ct) =>
            Results.Json(await service.RevenueAsync(Inputs.OptionalDate(from, "from"), Inputs.OptionalDate(to, "to"), ct), ApiJson.Options))
            .Requires(Permission.Read).Produces<RevenueReport>();
    }
}
