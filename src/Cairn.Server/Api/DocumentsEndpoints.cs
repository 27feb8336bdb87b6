using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;

namespace Cairn.Server.Api;

/// <summary>The documents of invoices and credit notes: their PDFs, their UBL and CII e-invoices.</summary>
public static class DocumentsEndpoints
{
    public const string PdfContentType = "application/pdf";

    public static void MapDocuments(this RouteGroupBuilder api)
    {
        api.MapGet("/invoices/{id:guid}/pdf", async (Guid id, string? paper, HttpContext http, CairnDb db, CancellationToken ct) =>
            Download(http, await DocumentFiles.InvoiceAsync(db, id, Paper(paper), ct), "invoice", id))
            .Requires(Permission.Read).WithTags("Invoices")
            .WithSummary("Downloads an issued invoice as a PDF (A4, or Letter with paper=letter): a Factur-X 1.0 PDF/A-3B carrying its CII (EN 16931) as factur-x.xml, or a plain PDF when the invoice has no CII form.")
            .Produces<Stream>(StatusCodes.Status200OK, PdfContentType)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/credit-notes/{id:guid}/pdf", async (Guid id, string? paper, HttpContext http, CairnDb db, CancellationToken ct) =>
            Download(http, await DocumentFiles.CreditNoteAsync(db, id, Paper(paper), ct), "credit note", id))
            .Requires(Permission.Read).WithTags("Credit notes")
            .WithSummary("Downloads a credit note as a PDF (A4, or Letter with paper=letter): a Factur-X 1.0 PDF/A-3B carrying its CII (type 381) as factur-x.xml, or a plain PDF when it has no CII form.")
            .Produces<Stream>(StatusCodes.Status200OK, PdfContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/invoices/{id:guid}/ubl", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            DownloadXml(http, await EInvoiceFiles.InvoiceUblAsync(db, id, ct), "invoice", id))
            .Requires(Permission.Read).WithTags("Invoices")
            .WithSummary("Downloads an issued invoice as an EN 16931 e-invoice in UBL 2.1, in the client's profile (plain EN 16931, Peppol BIS Billing 3.0 or XRechnung 3).")
            .Produces<Stream>(StatusCodes.Status200OK, Ubl.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/invoices/{id:guid}/cii", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            DownloadXml(http, await EInvoiceFiles.InvoiceCiiAsync(db, id, ct), "invoice", id))
            .Requires(Permission.Read).WithTags("Invoices")
            .WithSummary("Downloads an issued invoice as an EN 16931 e-invoice in UN/CEFACT CII D16B (the XML of the Factur-X / ZUGFeRD EN 16931 profile).")
            .Produces<Stream>(StatusCodes.Status200OK, Ubl.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/credit-notes/{id:guid}/ubl", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            DownloadXml(http, await EInvoiceFiles.CreditNoteUblAsync(db, id, ct), "credit note", id))
            .Requires(Permission.Read).WithTags("Credit notes")
            .WithSummary("Downloads a credit note (type 381, naming its invoice in BG-3) as an EN 16931 e-invoice in UBL 2.1, in the client's profile.")
            .Produces<Stream>(StatusCodes.Status200OK, Ubl.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/credit-notes/{id:guid}/cii", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            DownloadXml(http, await EInvoiceFiles.CreditNoteCiiAsync(db, id, ct), "credit note", id))
            .Requires(Permission.Read).WithTags("Credit notes")
            .WithSummary("Downloads a credit note (type 381, naming its invoice in BG-3) as an EN 16931 e-invoice in UN/CEFACT CII D16B (the XML of Factur-X).")
            .Produces<Stream>(StatusCodes.Status200OK, Ubl.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult DownloadXml(HttpContext http, XmlFile? file, string entity, Guid id)
    {
        if (file is null)
            return Problems.NotFound(entity, id.ToString()).ToResult();
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{file.FileName}\"";
        return Results.File(file.Content, Ubl.ContentType);
    }

    /// <summary>A PDF as an attachment, never from a cache; a 404 problem naming the entity when there is none.</summary>
    internal static IResult Download(HttpContext http, PdfFile? file, string entity, Guid id)
    {
        if (file is null)
            return Problems.NotFound(entity, id.ToString()).ToResult();
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{file.FileName}\"";
        // The balance printed on an invoice moves with payments: never serve a stale copy from a cache.
        http.Response.Headers.CacheControl = "private, no-cache";
        return Results.File(file.Content, PdfContentType);
    }

    private static Paper? Paper(string? paper) => paper?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "a4" => Documents.Paper.A4,
        "letter" => Documents.Paper.Letter,
        _ => throw new DomainException(new DomainError("invalid_paper", "paper is a4 or letter.", "paper")),
    };
}
