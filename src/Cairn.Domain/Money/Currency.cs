using System.Diagnostics.CodeAnalysis;

namespace Cairn.Domain;

/// <summary>
/// An ISO 4217 currency that people invoice in, with the number of decimal places of its minor unit.
/// Instances come only from the built-in table, so two currencies are equal exactly when their codes are.
/// </summary>
public sealed record Currency
{
    // Active ISO 4217 list one currencies, without funds codes (BOV, CLF, COU, MXV, USN, UYI, UYW, CHE, CHW),
    // precious metals, SDR-like units of account (XDR, XSU, XUA, XAD) and test codes (XTS, XXX).
    // Minor digits are those ISO publishes, even where cash has no coins of that size (e.g. MGA, MRU).
    private static readonly Dictionary<string, Currency> ByCode = new[]
    {
        new Currency("AED", 2, "UAE Dirham"),
        new Currency("AFN", 2, "Afghani"),
        new Currency("ALL", 2, "Lek"),
        new Currency("AMD", 2, "Armenian Dram"),
        new Currency("AOA", 2, "Kwanza"),
        new Currency("ARS", 2, "Argentine Peso"),
        new Currency("AUD", 2, "Australian Dollar"),
        new Currency("AWG", 2, "Aruban Florin"),
        new Currency("AZN", 2, "Azerbaijan Manat"),
        new Currency("BAM", 2, "Convertible Mark"),
        new Currency("BBD", 2, "Barbados Dollar"),
        new Currency("BDT", 2, "Taka"),
        new Currency("BGN", 2, "Bulgarian Lev"),
        new Currency("BHD", 3, "Bahraini Dinar"),
        new Currency("BIF", 0, "Burundi Franc"),
        new Currency("BMD", 2, "Bermudian Dollar"),
        new Currency("BND", 2, "Brunei Dollar"),
        new Currency("BOB", 2, "Boliviano"),
        new Currency("BRL", 2, "Brazilian Real"),
        new Currency("BSD", 2, "Bahamian Dollar"),
        new Currency("BTN", 2, "Ngultrum"),
        new Currency("BWP", 2, "Pula"),
        new Currency("BYN", 2, "Belarusian Ruble"),
        new Currency("BZD", 2, "Belize Dollar"),
        new Currency("CAD", 2, "Canadian Dollar"),
        new Currency("CDF", 2, "Congolese Franc"),
        new Currency("CHF", 2, "Swiss Franc"),
        new Currency("CLP", 0, "Chilean Peso"),
        new Currency("CNY", 2, "Yuan Renminbi"),
        new Currency("COP", 2, "Colombian Peso"),
        new Currency("CRC", 2, "Costa Rican Colon"),
        new Currency("CUP", 2, "Cuban Peso"),
        new Currency("CVE", 2, "Cabo Verde Escudo"),
        new Currency("CZK", 2, "Czech Koruna"),
        new Currency("DJF", 0, "Djibouti Franc"),
        new Currency("DKK", 2, "Danish Krone"),
        new Currency("DOP", 2, "Dominican Peso"),
        new Currency("DZD", 2, "Algerian Dinar"),
        new Currency("EGP", 2, "Egyptian Pound"),
        new Currency("ERN", 2, "Nakfa"),
        new Currency("ETB", 2, "Ethiopian Birr"),
        new Currency("EUR", 2, "Euro"),
        new Currency("FJD", 2, "Fiji Dollar"),
        new Currency("FKP", 2, "Falkland Islands Pound"),
        new Currency("GBP", 2, "Pound Sterling"),
        new Currency("GEL", 2, "Lari"),
        new Currency("GHS", 2, "Ghana Cedi"),
        new Currency("GIP", 2, "Gibraltar Pound"),
        new Currency("GMD", 2, "Dalasi"),
        new Currency("GNF", 0, "Guinean Franc"),
        new Currency("GTQ", 2, "Quetzal"),
        new Currency("GYD", 2, "Guyana Dollar"),
        new Currency("HKD", 2, "Hong Kong Dollar"),
        new Currency("HNL", 2, "Lempira"),
        new Currency("HTG", 2, "Gourde"),
        new Currency("HUF", 2, "Forint"),
        new Currency("IDR", 2, "Rupiah"),
        new Currency("ILS", 2, "New Israeli Sheqel"),
        new Currency("INR", 2, "Indian Rupee"),
        new Currency("IQD", 3, "Iraqi Dinar"),
        new Currency("IRR", 2, "Iranian Rial"),
        new Currency("ISK", 0, "Iceland Krona"),
        new Currency("JMD", 2, "Jamaican Dollar"),
        new Currency("JOD", 3, "Jordanian Dinar"),
        new Currency("JPY", 0, "Yen"),
        new Currency("KES", 2, "Kenyan Shilling"),
        new Currency("KGS", 2, "Som"),
        new Currency("KHR", 2, "Riel"),
        new Currency("KMF", 0, "Comorian Franc"),
        new Currency("KPW", 2, "North Korean Won"),
        new Currency("KRW", 0, "Won"),
        new Currency("KWD", 3, "Kuwaiti Dinar"),
        new Currency("KYD", 2, "Cayman Islands Dollar"),
        new Currency("KZT", 2, "Tenge"),
        new Currency("LAK", 2, "Lao Kip"),
        new Currency("LBP", 2, "Lebanese Pound"),
        new Currency("LKR", 2, "Sri Lanka Rupee"),
        new Currency("LRD", 2, "Liberian Dollar"),
        new Currency("LSL", 2, "Loti"),
        new Currency("LYD", 3, "Libyan Dinar"),
        new Currency("MAD", 2, "Moroccan Dirham"),
        new Currency("MDL", 2, "Moldovan Leu"),
        new Currency("MGA", 2, "Malagasy Ariary"),
        new Currency("MKD", 2, "Denar"),
        new Currency("MMK", 2, "Kyat"),
        new Currency("MNT", 2, "Tugrik"),
        new Currency("MOP", 2, "Pataca"),
        new Currency("MRU", 2, "Ouguiya"),
        new Currency("MUR", 2, "Mauritius Rupee"),
        new Currency("MVR", 2, "Rufiyaa"),
        new Currency("MWK", 2, "Malawi Kwacha"),
        new Currency("MXN", 2, "Mexican Peso"),
        new Currency("MYR", 2, "Malaysian Ringgit"),
        new Currency("MZN", 2, "Mozambique Metical"),
        new Currency("NAD", 2, "Namibia Dollar"),
        new Currency("NGN", 2, "Naira"),
        new Currency("NIO", 2, "Cordoba Oro"),
        new Currency("NOK", 2, "Norwegian Krone"),
        new Currency("NPR", 2, "Nepalese Rupee"),
        new Currency("NZD", 2, "New Zealand Dollar"),
        new Currency("OMR", 3, "Rial Omani"),
        new Currency("PAB", 2, "Balboa"),
        new Currency("PEN", 2, "Sol"),
        new Currency("PGK", 2, "Kina"),
        new Currency("PHP", 2, "Philippine Peso"),
        new Currency("PKR", 2, "Pakistan Rupee"),
        new Currency("PLN", 2, "Zloty"),
        new Currency("PYG", 0, "Guarani"),
        new Currency("QAR", 2, "Qatari Rial"),
        new Currency("RON", 2, "Romanian Leu"),
        new Currency("RSD", 2, "Serbian Dinar"),
        new Currency("RUB", 2, "Russian Ruble"),
        new Currency("RWF", 0, "Rwanda Franc"),
        new Currency("SAR", 2, "Saudi Riyal"),
        new Currency("SBD", 2, "Solomon Islands Dollar"),
        new Currency("SCR", 2, "Seychelles Rupee"),
        new Currency("SDG", 2, "Sudanese Pound"),
        new Currency("SEK", 2, "Swedish Krona"),
        new Currency("SGD", 2, "Singapore Dollar"),
        new Currency("SHP", 2, "Saint Helena Pound"),
        new Currency("SLE", 2, "Leone"),
        new Currency("SOS", 2, "Somali Shilling"),
        new Currency("SRD", 2, "Surinam Dollar"),
        new Currency("SSP", 2, "South Sudanese Pound"),
        new Currency("STN", 2, "Dobra"),
        new Currency("SVC", 2, "El Salvador Colon"),
        new Currency("SYP", 2, "Syrian Pound"),
        new Currency("SZL", 2, "Lilangeni"),
        new Currency("THB", 2, "Baht"),
        new Currency("TJS", 2, "Somoni"),
        new Currency("TMT", 2, "Turkmenistan New Manat"),
        new Currency("TND", 3, "Tunisian Dinar"),
        new Currency("TOP", 2, "Pa'anga"),
        new Currency("TRY", 2, "Turkish Lira"),
        new Currency("TTD", 2, "Trinidad and Tobago Dollar"),
        new Currency("TWD", 2, "New Taiwan Dollar"),
        new Currency("TZS", 2, "Tanzanian Shilling"),
        new Currency("UAH", 2, "Hryvnia"),
        new Currency("UGX", 0, "Uganda Shilling"),
        new Currency("USD", 2, "US Dollar"),
        new Currency("UYU", 2, "Peso Uruguayo"),
        new Currency("UZS", 2, "Uzbekistan Sum"),
        new Currency("VED", 2, "Bolívar Soberano"),
        new Currency("VES", 2, "Bolívar Soberano"),
        new Currency("VND", 0, "Dong"),
        new Currency("VUV", 0, "Vatu"),
        new Currency("WST", 2, "Tala"),
        new Currency("XAF", 0, "CFA Franc BEAC"),
        new Currency("XCD", 2, "East Caribbean Dollar"),
        new Currency("XCG", 2, "Caribbean Guilder"),
        new Currency("XOF", 0, "CFA Franc BCEAO"),
        new Currency("XPF", 0, "CFP Franc"),
        new Currency("YER", 2, "Yemeni Rial"),
        new Currency("ZAR", 2, "Rand"),
        new Currency("ZMW", 2, "Zambian Kwacha"),
        new Currency("ZWG", 2, "Zimbabwe Gold"),
    }.ToDictionary(c => c.Code, StringComparer.Ordinal);

    private Currency(string code, int minorDigits, string name)
    {
        Code = code;
        MinorDigits = minorDigits;
        Name = name;
        MinorPerMajor = minorDigits switch
        {
            0 => 1,
            2 => 100,
            3 => 1000,
            _ => throw new ArgumentOutOfRangeException(nameof(minorDigits), minorDigits, "ISO 4217 currencies have 0, 2 or 3 minor digits."),
        };
    }

    /// <summary>The ISO 4217 alphabetic code in upper case, e.g. <c>EUR</c>.</summary>
    public string Code { get; }

    /// <summary>How many decimal places the minor unit has: 0 (JPY), 2 (EUR) or 3 (BHD).</summary>
    public int MinorDigits { get; }

    /// <summary>The ISO 4217 English name, e.g. <c>Pound Sterling</c>.</summary>
    public string Name { get; }

    /// <summary>How many minor units make one major unit: 10 to the power of <see cref="MinorDigits"/>.</summary>
    public long MinorPerMajor { get; }

    /// <summary>Every currency Cairn knows, in code order.</summary>
    public static IReadOnlyCollection<Currency> All { get; } = ByCode.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToArray();

    /// <summary>Euro, 2 minor digits.</summary>
    public static Currency EUR { get; } = ByCode["EUR"];

    /// <summary>US Dollar, 2 minor digits.</summary>
    public static Currency USD { get; } = ByCode["USD"];

    /// <summary>Pound Sterling, 2 minor digits.</summary>
    public static Currency GBP { get; } = ByCode["GBP"];

    /// <summary>Swiss Franc, 2 minor digits.</summary>
    public static Currency CHF { get; } = ByCode["CHF"];

    /// <summary>Swedish Krona, 2 minor digits.</summary>
    public static Currency SEK { get; } = ByCode["SEK"];

    /// <summary>Norwegian Krone, 2 minor digits.</summary>
    public static Currency NOK { get; } = ByCode["NOK"];

    /// <summary>Danish Krone, 2 minor digits.</summary>
    public static Currency DKK { get; } = ByCode["DKK"];

    /// <summary>Polish Zloty, 2 minor digits.</summary>
    public static Currency PLN { get; } = ByCode["PLN"];

    /// <summary>Czech Koruna, 2 minor digits.</summary>
    public static Currency CZK { get; } = ByCode["CZK"];

    /// <summary>Canadian Dollar, 2 minor digits.</summary>
    public static Currency CAD { get; } = ByCode["CAD"];

    /// <summary>Australian Dollar, 2 minor digits.</summary>
    public static Currency AUD { get; } = ByCode["AUD"];

    /// <summary>New Zealand Dollar, 2 minor digits.</summary>
    public static Currency NZD { get; } = ByCode["NZD"];

    /// <summary>Chinese Yuan Renminbi, 2 minor digits.</summary>
    public static Currency CNY { get; } = ByCode["CNY"];

    /// <summary>Indian Rupee, 2 minor digits.</summary>
    public static Currency INR { get; } = ByCode["INR"];

    /// <summary>Japanese Yen, no minor unit.</summary>
    public static Currency JPY { get; } = ByCode["JPY"];

    /// <summary>South Korean Won, no minor unit.</summary>
    public static Currency KRW { get; } = ByCode["KRW"];

    /// <summary>Iceland Krona, no minor unit.</summary>
    public static Currency ISK { get; } = ByCode["ISK"];

    /// <summary>Bahraini Dinar, 3 minor digits.</summary>
    public static Currency BHD { get; } = ByCode["BHD"];

    /// <summary>Kuwaiti Dinar, 3 minor digits.</summary>
    public static Currency KWD { get; } = ByCode["KWD"];

    /// <summary>Rial Omani, 3 minor digits.</summary>
    public static Currency OMR { get; } = ByCode["OMR"];

    /// <summary>Finds the currency with the given upper-case ISO 4217 code; lower-case codes are not found.</summary>
    public static bool TryFind(string? code, [NotNullWhen(true)] out Currency? currency)
    {
        if (code is null)
        {
            currency = null;
            return false;
        }

        return ByCode.TryGetValue(code, out currency);
    }

    /// <summary>Returns the currency with the given upper-case ISO 4217 code.</summary>
    /// <exception cref="DomainException"><c>unknown_currency</c> when the code is not an active ISO 4217 currency.</exception>
    public static Currency Of(string code)
    {
        if (TryFind(code, out var currency))
        {
            return currency;
        }

        var message = string.IsNullOrEmpty(code)
            ? "A currency is required: an upper-case ISO 4217 code such as EUR."
            : $"'{code}' is not a currency Cairn knows: use an upper-case ISO 4217 code such as EUR.";
        throw new DomainException(new DomainError("unknown_currency", message, "currency"));
    }

    /// <summary>Two currencies are equal when their codes are.</summary>
    public bool Equals(Currency? other) => other is not null && string.Equals(Code, other.Code, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    /// <summary>The ISO code, e.g. <c>EUR</c>.</summary>
    public override string ToString() => Code;
}
