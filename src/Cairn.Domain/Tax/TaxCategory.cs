namespace Cairn.Domain;

/// <summary>The VAT category of a line or a contract, from the UNCL5305 code list as EN 16931 restricts it (BT-151, BT-118).</summary>
public enum TaxCategory
{
    /// <summary><c>S</c>: standard rate (a rate above 0%).</summary>
    S,

    /// <summary><c>Z</c>: zero rated goods (0%, no exemption reason).</summary>
    Z,

    /// <summary><c>E</c>: exempt from tax (0%, with the reason).</summary>
    E,

    /// <summary><c>AE</c>: VAT reverse charge (0%; the buyer accounts for the VAT; both VAT ids required).</summary>
    AE,

    /// <summary><c>K</c>: intra-community supply, VAT exempt for EEA (0%; both VAT ids and the delivery date or period required).</summary>
    K,

    /// <summary><c>G</c>: free export item, tax not charged (0%).</summary>
    G,

    /// <summary><c>O</c>: services outside the scope of tax (no rate at all).</summary>
    O,
}
