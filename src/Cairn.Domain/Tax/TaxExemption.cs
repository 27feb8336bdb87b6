namespace Cairn.Domain;

/// <summary>
/// A coded VAT exemption reason from the VATEX code list (CEF eInvoicing, used by EN 16931
/// BT-121/BT-120) with its standard text and the one category it may be used with.
/// </summary>
/// <param name="Code">The VATEX code, e.g. <c>VATEX-EU-AE</c>.</param>
/// <param name="Text">The standard text printed with it, e.g. <c>Reverse charge</c>.</param>
/// <param name="Category">The tax category the code belongs to.</param>
public sealed record TaxExemption(string Code, string Text, TaxCategory Category)
{
    /// <summary>The codes Cairn knows, in list order.</summary>
    public static IReadOnlyList<TaxExemption> All { get; } =
    [
        new("VATEX-EU-79-C", "Exempt based on article 79, point c of Council Directive 2006/112/EC", TaxCategory.E),
        new("VATEX-EU-132", "Exempt based on article 132 of Council Directive 2006/112/EC", TaxCategory.E),
        new("VATEX-EU-143", "Exempt based on article 143 of Council Directive 2006/112/EC", TaxCategory.E),
        new("VATEX-EU-148", "Exempt based on article 148 of Council Directive 2006/112/EC", TaxCategory.E),
        new("VATEX-EU-151", "Exempt based on article 151 of Council Directive 2006/112/EC", TaxCategory.E),
        new("VATEX-EU-309", "Exempt based on article 309 of Council Directive 2006/112/EC", TaxCategory.E),
        new("VATEX-EU-D", "Intra-Community acquisition from second hand means of transport", TaxCategory.E),
        new("VATEX-EU-F", "Intra-Community acquisition of second hand goods", TaxCategory.E),
        new("VATEX-EU-I", "Intra-Community acquisition of works of art", TaxCategory.E),
        new("VATEX-EU-J", "Intra-Community acquisition of collectors items and antiques", TaxCategory.E),
        new("VATEX-FR-FRANCHISE", "France domestic VAT franchise in base", TaxCategory.E),
        new("VATEX-EU-AE", "Reverse charge", TaxCategory.AE),
        new("VATEX-EU-IC", "Intra-Community supply", TaxCategory.K),
        new("VATEX-EU-G", "Export outside the EU", TaxCategory.G),
        new("VATEX-EU-O", "Not subject to VAT", TaxCategory.O),
    ];

    /// <summary>The code of that name (case-insensitive), or null.</summary>
    public static TaxExemption? Find(string? code) =>
        code is null ? null : All.FirstOrDefault(e => string.Equals(e.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));
}
