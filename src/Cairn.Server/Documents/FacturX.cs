using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.Filters;

namespace Cairn.Server.Documents;

/// <summary>
/// Makes a PDF a Factur-X 1.0 / ZUGFeRD 2 invoice of the EN 16931 profile: a PDF/A-3 (conformance B,
/// ISO 19005-3) that carries the document's CII XML as the associated file <c>factur-x.xml</c>
/// (AFRelationship /Alternative, MIME type text/xml, with its size and date), an sRGB output intent,
/// and XMP metadata that names PDF/A-3B and the Factur-X fields with their PDF/A extension schema.
/// </summary>
/// <remarks>
/// PDFsharp 6.2 writes the embedded file, the output intent and the catalog's /AF with its object
/// model; the XMP packet that names PDF/A-3B and Factur-X is <see cref="XmpMetadata"/>'s. The sRGB profile is the one PDFsharp itself ships for PDF/A (sRGB2014.icc of
/// the International Color Consortium, free to copy and embed), so Cairn carries no colour profile of its own.
/// </remarks>
internal static class FacturX
{
    /// <summary>The name the Factur-X specification gives the embedded XML.</summary>
    public const string FileName = "factur-x.xml";

    /// <summary>The Factur-X XMP namespace (Factur-X 1.0, also used by ZUGFeRD 2.x).</summary>
    internal const string Fx = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";


    private static readonly Lazy<byte[]> SRgb = new(() =>
    {
        using var stream = typeof(PdfDocument).Assembly.GetManifestResourceStream("PdfSharp.Resources.sRGB2014.icc")
            ?? throw new InvalidOperationException("PDFsharp's sRGB colour profile (PdfSharp.Resources.sRGB2014.icc) was not found.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new FlateDecode().Encode(copy.ToArray(), PdfFlateEncodeMode.BestCompression);
    });

    /// <summary>
    /// Adds to a document about to be saved what Factur-X puts in the PDF's objects: the XML as an
    /// associated embedded file (catalog /AF and /Names /EmbeddedFiles) and the sRGB output intent.
    /// </summary>
    /// <param name="document">The document, not yet saved.</param>
    /// <param name="cii">The CII XML (EN 16931) of the same document.</param>
    /// <param name="modified">When the XML was made (the document's issue time): the file's /ModDate.</param>
    public static void Attach(PdfDocument document, byte[] cii, DateTime modified)
    {
        // PDF/A-3 is based on PDF 1.7; associated files (/AF) come from it.
        document.Version = 17;
        var catalog = document.Internals.Catalog;

        var profile = new PdfDictionary(document);
        document.Internals.AddObject(profile);
        profile.CreateStream(SRgb.Value);
        profile.Elements.SetInteger("/N", 3);
        profile.Elements.SetName("/Filter", "/FlateDecode");
        var intent = new PdfDictionary(document);
        intent.Elements.SetName("/Type", "/OutputIntent");
        intent.Elements.SetName("/S", "/GTS_PDFA1");
        intent.Elements.SetString("/OutputConditionIdentifier", "sRGB IEC61966-2.1");
        intent.Elements.SetString("/RegistryName", "http://www.color.org");
        intent.Elements.SetString("/Info", "sRGB IEC61966-2.1");
        intent.Elements.SetReference("/DestOutputProfile", profile);
        catalog.Elements["/OutputIntents"] = new PdfArray(document, intent);

        var file = new PdfEmbeddedFileStream(document, new MemoryStream(cii, writable: false));
        file.Elements.SetName("/Subtype", "/text/xml");
        // PDFsharp dates the file with the clock; the XML's date is the document's, so every rendering is the same bytes.
        var parameters = new PdfDictionary(document);
        parameters.Elements.SetInteger("/Size", cii.Length);
        parameters.Elements.SetDateTime("/CreationDate", modified);
        parameters.Elements.SetDateTime("/ModDate", modified);
        file.Elements.SetObject("/Params", parameters);
        var specification = new PdfFileSpecification(document, file, FileName);
        document.Internals.AddObject(specification);
        specification.Elements.SetString("/Desc", "Factur-X invoice (CII, EN 16931)");
        // The XML says all the PDF says about the invoice: an alternative representation (Factur-X 1.0, EN 16931 profile).
        specification.Elements.SetName("/AFRelationship", "/Alternative");
        catalog.Elements["/AF"] = new PdfArray(document, specification.Reference!);
        var files = new PdfDictionary(document);
        files.Elements["/Names"] = new PdfArray(document, new PdfString(FileName), specification.Reference!);
        var names = new PdfDictionary(document);
        names.Elements["/EmbeddedFiles"] = files;
        catalog.Elements["/Names"] = names;
    }
}
