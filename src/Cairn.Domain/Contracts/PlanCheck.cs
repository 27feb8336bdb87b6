namespace Cairn.Domain;

/// <summary>One priced line of a plan: a fixed amount or a percentage of the contract value.</summary>
public readonly record struct PlanPart(Money? FixedAmount, Percentage? Share)
{
    /// <summary>A part priced at a fixed amount.</summary>
    public static PlanPart Fixed(Money amount) => new(amount, null);

    /// <summary>A part priced as a share of the contract value.</summary>
    public static PlanPart Percent(Percentage share) => new(null, share);
}

/// <summary>
/// The plan check of DESIGN.md §4 rule 1: fixed amounts plus percentage parts must equal the
/// contract value exactly. Computed in exact integer arithmetic (hundredths of a minor unit).
/// </summary>
public sealed record PlanCheck(Money ContractValue, Money FixedTotal, long PercentBasisPoints, Money PlannedTotal, Money Difference, bool IsExact)
{
    /// <summary>True when the plan has at least one part and sums exactly to the contract value.</summary>
    public bool AddsUp => IsExact && Difference.IsZero && HasParts;

    /// <summary>Whether the plan has any milestone at all.</summary>
    public bool HasParts { get; init; } = true;

    /// <summary>Checks a plan against the contract value.</summary>
    public static PlanCheck Of(Money contractValue, IEnumerable<PlanPart> parts)
    {
        var currency = contractValue.Currency;
        long fixedTotal = 0;
        long basisPoints = 0;
        var count = 0;
        foreach (var part in parts)
        {
            count++;
            if (part.FixedAmount is { } amount)
            {
                if (amount.Currency != currency)
                    throw new DomainException(new CurrencyMismatch(currency.Code, amount.Currency.Code, "amount"));
                fixedTotal = checked(fixedTotal + amount.Minor);
            }
            else if (part.Share is { } share)
            {
                basisPoints += share.BasisPoints;
            }
        }

        // Planned total in 1/10000 of a minor unit: exact for any basis-point share.
        var plannedScaled = (Int128)fixedTotal * 10_000 + (Int128)contractValue.Minor * basisPoints;
        var valueScaled = (Int128)contractValue.Minor * 10_000;
        var differenceScaled = plannedScaled - valueScaled;
        var isExact = differenceScaled % 10_000 == 0;
        var differenceMinor = (long)decimal.Round((decimal)differenceScaled / 10_000m, 0, MidpointRounding.AwayFromZero);
        var plannedMinor = (long)decimal.Round((decimal)plannedScaled / 10_000m, 0, MidpointRounding.AwayFromZero);
        return new PlanCheck(
            contractValue,
            new Money(fixedTotal, currency),
            basisPoints,
            new Money(plannedMinor, currency),
            new Money(differenceMinor, currency),
            isExact)
        { HasParts = count > 0 };
    }

    /// <summary>The error activation reports when the plan does not add up: by how much, and in which direction.</summary>
    public DomainError ToError()
    {
        if (!HasParts)
            return new DomainError("plan_empty", "The plan has no milestones; add at least one before activating.", "milestones");
        var direction = Difference.IsNegative || (Difference.IsZero && PlannedTotal.Minor < ContractValue.Minor) ? "short of" : "over";
        var gap = Difference.IsNegative ? -Difference : Difference;
        var gapText = gap.IsZero ? $"less than 0.{new string('0', Math.Max(0, ContractValue.Currency.MinorDigits - 1))}1" : gap.ToDecimalString();
        return new PlanDoesNotAddUp(
            $"The plan totals {PlannedTotal.ToDecimalString()} {ContractValue.Currency.Code}, {gapText} {ContractValue.Currency.Code} {direction} the contract value of {ContractValue.ToDecimalString()}.",
            Difference);
    }
}

/// <summary>Activation refused because the plan does not equal the contract value.</summary>
public sealed record PlanDoesNotAddUp(string Detail, Money Difference) : DomainError("plan_does_not_add_up", Detail, "milestones")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}
