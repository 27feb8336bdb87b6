using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cairn.Server.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Cairn.Server.Tests.Documents;

/// <summary>
/// Issue 12, organization branding: a logo (PNG or JPEG, judged by content, size and pixels) and an
/// accent colour (enough contrast with white) set through the API and the Settings page, shown on the
/// invoice and credit-note PDFs, in the client portal (to that organization's contacts only) and in
/// the emails to clients.
/// </summary>
public abstract class BrandingTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private const string Plum = "#7a1f5c";
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_logo_that_is_no_png_or_jpeg_or_too_large_and_a_colour_too_light_for_white_text_are_refused_naming_the_field_and_nothing_changes()
    {
        var api = await _app.NewOrganizationAsync();
        var before = await api.GetAsync("/api/v1/settings");
        var etag = before.Headers.ETag!.Tag;

        var renamed = await Json.ProblemAsync(await PutLogoAsync(api, "logo.png", Encoding.UTF8.GetBytes("just some text, not a picture\n")), 400, "file_type_mismatch", "file");
        var svg = await Json.ProblemAsync(await PutLogoAsync(api, "logo.svg", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")), 400, "logo_type_not_allowed", "file");
        var pdf = await Json.ProblemAsync(await PutLogoAsync(api, "logo.pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n")), 400, "logo_type_not_allowed", "file");
        var big = Images.Png(40, 40).Concat(new byte[1024 * 1024]).ToArray();
        var tooLarge = await Json.ProblemAsync(await PutLogoAsync(api, "huge.png", big), 400, "logo_too_large", "file");
        var tiny = await Json.ProblemAsync(await PutLogoAsync(api, "dot.png", Images.Png(4, 4)), 400, "logo_dimensions", "file");
        var light = await Json.ProblemAsync(await api.PatchAsync("/api/v1/settings", new { accentColour = "#ffcc00" }), 400, "accent_colour_contrast", "accentColour");
        await Json.ProblemAsync(await api.PatchAsync("/api/v1/settings", new { accentColour = "plum" }), 400, "accent_colour_invalid", "accentColour");
        await Json.ProblemAsync(await api.PatchAsync("/api/v1/settings", new { accentColour = 7 }), 400, "accent_colour_invalid", "accentColour");

        Assert.Equal("logo.png", renamed.Str("fileName"));
        Assert.Contains("SVG", svg.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("logo.pdf", pdf.Str("fileName"));
        Assert.Contains("at most 1024 KiB", tooLarge.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("4 × 4 pixels", tiny.Str("detail"), StringComparison.Ordinal);
        // The message offers a darker shade of the same hue that passes.
        Assert.Contains("4.5:1", light.Str("detail"), StringComparison.Ordinal);
        Assert.Matches("#[0-9a-f]{6}\\.$", light.Str("detail"));
        var after = await api.GetAsync("/api/v1/settings");
        Assert.Equal(etag, after.Headers.ETag!.Tag);
        var settings = await Json.OkAsync(after);
        Assert.Null(settings["accentColour"]);
        Assert.Null(settings["logo"]);
        await Json.ProblemAsync(await api.GetAsync("/api/v1/settings/logo"), 404);

        Assert.Equal(Plum, (await api.PatchOkAsync("/api/v1/settings", new { accentColour = "#7A1F5C" })).Str("accentColour"));
        Assert.Null((await Json.OkAsync(await api.PatchAsync("/api/v1/settings", "{\"accentColour\": null}")))["accentColour"]);
    }

    [Fact]
    public async Task The_invoice_and_credit_note_pdfs_show_the_logo_and_are_the_same_bytes_on_every_download()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var milestone = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, milestone);
        var invoice = (await api.PostOkAsync($"/api/v1/milestones/{milestone}/approve")).Str("invoice.id");
        Assert.Empty(ImagesOnFirstPage(await BytesAsync(api, $"/api/v1/invoices/{invoice}/pdf")));

        var logo = Images.Png(240, 80);
        var settings = await Json.OkAsync(await PutLogoAsync(api, "acme-logo.png", logo));
        await api.PatchOkAsync("/api/v1/settings", new { accentColour = Plum });

        Assert.Equal("image/png", settings.Str("logo.mediaType"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(logo)), settings.Str("logo.sha256"));
        var first = await BytesAsync(api, $"/api/v1/invoices/{invoice}/pdf");
        var again = await BytesAsync(api, $"/api/v1/invoices/{invoice}/pdf");
        Assert.Equal(first, again);
        var image = Assert.Single(ImagesOnFirstPage(first));
        Assert.Equal(240, image.WidthInSamples);
        Assert.Equal(80, image.HeightInSamples);

        var note = (await api.PostOkAsync($"/api/v1/invoices/{invoice}/credit-notes", new { amount = new { amount = "100.00", currency = "EUR" }, reason = "Late delivery" })).Str("id");
        var notePdf = await BytesAsync(api, $"/api/v1/credit-notes/{note}/pdf");
        Assert.Equal(notePdf, await BytesAsync(api, $"/api/v1/credit-notes/{note}/pdf"));
        Assert.Equal(240, Assert.Single(ImagesOnFirstPage(notePdf)).WidthInSamples);

        await Json.OkAsync(await api.SendAsync(HttpMethod.Delete, "/api/v1/settings/logo", null));
        Assert.Empty(ImagesOnFirstPage(await BytesAsync(api, $"/api/v1/invoices/{invoice}/pdf")));
        await Json.ProblemAsync(await api.GetAsync("/api/v1/settings/logo"), 404);
    }

    [Fact]
    public async Task The_portal_shows_its_own_organizations_logo_and_accent_and_serves_the_logo_to_its_contacts_and_staff_only()
    {
        var api = await _app.NewOrganizationAsync();
        var logo = Images.Png(120, 40);
        var sha256 = (await Json.OkAsync(await PutLogoAsync(api, "logo.png", logo))).Str("logo.sha256");
        await api.PatchOkAsync("/api/v1/settings", new { accentColour = Plum });
        var portal = await PortalAsync(api);

        var home = await portal.GetAsync("/portal");

        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Contains($"<img class=\"brand-logo\" src=\"/portal/logo?v={sha256}\"", home.Html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/portal/brand.css?v=7a1f5c\">", home.Html, StringComparison.Ordinal);
        var csp = home.Response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", home.Html, StringComparison.OrdinalIgnoreCase);

        using var image = await portal.Http.GetAsync($"/portal/logo?v={sha256}");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal(logo, await image.Content.ReadAsByteArrayAsync());
        Assert.True(image.Headers.CacheControl is { Private: true, MaxAge.TotalDays: 365 } cache && cache.Extensions.Any(e => e.Name == "immutable"));
        Assert.Equal($"\"{sha256}\"", image.Headers.ETag!.Tag);
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
        using var unversioned = await portal.Http.GetAsync("/portal/logo");
        Assert.True(unversioned.Headers.CacheControl is { Private: true, NoCache: true, MaxAge: null });
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/portal/logo");
        revalidate.Headers.IfNoneMatch.ParseAdd($"\"{sha256}\"");
        Assert.Equal(HttpStatusCode.NotModified, (await portal.Http.SendAsync(revalidate)).StatusCode);
        var css = await portal.Http.GetStringAsync("/portal/brand.css?v=7a1f5c");
        Assert.Contains("--brand: #7a1f5c;", css, StringComparison.Ordinal);

        // Another organization's contact and staff see their own (none), and nobody without a session sees any.
        var other = await _app.NewOrganizationAsync("Initech Design");
        var outsider = await PortalAsync(other);
        var theirs = await outsider.GetAsync("/portal");
        Assert.DoesNotContain("brand-logo", theirs.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("/portal/brand.css", theirs.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/portal/logo?v={sha256}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new Browser(_app).Http.GetAsync($"/portal/logo?v={sha256}")).StatusCode);
        await Json.ProblemAsync(await other.GetAsync("/api/v1/settings/logo"), 404);
        using var staffCopy = await api.GetAsync("/api/v1/settings/logo");
        Assert.Equal(logo, await staffCopy.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", staffCopy.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_email_to_a_client_has_the_organizations_name_and_its_accent_on_the_button()
    {
        var api = await _app.NewOrganizationAsync();
        await api.PatchOkAsync("/api/v1/settings", new { accentColour = Plum });
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var contactEmail = Staff.Email("xena");
        await api.PostOkAsync($"/api/v1/clients/{contract.Str("clientId")}/contacts", new { name = "Xena", email = contactEmail });

        await Plans.DeliverAsync(api, Plans.MilestoneIds(contract)[0]);

        var mail = Mailbox.LastTo(_app, contactEmail);
        Assert.NotNull(mail.HtmlBody);
        Assert.Contains($"color:{Plum}\">Acme Studio</p>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"color:#ffffff;background-color:{Plum}\">", mail.HtmlBody, StringComparison.Ordinal);
        // The plain-text part still carries the link itself.
        Assert.Contains(Mailbox.LinkIn(mail, "/portal/"), mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_settings_page_sets_the_accent_and_the_logo_and_shows_a_refused_colour_next_to_its_field()
    {
        var owner = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        var browser = new Browser(_app);
        await browser.SignInAsync(owner.OwnerEmail, owner.OwnerPassword);
        await browser.GetAsync("/settings");

        using var refused = await browser.PostFilesAsync("/settings?handler=Branding", new Dictionary<string, string> { ["AccentColour"] = "#ffcc00" }, "Logo", "logo.png", Images.Png(64, 64));
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("4.5:1", html, StringComparison.Ordinal);
        Assert.Null((await owner.Api.GetOkAsync("/api/v1/settings"))["logo"]);

        using var saved = await browser.PostFilesAsync("/settings?handler=Branding", new Dictionary<string, string> { ["AccentColour"] = Plum }, "Logo", "logo.png", Images.Png(64, 64));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var settings = await owner.Api.GetOkAsync("/api/v1/settings");
        Assert.Equal(Plum, settings.Str("accentColour"));
        Assert.Equal("image/png", settings.Str("logo.mediaType"));
        Assert.Contains($"/api/v1/settings/logo?v={settings.Str("logo.sha256")}", (await browser.GetAsync("/settings")).Html, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PutLogoAsync(ApiClient api, string fileName, byte[] content) =>
        api.SendAsync(HttpMethod.Put, "/api/v1/settings/logo", Multipart.Of(fileName, content));

    /// <summary>A browser in the portal as a new contact of a new client of the organization.</summary>
    private async Task<Browser> PortalAsync(ApiClient api)
    {
        var clientId = await Plans.ClientAsync(api);
        var contactId = (await api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Xena", email = Staff.Email("xena") })).Str("id");
        return (await Plans.OpenPortalAsync(_app, api, clientId, contactId, "BrandingTests")).Browser;
    }

    private static List<UglyToad.PdfPig.Content.IPdfImage> ImagesOnFirstPage(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPage(1).GetImages().ToList();
    }

    private static async Task<byte[]> BytesAsync(ApiClient api, string path)
    {
        using var response = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }
}

public sealed class SqliteBranding(SqliteEngine engine) : BrandingTests<SqliteEngine>(engine);

public sealed class PostgresBranding(PostgresEngine engine) : BrandingTests<PostgresEngine>(engine);
