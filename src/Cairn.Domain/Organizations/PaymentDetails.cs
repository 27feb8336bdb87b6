namespace Cairn.Domain;

/// <summary>
/// How a seller gets paid, as printed on every invoice (EN 16931 BG-17 credit transfer: BT-84
/// account identifier, BT-86 service provider identifier, or free-text remittance information).
/// </summary>
public static class PaymentDetails
{
    /// <summary>
    /// Builds the payment instructions an organization prints on its invoices from an IBAN, a
    /// BIC and free text, each optional: <c>IBAN NL91 ABNA 0417 1643 00 · BIC ABNANL2A · text</c>.
    /// Throws a <see cref="DomainException"/> naming the field when the IBAN fails its ISO 13616
    /// check or the BIC is not an ISO 9362 code, and when a BIC is given without an IBAN.
    /// </summary>
    public static string Compose(string? iban, string? bic, string? instructions)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(iban))
            parts.Add("IBAN " + Iban.Parse(iban, "iban"));
        if (!string.IsNullOrWhiteSpace(bic))
        {
            if (parts.Count == 0)
                throw new DomainException(new DomainError("bic_without_iban", "A BIC identifies the bank of an IBAN: give the IBAN too.", "iban"));
            parts.Add("BIC " + Bic.Parse(bic, "bic"));
        }

        if (!string.IsNullOrWhiteSpace(instructions))
            parts.Add(instructions.Trim());
        return string.Join(" · ", parts);
    }

    /// <summary>Whether an organization's invoices tell the client how to pay (its payment instructions are not empty).</summary>
    public static bool AreGiven(string? paymentInstructions) => !string.IsNullOrWhiteSpace(paymentInstructions);
}

/// <summary>An International Bank Account Number (ISO 13616): country code, two check digits, up to 30 letters and digits.</summary>
public static class Iban
{
    /// <summary>
    /// Checks an IBAN as people type it (spaces and lower case allowed) and returns it in its print
    /// form: upper case in groups of four. Throws a <see cref="DomainException"/> naming
    /// <paramref name="field"/> when its shape or its mod-97 check digits (ISO 7064) are wrong.
    /// </summary>
    public static string Parse(string text, string field)
    {
        var compact = new string(text.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        if (compact.Length is < 15 or > 34 || !char.IsAsciiLetter(compact[0]) || !char.IsAsciiLetter(compact[1])
            || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]) || !compact.All(char.IsAsciiLetterOrDigit))
            throw new DomainException(new DomainError("invalid_iban", "An IBAN is a country code, two check digits and up to 30 letters and digits, e.g. DE89 3704 0044 0532 0130 00.", field));
        if (Mod97(compact[4..] + compact[..4]) != 1)
            throw new DomainException(new DomainError("invalid_iban", $"{Group(compact)} is not a valid IBAN: its check digits do not match (a typing error?).", field));
        return Group(compact);
    }

    private static int Mod97(string rearranged)
    {
        // Letters count as 10..35 (ISO 13616); the remainder is carried digit by digit so no big number is needed.
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? ((remainder * 100) + value) % 97 : ((remainder * 10) + value) % 97;
        }

        return remainder;
    }

    private static string Group(string compact) =>
        string.Join(' ', Enumerable.Range(0, (compact.Length + 3) / 4).Select(i => compact.Substring(i * 4, Math.Min(4, compact.Length - (i * 4)))));
}

/// <summary>A Business Identifier Code (ISO 9362, the SWIFT code): 4 letters of bank, 2 of country, 2 of location, optionally 3 of branch.</summary>
public static class Bic
{
    /// <summary>Checks a BIC's format and returns it in upper case; throws a <see cref="DomainException"/> naming <paramref name="field"/> otherwise.</summary>
    public static string Parse(string text, string field)
    {
        var bic = text.Trim().ToUpperInvariant();
        if (bic.Length is not (8 or 11) || !bic[..6].All(char.IsAsciiLetter) || !bic[6..].All(char.IsAsciiLetterOrDigit))
            throw new DomainException(new DomainError("invalid_bic", "A BIC has 8 or 11 characters: bank (4 letters), country (2 letters), location (2), branch (3, optional), e.g. COBADEFFXXX.", field));
        return bic;
    }
}
