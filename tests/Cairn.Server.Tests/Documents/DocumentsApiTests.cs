using System.Net;
using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;
using static Cairn.Server.Tests.Documents.Books;

namespace Cairn.Server.Tests.Documents;

/// <summary><c>GET /invoices/{id}/pdf</c> and <c>GET /credit-notes/{id}/pdf</c>: a download, only for the organization's own documents.</summary>
public abstract class DocumentsApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task An_invoice_pdf_downloads_as_an_attachment_named_after_its_number()
    {
        var api = await _app.NewOrganizationAsync();
        await ConfigureAsync(engine, api.OrganizationId);
        var invoiceId = await InvoiceAsync(engine, api.OrganizationId);

        var response = await api.GetAsync($"/api/v1/invoices/{invoiceId}/pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment; filename=\"INV-2026-000001.pdf\"", string.Join(", ", response.Content.Headers.GetValues("Content-Disposition")));
        var pdf = PdfText.Read(await response.Content.ReadAsByteArrayAsync());
        pdf.Shows("INV-2026-000001");
        pdf.Shows("Total 3,600.00 EUR");
        pdf.Shows(PaymentInstructions);
        Assert.Equal((595, 842), Size(pdf));
    }

    [Fact]
    public async Task A_dollar_organization_gets_letter_paper_unless_it_asks_for_a4_and_other_paper_is_a_400()
    {
        var api = await _app.NewOrganizationAsync("Acme Inc", "USD");
        await ConfigureAsync(engine, api.OrganizationId);
        var invoiceId = await InvoiceAsync(engine, api.OrganizationId);

        var letter = PdfText.Read(await (await api.GetAsync($"/api/v1/invoices/{invoiceId}/pdf")).Content.ReadAsByteArrayAsync());
        var a4 = PdfText.Read(await (await api.GetAsync($"/api/v1/invoices/{invoiceId}/pdf?paper=a4")).Content.ReadAsByteArrayAsync());

        Assert.Equal((612, 792), Size(letter));
        Assert.Equal((595, 842), Size(a4));
        await Json.ProblemAsync(await api.GetAsync($"/api/v1/invoices/{invoiceId}/pdf?paper=legal"), 400, "invalid_paper", "paper");
    }

    [Fact]
    public async Task A_credit_note_pdf_downloads_named_after_its_number()
    {
        var api = await _app.NewOrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, api.OrganizationId);
        var noteId = await CreditAsync(engine, api.OrganizationId, invoiceId, "120.00", "Goodwill for a late delivery.");

        var response = await api.GetAsync($"/api/v1/credit-notes/{noteId}/pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment; filename=\"CN-2026-000001.pdf\"", string.Join(", ", response.Content.Headers.GetValues("Content-Disposition")));
        var pdf = PdfText.Read(await response.Content.ReadAsByteArrayAsync());
        pdf.Shows("Credits invoice INV-2026-000001");
        pdf.Shows("Total credited 120.00 EUR");
    }

    [Fact]
    public async Task A_draft_invoice_pdf_is_a_409_problem()
    {
        var api = await _app.NewOrganizationAsync();
        await ConfigureAsync(engine, api.OrganizationId, reviewDrafts: true);
        var invoiceId = await InvoiceAsync(engine, api.OrganizationId, issue: false);

        await Json.ProblemAsync(await api.GetAsync($"/api/v1/invoices/{invoiceId}/pdf"), 409, "invalid_transition");
    }

    [Fact]
    public async Task Another_organization_and_unknown_ids_get_404_and_no_key_gets_401_while_a_viewer_may_download()
    {
        var acme = await _app.NewOrganizationAsync("Acme");
        var other = await _app.NewOrganizationAsync("Other");
        var anonymous = new ApiClient(_app.CreateClient(), null, Guid.Empty);
        var viewer = await _app.WithRoleAsync(acme, Role.Viewer);
        var invoiceId = await InvoiceAsync(engine, acme.OrganizationId);
        var noteId = await CreditAsync(engine, acme.OrganizationId, invoiceId, "10.00", "Rounding goodwill.");

        await Json.ProblemAsync(await other.GetAsync($"/api/v1/invoices/{invoiceId}/pdf"), 404, "not_found");
        await Json.ProblemAsync(await other.GetAsync($"/api/v1/credit-notes/{noteId}/pdf"), 404, "not_found");
        await Json.ProblemAsync(await acme.GetAsync($"/api/v1/invoices/{Guid.CreateVersion7()}/pdf"), 404, "not_found");
        await Json.ProblemAsync(await acme.GetAsync($"/api/v1/credit-notes/{Guid.CreateVersion7()}/pdf"), 404, "not_found");
        await Json.ProblemAsync(await anonymous.GetAsync($"/api/v1/invoices/{invoiceId}/pdf"), 401, "unauthenticated");
        await Json.ProblemAsync(await anonymous.GetAsync($"/api/v1/credit-notes/{noteId}/pdf"), 401, "unauthenticated");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/invoices/{invoiceId}/pdf")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_both_downloads_as_pdf()
    {
        var document = await Json.OkAsync(await _app.CreateClient().GetAsync("/openapi/v1.json"));

        foreach (var path in new[] { "/api/v1/invoices/{id}/pdf", "/api/v1/credit-notes/{id}/pdf" })
            Assert.NotNull(document["paths"]?[path]?["get"]?["responses"]?["200"]?["content"]?["application/pdf"]);
    }

    private static (int Width, int Height) Size(PdfText pdf) => ((int)Math.Round(pdf.Sizes[0].Width), (int)Math.Round(pdf.Sizes[0].Height));
}

public sealed class SqliteDocumentsApi(SqliteEngine engine) : DocumentsApiTests<SqliteEngine>(engine);

public sealed class PostgresDocumentsApi(PostgresEngine engine) : DocumentsApiTests<PostgresEngine>(engine);
