using System.Text.RegularExpressions;

namespace Cairn.Domain;

/// <summary>ISO 3166-1 alpha-2 country codes, and the format of each European VAT id (the VIES formats).</summary>
public static partial class Countries
{
    private static readonly HashSet<string> Codes = [.. """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
        CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
        GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
        JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
        MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
        RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
        TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XI
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)];

    // VAT ids start with the country's prefix (EL for Greece, XI for Northern Ireland); these are the VIES formats.
    private static readonly Dictionary<string, Regex> VatFormats = new()
    {
        ["AT"] = AtVat(), ["BE"] = BeVat(), ["BG"] = BgVat(), ["CY"] = CyVat(), ["CZ"] = CzVat(), ["DE"] = DeVat(), ["DK"] = DkVat(),
        ["EE"] = EeVat(), ["GR"] = ElVat(), ["ES"] = EsVat(), ["FI"] = FiVat(), ["FR"] = FrVat(), ["HR"] = HrVat(), ["HU"] = HuVat(),
        ["IE"] = IeVat(), ["IT"] = ItVat(), ["LT"] = LtVat(), ["LU"] = LuVat(), ["LV"] = LvVat(), ["MT"] = MtVat(), ["NL"] = NlVat(),
        ["PL"] = PlVat(), ["PT"] = PtVat(), ["RO"] = RoVat(), ["SE"] = SeVat(), ["SI"] = SiVat(), ["SK"] = SkVat(), ["XI"] = XiVat(),
        ["GB"] = GbVat(), ["CH"] = ChVat(), ["NO"] = NoVat(),
    };

    /// <summary>Every code <see cref="IsCountry"/> accepts, in alphabetical order (for a form's country select).</summary>
    public static IReadOnlyList<string> All { get; } = [.. Codes.Order(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="code"/> is an ISO 3166-1 alpha-2 code (upper case), or XI (Northern Ireland, used for VAT).</summary>
    public static bool IsCountry(string? code) => code is { Length: 2 } && Codes.Contains(code);

    /// <summary>The country a VAT id's prefix names (EL is Greece), or null when the prefix is not a country.</summary>
    public static string? OfVatId(string? vatId)
    {
        if (vatId is null || vatId.Length < 3)
            return null;
        var prefix = vatId[..2].ToUpperInvariant();
        prefix = prefix == "EL" ? "GR" : prefix;
        return IsCountry(prefix) ? prefix : null;
    }

    /// <summary>
    /// Checks a VAT id against the format of <paramref name="country"/> (its VIES format for European
    /// countries; elsewhere, the country's prefix and 2 to 15 letters or digits).
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_vat_id</c> naming <paramref name="field"/>.</exception>
    public static string CheckVatId(string vatId, string? country, string field)
    {
        var text = vatId.Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        var of = country ?? OfVatId(text);
        var valid = of is not null && (VatFormats.TryGetValue(of, out var format) ? format.IsMatch(text) : OtherVat().IsMatch(text) && OfVatId(text) == of);
        if (!valid)
            throw new DomainException(new DomainError("invalid_vat_id", $"\"{vatId}\" is not a VAT id of {of ?? "a known country"}: it starts with the country prefix (e.g. FR40123456789, DE123456789, ATU12345678).", field));
        return text;
    }

    [GeneratedRegex("^ATU[0-9]{8}$")] private static partial Regex AtVat();
    [GeneratedRegex("^BE[01][0-9]{9}$")] private static partial Regex BeVat();
    [GeneratedRegex("^BG[0-9]{9,10}$")] private static partial Regex BgVat();
    [GeneratedRegex("^CY[0-9]{8}[A-Z]$")] private static partial Regex CyVat();
    [GeneratedRegex("^CZ[0-9]{8,10}$")] private static partial Regex CzVat();
    [GeneratedRegex("^DE[0-9]{9}$")] private static partial Regex DeVat();
    [GeneratedRegex("^DK[0-9]{8}$")] private static partial Regex DkVat();
    [GeneratedRegex("^EE[0-9]{9}$")] private static partial Regex EeVat();
    [GeneratedRegex("^EL[0-9]{9}$")] private static partial Regex ElVat();
    [GeneratedRegex("^ES[A-Z0-9][0-9]{7}[A-Z0-9]$")] private static partial Regex EsVat();
    [GeneratedRegex("^FI[0-9]{8}$")] private static partial Regex FiVat();
    [GeneratedRegex("^FR[A-HJ-NP-Z0-9]{2}[0-9]{9}$")] private static partial Regex FrVat();
    [GeneratedRegex("^HR[0-9]{11}$")] private static partial Regex HrVat();
    [GeneratedRegex("^HU[0-9]{8}$")] private static partial Regex HuVat();
    [GeneratedRegex("^IE[0-9][A-Z0-9+*][0-9]{5}[A-Z]{1,2}$")] private static partial Regex IeVat();
    [GeneratedRegex("^IT[0-9]{11}$")] private static partial Regex ItVat();
    [GeneratedRegex("^LT([0-9]{9}|[0-9]{12})$")] private static partial Regex LtVat();
    [GeneratedRegex("^LU[0-9]{8}$")] private static partial Regex LuVat();
    [GeneratedRegex("^LV[0-9]{11}$")] private static partial Regex LvVat();
    [GeneratedRegex("^MT[0-9]{8}$")] private static partial Regex MtVat();
    [GeneratedRegex("^NL[0-9]{9}B[0-9]{2}$")] private static partial Regex NlVat();
    [GeneratedRegex("^PL[0-9]{10}$")] private static partial Regex PlVat();
    [GeneratedRegex("^PT[0-9]{9}$")] private static partial Regex PtVat();
    [GeneratedRegex("^RO[0-9]{2,10}$")] private static partial Regex RoVat();
    [GeneratedRegex("^SE[0-9]{10}01$")] private static partial Regex SeVat();
    [GeneratedRegex("^SI[0-9]{8}$")] private static partial Regex SiVat();
    [GeneratedRegex("^SK[0-9]{10}$")] private static partial Regex SkVat();
    [GeneratedRegex("^XI([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$")] private static partial Regex XiVat();
    [GeneratedRegex("^GB([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$")] private static partial Regex GbVat();
    [GeneratedRegex("^CHE[0-9]{9}(MWST|TVA|IVA)?$")] private static partial Regex ChVat();
    [GeneratedRegex("^NO[0-9]{9}(MVA)?$")] private static partial Regex NoVat();
    [GeneratedRegex("^[A-Z]{2}[A-Z0-9]{2,15}$")] private static partial Regex OtherVat();
}
