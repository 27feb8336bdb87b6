namespace Cairn.Domain;

/// <summary>
/// The language a client reads its documents and portal in (ISO 639-1 code in the API:
/// <c>en</c>, <c>de</c>, <c>fr</c>, <c>nl</c>, <c>es</c>). It decides the labels, the date
/// format and the decimal and grouping separators people see; amounts stay exact either way.
/// </summary>
public enum Language
{
    /// <summary>English (the default).</summary>
    En,

    /// <summary>German.</summary>
    De,

    /// <summary>French.</summary>
    Fr,

    /// <summary>Dutch.</summary>
    Nl,

    /// <summary>Spanish.</summary>
    Es,
}
