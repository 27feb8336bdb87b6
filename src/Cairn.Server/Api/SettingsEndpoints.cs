using System.Text.Json;
using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/settings</c>: the organization's seller details and billing settings.</summary>
public static class SettingsEndpoints
{
    public static void MapSettings(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings").WithTags("Settings");

        settings.MapGet("/", async (HttpContext http, CairnDb db, CancellationToken ct) =>
        {
            var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
            return Http.WithETag(http, SettingsJson.Of(organization), organization.Version);
        }).Requires(Permission.Read).Produces<SettingsJson>();

        settings.MapPatch("/", async (SettingsInput input, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var organization = await db.Organizations.SingleAsync(ct);
            if (Http.CheckIfMatch(http, organization.Version) is { } stale)
                return stale;
            var before = SettingsJson.Of(organization);
            input.ApplyTo(organization, organization.Calendar.Today(clock));
            Audit.Record(db, caller.OrganizationId, "organization", organization.Id, "settings_updated", caller.Actor, clock.GetUtcNow(), before, SettingsJson.Of(organization));
            await db.SaveChangesAsync(ct);
            return Http.WithETag(http, SettingsJson.Of(organization), organization.Version);
        }).Requires(Permission.ManageSettings).Produces<SettingsJson>();
    }
}

/// <summary>The organization's details and billing settings as the API shows them.</summary>
public sealed record SettingsJson(
    Guid OrganizationId,
    string Name,
    string Address,
    string TaxId,
    string Email,
    string DefaultCurrency,
    InvoiceIssueMode IssueMode,
    string InvoiceSeriesFormat,
    string CreditNoteSeriesFormat,
    int PaymentTermsDays,
    int? ApprovalWindowDays,
    string PaymentInstructions,
    string TimeZone)
{
    public static SettingsJson Of(Organization o) => new(
        o.Id, o.Name, o.Address, o.TaxId, o.Email, o.DefaultCurrency.Code, o.IssueMode, o.InvoiceSeriesFormat, o.CreditNoteSeriesFormat, o.PaymentTermsDays, o.ApprovalWindowDays, o.PaymentInstructions, o.TimeZone)
    {
        Party = PartyJson.Of(o.Party),
        RequireTwoFactor = o.RequireTwoFactor,
    };

    /// <summary>Whether every member must sign in with a second factor (TOTP); members without one are sent to set it up. API keys are not affected.</summary>
    public bool RequireTwoFactor { get; init; }

    /// <summary>The organization as seller (EN 16931 BG-4); <c>taxId</c> is its VAT id (BT-31).</summary>
    public PartyJson? Party { get; init; }
}

/// <summary>
/// Settings to change; fields left out stay as they are. <c>approvalWindowDays</c> null turns
/// auto-approval off. <c>timeZone</c> is an IANA id (e.g. <c>America/Los_Angeles</c>): business
/// dates from then on are days in that zone; dates already on documents stay as issued.
/// <c>requireTwoFactor</c> true makes every member sign in with a second factor: members without
/// one are sent to set it up at their next request and can reach nothing else until they have.
/// </summary>
public sealed record SettingsInput(
    string? Name,
    string? Address,
    string? TaxId,
    string? Email,
    string? IssueMode,
    string? InvoiceSeriesFormat,
    string? CreditNoteSeriesFormat,
    int? PaymentTermsDays,
    JsonElement ApprovalWindowDays,
    string? PaymentInstructions,
    string? TimeZone = null,
    PartyJson? Party = null,
    bool? RequireTwoFactor = null)
{
    /// <summary>Validates every field given, then changes the organization; nothing changes when one is wrong.</summary>
    public void ApplyTo(Organization organization, DateOnly today)
    {
        var name = Name is null ? null : Inputs.Required(Name, "name");
        var address = Inputs.Optional(Address, "address", 1000);
        var party = Party?.ApplyTo(organization.Party) ?? organization.Party;
        var taxId = PartyJson.VatId(TaxId, party);
        var email = Email is null ? null : Inputs.Email(Email, "email", required: false);
        var issueMode = Inputs.OptionalEnum<InvoiceIssueMode>(IssueMode, "issueMode");
        var invoiceSeries = InvoiceSeriesFormat is null ? null : NumberFormat.Parse(InvoiceSeriesFormat.Trim(), "invoiceSeriesFormat").Pattern;
        var creditNoteSeries = CreditNoteSeriesFormat is null ? null : NumberFormat.Parse(CreditNoteSeriesFormat.Trim(), "creditNoteSeriesFormat").Pattern;
        if ((invoiceSeries ?? creditNoteSeries) is not null
            && NumberFormat.Parse(invoiceSeries ?? organization.InvoiceSeriesFormat).SeriesFor(today) == NumberFormat.Parse(creditNoteSeries ?? organization.CreditNoteSeriesFormat).SeriesFor(today))
            throw new DomainException(new DomainError("series_shared", "Invoices and credit notes are numbered in series of their own: use formats that differ outside {seq}.", creditNoteSeries is null ? "invoiceSeriesFormat" : "creditNoteSeriesFormat"));
        if (PaymentTermsDays is < 0 or > 365)
            throw new DomainException(new DomainError("payment_terms_out_of_range", "Payment terms are between 0 and 365 days.", "paymentTermsDays"));
        var changeWindow = ApprovalWindowDays.ValueKind != JsonValueKind.Undefined;
        int? window = ApprovalWindowDays.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.Number when ApprovalWindowDays.TryGetInt32(out var days) && days is >= 1 and <= 365 => days,
            _ => throw new DomainException(new DomainError("approval_window_out_of_range", "The approval window is between 1 and 365 days, or null for none.", "approvalWindowDays")),
        };
        var instructions = Inputs.Optional(PaymentInstructions, "paymentInstructions", 2000);
        var calendar = TimeZone is null ? null : BusinessCalendar.Of(TimeZone);

        organization.Name = name ?? organization.Name;
        organization.Address = address ?? organization.Address;
        organization.TaxId = taxId ?? organization.TaxId;
        organization.Party = party;
        organization.Email = email ?? organization.Email;
        organization.IssueMode = issueMode ?? organization.IssueMode;
        organization.InvoiceSeriesFormat = invoiceSeries ?? organization.InvoiceSeriesFormat;
        organization.CreditNoteSeriesFormat = creditNoteSeries ?? organization.CreditNoteSeriesFormat;
        organization.PaymentTermsDays = PaymentTermsDays ?? organization.PaymentTermsDays;
        if (changeWindow)
            organization.ApprovalWindowDays = window;
        organization.PaymentInstructions = instructions ?? organization.PaymentInstructions;
        if (calendar is not null)
            organization.ChangeTimeZone(calendar.TimeZoneId);
        organization.RequireTwoFactor = RequireTwoFactor ?? organization.RequireTwoFactor;
        organization.Changed();
    }
}
