using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using PdfSharp.Pdf;

namespace Cairn.Server.Documents;

/// <summary>
/// Gives every PDF Cairn writes well-formed XMP metadata (ISO 16684-1) built as XML, so a title or
/// author with "&amp;" or "&lt;" (a client named "Smith &amp; Sons &lt;Ltd&gt;") is escaped; a Factur-X
/// invoice's packet also names PDF/A-3B and the Factur-X fields with their PDF/A extension schema.
/// </summary>
/// <remarks>
/// PDFsharp 6.2 always writes its own XMP packet as it saves, pasting /Info's title and author into
/// it unescaped (and PDF/A-1A when asked for PDF/A). So the packet is replaced afterwards by an
/// incremental update (ISO 32000-1 §7.5.6) that redefines the metadata stream object: the file
/// PDFsharp wrote stays byte for byte as it was, and a reader sees the last definition.
/// </remarks>
internal static class XmpMetadata
{
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

    /// <summary>Appends to a saved document the incremental update that gives it its XMP metadata.</summary>
    /// <param name="pdf">The file as PDFsharp saved it.</param>
    /// <param name="document">The saved document: its /Info and the number of its metadata object.</param>
    /// <param name="id">The document's id, its XMP DocumentID (as the trailer's /ID); null for a document without one.</param>
    /// <param name="facturX">Whether the file is a Factur-X invoice (PDF/A-3B with <see cref="FacturX.FileName"/> embedded).</param>
    public static byte[] Rewrite(byte[] pdf, PdfDocument document, Guid? id, bool facturX)
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

        var xmp = Packet(document.Info, id, facturX);
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

    /// <summary>The XMP packet: the document information as the /Info dictionary has it, and for Factur-X PDF/A-3B and its fields.</summary>
    private static byte[] Packet(PdfDocumentInformation info, Guid? id, bool facturX)
    {
        static XElement Description(XNamespace ns, string prefix, params object?[] content) =>
            new(Rdf + "Description", new XAttribute(Rdf + "about", ""), new XAttribute(XNamespace.Xmlns + prefix, ns.NamespaceName), content);

        var rdf = new XElement(Rdf + "RDF", new XAttribute(XNamespace.Xmlns + "rdf", Rdf.NamespaceName),
            facturX ? Description(PdfAId, "pdfaid", new XElement(PdfAId + "part", "3"), new XElement(PdfAId + "conformance", "B")) : null,
            Description(Dc, "dc",
                new XElement(Dc + "format", "application/pdf"),
                new XElement(Dc + "title", new XElement(Rdf + "Alt", new XElement(Rdf + "li", new XAttribute(XNamespace.Xml + "lang", "x-default"), info.Title))),
                new XElement(Dc + "creator", new XElement(Rdf + "Seq", new XElement(Rdf + "li", info.Author)))),
            Description(Pdf, "pdf", new XElement(Pdf + "Producer", info.Producer)),
            Description(Xmp, "xmp",
                new XElement(Xmp + "CreatorTool", info.Creator),
                new XElement(Xmp + "CreateDate", XmpDate(info.CreationDate)),
                new XElement(Xmp + "ModifyDate", XmpDate(info.ModificationDate))),
            id is { } documentId ? Description(XmpMm, "xmpMM", new XElement(XmpMm + "DocumentID", "uuid:" + documentId.ToString("D"))) : null,
            facturX ? FacturXFields() : null);
        var packet = new XDocument(
            new XProcessingInstruction("xpacket", "begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\""),
            new XElement(X + "xmpmeta", new XAttribute(XNamespace.Xmlns + "x", X.NamespaceName), rdf),
            new XProcessingInstruction("xpacket", "end=\"r\""));
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true, Indent = true }))
            packet.Save(writer);
        return stream.ToArray();
    }

    // The Factur-X fields and, as PDF/A allows only the XMP schemas it knows unless the file describes the others (ISO 19005-3 §6.6.2.3.1), their description.
    private static IEnumerable<XElement> FacturXFields()
    {
        static XElement Property(string name, string type, string description) =>
            new(Rdf + "li", new XAttribute(Rdf + "parseType", "Resource"),
                new XElement(PdfAProperty + "name", name),
                new XElement(PdfAProperty + "valueType", type),
                new XElement(PdfAProperty + "category", "external"),
                new XElement(PdfAProperty + "description", description));

        XNamespace fx = FacturX.Fx;
        yield return new XElement(Rdf + "Description", new XAttribute(Rdf + "about", ""), new XAttribute(XNamespace.Xmlns + "fx", fx.NamespaceName),
            new XElement(fx + "DocumentType", "INVOICE"),
            new XElement(fx + "DocumentFileName", FacturX.FileName),
            new XElement(fx + "Version", "1.0"),
            new XElement(fx + "ConformanceLevel", "EN 16931"));
        yield return new XElement(Rdf + "Description", new XAttribute(Rdf + "about", ""),
            new XAttribute(XNamespace.Xmlns + "pdfaExtension", PdfAExtension.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "pdfaSchema", PdfASchema.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "pdfaProperty", PdfAProperty.NamespaceName),
            new XElement(PdfAExtension + "schemas", new XElement(Rdf + "Bag", new XElement(Rdf + "li", new XAttribute(Rdf + "parseType", "Resource"),
                new XElement(PdfASchema + "schema", "Factur-X PDFA Extension Schema"),
                new XElement(PdfASchema + "namespaceURI", FacturX.Fx),
                new XElement(PdfASchema + "prefix", "fx"),
                new XElement(PdfASchema + "property", new XElement(Rdf + "Seq",
                    Property("DocumentFileName", "Text", "The name of the embedded XML document"),
                    Property("DocumentType", "Text", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
                    Property("Version", "Text", "The actual version of the standard applying to the embedded XML document"),
                    Property("ConformanceLevel", "Text", "The conformance level of the embedded XML document")))))));
    }

    // The instant the /Info dictionary writes (PDFsharp writes the value's own offset), in XMP's ISO 8601 form.
    private static string XmpDate(DateTime value) => new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Local) : value)
        .ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
}
