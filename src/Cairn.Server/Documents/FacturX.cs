using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
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
/// model, but it always writes its own XMP packet (PDF/A-1A when asked for PDF/A) as it saves. So the
/// XMP is replaced afterwards by an incremental update (ISO 32000-1 §7.5.6) that redefines the
/// metadata stream object: the file PDFsharp wrote stays byte for byte as it was, and a reader sees
/// the last definition. The sRGB profile is the one PDFsharp itself ships for PDF/A (sRGB2014.icc of
/// the International Color Consortium, free to copy and embed), so Cairn carries no colour profile of its own.
/// </remarks>
internal static class FacturX
{
    /// <summary>The name the Factur-X specification gives the embedded XML.</summary>
    public const string FileName = "factur-x.xml";

    /// <summary>The Factur-X XMP namespace (Factur-X 1.0, also used by ZUGFeRD 2.x).</summary>
    private const string Fx = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

    private static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace X = "adobe:ns:meta/";
    private static readonly XNamespace PdfAId = "http://www.aiim.org/pdfa/ns/id/";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace Pdf = "http://ns.adobe.com/pdf/1.3/";
    private static readonly XNamespace Xmp = "http://ns.adobe.com/xap/1.0/";
    private static readonly XNamespace XmpMm = "http://ns.adobe.com/xap/1.0/mm/";
    private static readonly XNamespace PdfAExtension = "http://www.aiim.org/pdfa/ns/extension/";
    private static readonly XNamespace PdfASchema = "http://www.aiim.org/pdfa/ns/schema#";
    private static readonly XNamespace PdfAProperty = "http://www.aiim.org/pdfa/ns/property#";

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

    /// <summary>
    /// Appends to a saved document the incremental update that gives it the Factur-X XMP metadata.
    /// </summary>
    /// <param name="pdf">The file as PDFsharp saved it.</param>
    /// <param name="document">The saved document: its /Info and the number of its metadata object.</param>
    /// <param name="id">The document's id, its XMP DocumentID (as the trailer's /ID).</param>
    public static byte[] WithMetadata(byte[] pdf, PdfDocument document, Guid id)
    {
        var metadata = document.Internals.Catalog.Elements.GetReference("/Metadata")
            ?? throw new InvalidOperationException("PDFsharp wrote no metadata stream.");
        var text = Encoding.Latin1.GetString(pdf);
        var trailerAt = text.LastIndexOf("trailer", StringComparison.Ordinal);
        var startAt = text.LastIndexOf("startxref", StringComparison.Ordinal);
        if (trailerAt < 0 || startAt < trailerAt)
            throw new InvalidOperationException("The PDF has no classic cross-reference trailer.");
        // The dictionary without its closing brackets; PDFsharp follows it with a comment.
        var trailer = text[(trailerAt + "trailer".Length)..text.LastIndexOf(">>", startAt, StringComparison.Ordinal)].Trim();
        var previous = text[(startAt + "startxref".Length)..].Replace("%%EOF", "", StringComparison.Ordinal).Trim();

        var xmp = Packet(document.Info, id);
        var objectAt = pdf.Length + 1;
        using var output = new MemoryStream(pdf.Length + xmp.Length + 512);
        output.Write(pdf);
        // The update starts on a new line; the metadata stream is not filtered (ISO 19005-3 §6.6.2.1).
        Append(output, $"\n{metadata.ObjectNumber} {metadata.GenerationNumber} obj\n<</Type/Metadata/Subtype/XML/Length {xmp.Length}>>\nstream\n");
        output.Write(xmp);
        Append(output, "\nendstream\nendobj\n");
        var xrefAt = output.Length;
        Append(output, string.Create(CultureInfo.InvariantCulture,
            $"xref\n{metadata.ObjectNumber} 1\n{objectAt:D10} {metadata.GenerationNumber:D5} n \ntrailer\n{trailer}/Prev {previous}>>\nstartxref\n{xrefAt}\n%%EOF\n"));
        return output.ToArray();
    }

    private static void Append(MemoryStream output, string text) => output.Write(Encoding.Latin1.GetBytes(text));

    /// <summary>The XMP packet: PDF/A-3B, the document information as the /Info dictionary has it, and the Factur-X fields.</summary>
    private static byte[] Packet(PdfDocumentInformation info, Guid id)
    {
        static XElement Description(XNamespace ns, string prefix, params object[] content) =>
            new(Rdf + "Description", new XAttribute(Rdf + "about", ""), new XAttribute(XNamespace.Xmlns + prefix, ns.NamespaceName), content);
        static XElement Property(string name, string type, string description) =>
            new(Rdf + "li", new XAttribute(Rdf + "parseType", "Resource"),
                new XElement(PdfAProperty + "name", name),
                new XElement(PdfAProperty + "valueType", type),
                new XElement(PdfAProperty + "category", "external"),
                new XElement(PdfAProperty + "description", description));

        XNamespace fx = Fx;
        var rdf = new XElement(Rdf + "RDF", new XAttribute(XNamespace.Xmlns + "rdf", Rdf.NamespaceName),
            Description(PdfAId, "pdfaid", new XElement(PdfAId + "part", "3"), new XElement(PdfAId + "conformance", "B")),
            Description(Dc, "dc",
                new XElement(Dc + "format", "application/pdf"),
                new XElement(Dc + "title", new XElement(Rdf + "Alt", new XElement(Rdf + "li", new XAttribute(XNamespace.Xml + "lang", "x-default"), info.Title))),
                new XElement(Dc + "creator", new XElement(Rdf + "Seq", new XElement(Rdf + "li", info.Author)))),
            Description(Pdf, "pdf", new XElement(Pdf + "Producer", info.Producer)),
            Description(Xmp, "xmp",
                new XElement(Xmp + "CreatorTool", info.Creator),
                new XElement(Xmp + "CreateDate", XmpDate(info.CreationDate)),
                new XElement(Xmp + "ModifyDate", XmpDate(info.ModificationDate))),
            Description(XmpMm, "xmpMM", new XElement(XmpMm + "DocumentID", "uuid:" + id.ToString("D"))),
            Description(fx, "fx",
                new XElement(fx + "DocumentType", "INVOICE"),
                new XElement(fx + "DocumentFileName", FileName),
                new XElement(fx + "Version", "1.0"),
                new XElement(fx + "ConformanceLevel", "EN 16931")),
            // PDF/A allows only the XMP schemas it knows unless the file describes the others (ISO 19005-3 §6.6.2.3.1).
            new XElement(Rdf + "Description", new XAttribute(Rdf + "about", ""),
                new XAttribute(XNamespace.Xmlns + "pdfaExtension", PdfAExtension.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "pdfaSchema", PdfASchema.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "pdfaProperty", PdfAProperty.NamespaceName),
                new XElement(PdfAExtension + "schemas", new XElement(Rdf + "Bag", new XElement(Rdf + "li", new XAttribute(Rdf + "parseType", "Resource"),
                    new XElement(PdfASchema + "schema", "Factur-X PDFA Extension Schema"),
                    new XElement(PdfASchema + "namespaceURI", Fx),
                    new XElement(PdfASchema + "prefix", "fx"),
                    new XElement(PdfASchema + "property", new XElement(Rdf + "Seq",
                        Property("DocumentFileName", "Text", "The name of the embedded XML document"),
                        Property("DocumentType", "Text", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
                        Property("Version", "Text", "The actual version of the standard applying to the embedded XML document"),
                        Property("ConformanceLevel", "Text", "The conformance level of the embedded XML document"))))))));
        var packet = new XDocument(
            new XProcessingInstruction("xpacket", "begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\""),
            new XElement(X + "xmpmeta", new XAttribute(XNamespace.Xmlns + "x", X.NamespaceName), rdf),
            new XProcessingInstruction("xpacket", "end=\"r\""));
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true, Indent = true }))
            packet.Save(writer);
        return stream.ToArray();
    }

    // The instant the /Info dictionary writes (PDFsharp writes the value's own offset), in XMP's ISO 8601 form.
    private static string XmpDate(DateTime value) => new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Local) : value)
        .ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
}
