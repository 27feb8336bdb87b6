namespace Cairn.Domain;

/// <summary>
/// How a contract, a milestone or an invoice line is taxed: its UNCL5305 category, its rate and,
/// where the category is not taxed, why (a VATEX code and its text). The one home of the
/// exemption rules of EN 16931 (BR-S-05, BR-Z-05, BR-E-05, BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
/// </summary>
public sealed record TaxTreatment
{
    private TaxTreatment(TaxCategory category, TaxRate rate, string? exemptionCode, string? exemptionReason)
    {
        Category = category;
        Rate = rate;
        ExemptionCode = exemptionCode;
        ExemptionReason = exemptionReason;
    }

    /// <summary>The UNCL5305 category (BT-151).</summary>
    public TaxCategory Category { get; }

    /// <summary>The rate (BT-152); 0% for every category but S.</summary>
    public TaxRate Rate { get; }

    /// <summary>The VATEX code (BT-121), when one is given.</summary>
    public string? ExemptionCode { get; }

    /// <summary>The exemption reason text (BT-120): the code's standard text unless another was given.</summary>
    public string? ExemptionReason { get; }

    /// <summary>The standard rate: category S at <paramref name="rate"/>.</summary>
    public static TaxTreatment Standard(TaxRate rate) => Of(TaxCategory.S, rate, null, null);

    /// <summary>A rate without a stated category: S above 0%, Z (zero rated, no exemption) at 0%.</summary>
    public static TaxTreatment ForRate(TaxRate rate) => rate.IsZero ? new TaxTreatment(TaxCategory.Z, rate, null, null) : Standard(rate);

    /// <summary>
    /// Checks and builds a treatment. Without a category, a rate above 0% is S; a 0% rate takes the
    /// category of its VATEX code, else E. Categories other than S and Z need an exemption: a VATEX
    /// code that fits the category, or (for E) at least a reason text; AE, K, G and O default to
    /// their one code.
    /// </summary>
    /// <exception cref="DomainException">
    /// <c>tax_exemption_reason_required</c>, <c>tax_exemption_not_allowed</c>, <c>unknown_tax_exemption_code</c>,
    /// <c>tax_exemption_code_mismatch</c>, <c>tax_rate_must_be_zero</c> or <c>tax_rate_required</c>, naming the field under <paramref name="prefix"/>.
    /// </exception>
    public static TaxTreatment Of(TaxCategory? category, TaxRate rate, string? exemptionCode, string? exemptionReason, string prefix = "")
    {
        var code = string.IsNullOrWhiteSpace(exemptionCode) ? null : exemptionCode.Trim();
        var reason = string.IsNullOrWhiteSpace(exemptionReason) ? null : exemptionReason.Trim();
        var exemption = code is null ? null : TaxExemption.Find(code)
            ?? throw new DomainException(new DomainError("unknown_tax_exemption_code", $"\"{code}\" is not a VATEX code Cairn knows; use one of {string.Join(", ", TaxExemption.All.Select(e => e.Code))}.", prefix + "taxExemptionCode"));
        var resolved = category ?? (!rate.IsZero ? TaxCategory.S : exemption?.Category ?? TaxCategory.E);
        switch (resolved)
        {
            case TaxCategory.S:
                if (rate.IsZero)
                    throw new DomainException(new DomainError("tax_rate_required", "The standard rate (category S) is above 0%; use Z, E or another category for no tax.", prefix + "taxRate"));
                if (code is not null || reason is not null)
                    throw new DomainException(new DomainError("tax_exemption_not_allowed", "A standard-rated (S) supply carries no exemption reason (EN 16931 BR-S-10).", prefix + (code is not null ? "taxExemptionCode" : "taxExemptionReason")));
                return new TaxTreatment(resolved, rate, null, null);
            case TaxCategory.Z:
                RequireZero(resolved, rate, prefix);
                if (code is not null || reason is not null)
                    throw new DomainException(new DomainError("tax_exemption_not_allowed", "A zero-rated (Z) supply carries no exemption reason (EN 16931 BR-Z-10).", prefix + (code is not null ? "taxExemptionCode" : "taxExemptionReason")));
                return new TaxTreatment(resolved, rate, null, null);
            default:
                RequireZero(resolved, rate, prefix);
                if (exemption is not null && exemption.Category != resolved)
                    throw new DomainException(new DomainError("tax_exemption_code_mismatch", $"{exemption.Code} ({exemption.Text}) is a reason for category {exemption.Category}, not {resolved}.", prefix + "taxExemptionCode"));
                exemption ??= resolved == TaxCategory.E ? null : TaxExemption.All.Single(e => e.Category == resolved);
                if (exemption is null && reason is null)
                    throw new DomainException(new DomainError("tax_exemption_reason_required", "A supply without tax needs the reason it is exempt printed on its invoices: a VATEX code (taxExemptionCode, e.g. VATEX-EU-132) or a taxExemptionReason.", prefix + "taxExemptionReason"));
                return new TaxTreatment(resolved, rate, exemption?.Code, reason ?? exemption!.Text);
        }
    }

    /// <summary>Reads a UNCL5305 code as Cairn supports it (S, Z, E, AE, K, G, O).</summary>
    /// <exception cref="DomainException"><c>invalid_tax_category</c> naming <paramref name="field"/>.</exception>
    public static TaxCategory ParseCategory(string text, string field = "taxCategory") =>
        Enum.TryParse<TaxCategory>(text.Trim(), ignoreCase: false, out var category) && Enum.IsDefined(category) && !int.TryParse(text, out _)
            ? category
            : throw new DomainException(new DomainError("invalid_tax_category", $"\"{text}\" is not a tax category; use one of S, Z, E, AE, K, G, O (UNCL5305).", field));

    private static void RequireZero(TaxCategory category, TaxRate rate, string prefix)
    {
        if (!rate.IsZero)
            throw new DomainException(new DomainError("tax_rate_must_be_zero", $"Category {category} is charged at 0%, not {rate}.", prefix + "taxRate"));
    }
}
