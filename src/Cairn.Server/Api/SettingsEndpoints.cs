using System.Text.Json;
using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Cairn.Server.Requests;
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

        settings.MapGet("/logo", async (HttpContext http, Branding branding, CancellationToken ct) =>
            await branding.LogoAsync(ct) is { } logo
                ? LogoDownload.Serve(http, logo)
                : Problems.NotFound("logo", "organization").ToResult())
            .Requires(Permission.Read)
            .WithSummary("The organization's logo as uploaded (image/png or image/jpeg), its SHA-256 as a strong ETag (If-None-Match answers 304), Cache-Control private, no-cache. 404 when the organization has no logo.")
            .Produces<Stream>(StatusCodes.Status200OK, "image/png", "image/jpeg")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        settings.MapPut("/logo", async (HttpContext http, Branding branding, CairnDb db, CancellationToken ct) =>
        {
            if (Http.CheckIfMatch(http, await db.Organizations.Select(o => o.Version).SingleAsync(ct)) is { } stale)
                return stale;
            // The form is read here, after the permission check: a caller who may not upload never has the body read.
            var file = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(ct)).Files.GetFile("file") : null;
            if (file is null)
                throw new DomainException(new DomainError("file_required", "Send the logo as multipart/form-data, in the part named 'file'.", "file"));
            var upload = await Uploads.ReadAsync(file, ct);
            var organization = await branding.ChangeLogoAsync(upload.FileName, upload.Content, http.Caller().Actor, ct);
            return Http.WithETag(http, SettingsJson.Of(organization), organization.Version);
        }).Requires(Permission.ManageSettings).WithMetadata(new AcceptsFilesAttribute())
            .WithSummary($"Sets the organization's logo, shown on its invoice and credit-note PDFs, in its client portal and in its emails (multipart/form-data, part 'file'). A PNG or JPEG image recognized by its content (the extension must agree), at most {Logo.MaxBytes / 1024} KiB and {Logo.MinPixels} to {Logo.MaxPixels} pixels on each side; SVG is refused (it can carry scripts). A refused file is a 400 problem with field 'file' and its fileName: file_type_mismatch, logo_type_not_allowed, logo_too_large, logo_dimensions, logo_unreadable, file_empty, file_name_invalid. Answers the settings with the new ETag; honours If-Match (412).")
            .Produces<SettingsJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        settings.MapDelete("/logo", async (HttpContext http, Branding branding, CairnDb db, CancellationToken ct) =>
        {
            if (Http.CheckIfMatch(http, await db.Organizations.Select(o => o.Version).SingleAsync(ct)) is { } stale)
                return stale;
            var organization = await branding.RemoveLogoAsync(http.Caller().Actor, ct);
            return Http.WithETag(http, SettingsJson.Of(organization), organization.Version);
        }).Requires(Permission.ManageSettings)
            .WithSummary("Takes the logo off: documents, the portal and emails show the organization's name alone. Answers the settings; honours If-Match (412).")
            .Produces<SettingsJson>()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }
}

/// <summary>The organization's logo: its media type (<c>image/png</c> or <c>image/jpeg</c>), the SHA-256 (lowercase hex) of its bytes, and where to download it.</summary>
public sealed record LogoJson(string MediaType, string Sha256, string Url);

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
        AccentColour = o.Accent?.Hex,
        Logo = o.LogoSha256 is { } sha256 ? new LogoJson(o.LogoMediaType!, sha256, "/api/v1/settings/logo") : null,
    };

    /// <summary>
    /// The accent colour (<c>#rrggbb</c>, lowercase) of the organization's PDFs (seller name, title, strong rules),
    /// portal and email buttons; null for Cairn's own dark blue (<c>#1f4e79</c>). Its contrast with white is at least 4.5:1 (WCAG 2.1 AA).
    /// </summary>
    public string? AccentColour { get; init; }

    /// <summary>The organization's logo (PNG or JPEG) on its PDFs, portal and emails; null when it has none.</summary>
    public LogoJson? Logo { get; init; }

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
/// <c>accentColour</c> is a hex colour (<c>#1f4e79</c>) with a contrast of at least 4.5:1 with white
/// (WCAG 2.1 AA; a lighter one is refused with <c>accent_colour_contrast</c>, naming a darker shade that
/// passes), or null for Cairn's own.
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
    /// <summary>A hex colour (<c>#1f4e79</c>) with enough contrast with white, or null for Cairn's own; left out, the accent stays.</summary>
    public JsonElement AccentColour { get; init; }

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
        var changeAccent = AccentColour.ValueKind != JsonValueKind.Undefined;
        Domain.AccentColour? accent = AccentColour.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String => Domain.AccentColour.Parse(AccentColour.GetString()),
            _ => throw new DomainException(new DomainError("accent_colour_invalid", "The accent colour is a hex colour such as \"#1f4e79\", or null for Cairn's own.", Domain.AccentColour.Field)),
        };

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
        if (changeAccent)
            organization.Accent = accent;
        organization.Changed();
    }
}
