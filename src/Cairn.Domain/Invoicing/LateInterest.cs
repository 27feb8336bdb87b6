using System.Globalization;

namespace Cairn.Domain;

/// <summary>
/// The reference rate of Directive 2011/7/EU art. 2(12) for each half-year: the rate in force on
/// 1 January applies to the first half, the rate in force on 1 July to the second. It is data
/// (one line per half-year, <c>yyyy-MM-dd,rate%</c>), not code.
/// </summary>
public sealed class ReferenceRates
{
    private readonly SortedDictionary<DateOnly, Percentage> _rates;

    /// <summary>A table of half-years, each starting on 1 January or 1 July.</summary>
    /// <exception cref="ArgumentException">A start that is not 1 January or 1 July.</exception>
    public ReferenceRates(IEnumerable<(DateOnly HalfYearStart, Percentage Rate)> rates)
    {
        _rates = new SortedDictionary<DateOnly, Percentage>();
        foreach (var (start, rate) in rates)
        {
            if (start.Day != 1 || start.Month is not (1 or 7))
                throw new ArgumentException($"A reference rate applies from 1 January or 1 July, not {start:yyyy-MM-dd}.", nameof(rates));
            _rates[start] = rate;
        }
    }

    /// <summary>The half-years known, earliest first.</summary>
    public IEnumerable<(DateOnly HalfYearStart, Percentage Rate)> All => _rates.Select(r => (r.Key, r.Value));

    /// <summary>Reads lines of <c>yyyy-MM-dd,rate</c> (rate in percent, e.g. <c>2.15</c>); blank lines and lines starting with <c>#</c> are ignored.</summary>
    public static ReferenceRates Parse(string text) => new(
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(','))
            .Select(p => (DateOnly.ParseExact(p[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture), Percentage.Parse(p[1].Trim()))));

    /// <summary>The first day of the half-year <paramref name="day"/> falls in.</summary>
    public static DateOnly HalfYearOf(DateOnly day) => new(day.Year, day.Month <= 6 ? 1 : 7, 1);

    /// <summary>The reference rate for the half-year of <paramref name="day"/>.</summary>
    /// <exception cref="DomainException"><c>reference_rate_missing</c> when the table has no line for that half-year.</exception>
    public Percentage On(DateOnly day) => _rates.TryGetValue(HalfYearOf(day), out var rate)
        ? rate
        : throw new DomainException(new DomainError("reference_rate_missing", $"No reference rate is recorded for the half-year starting {HalfYearOf(day):yyyy-MM-dd}; add it to the reference-rate table."));
}

/// <summary>One stretch of days over which the same amount was late at the same rate.</summary>
/// <param name="From">The last day before the stretch (the due date, or the day of the previous payment); interest runs from the day after.</param>
/// <param name="To">The stretch's last day (a payment's day, a half-year's last day, or the day computed to).</param>
/// <param name="Principal">What was owed and late during the stretch.</param>
/// <param name="Rate">The statutory rate: the reference rate of the half-year plus 8 points.</param>
/// <param name="Days">Actual days, <c>To − From</c>.</param>
public sealed record InterestPeriod(DateOnly From, DateOnly To, Money Principal, Percentage Rate, int Days);

/// <summary>The late-payment interest of one invoice, with its computation.</summary>
/// <param name="Periods">Each stretch of days with its principal and rate.</param>
/// <param name="Interest">Σ principal × rate × days / 365, rounded once to the minor unit (half away from zero).</param>
/// <param name="Compensation">The fixed 40 EUR for recovery costs (art. 6), or null when the invoice is not in euro.</param>
public sealed record LateInterestComputation(IReadOnlyList<InterestPeriod> Periods, Money Interest, Money? Compensation)
{
    /// <summary>Interest plus compensation.</summary>
    public Money Total => Compensation is { } c ? Interest + c : Interest;
}

/// <summary>
/// Late-payment interest in commercial transactions, Directive 2011/7/EU: the reference rate of the
/// half-year (art. 2(12)) plus 8 percentage points (art. 2(6)), simple interest on what was late, actual
/// days over a 365-day year, from the day after the due date to the day each part was paid (art. 3, 4);
/// summed over every stretch and rounded once. Plus the fixed 40 EUR compensation for recovery costs
/// (art. 6), owed in euro: for an invoice in another currency it is left out (the directive fixes it
/// in euro and leaves the conversion to national law), and the staff member can add it by hand.
/// </summary>
public static class LateInterest
{
    /// <summary>The margin over the reference rate, 8 percentage points (art. 2(6)).</summary>
    public static readonly Percentage Margin = Percentage.FromBasisPoints(800);

    /// <summary>The fixed compensation for recovery costs, 40 EUR (art. 6(1)).</summary>
    public static readonly Money Compensation = new(4000, Currency.EUR);

    /// <summary>The statutory rate for a half-year: its reference rate plus <see cref="Margin"/> (art. 2(6)).</summary>
    public static Percentage StatutoryRate(Percentage referenceRate) => Percentage.FromBasisPoints(referenceRate.BasisPoints + Margin.BasisPoints);

    /// <summary>
    /// Computes the interest on <paramref name="owed"/>, due on <paramref name="dueDate"/>, reduced by
    /// <paramref name="settlements"/> (payments and credit notes, each on its day), up to and including
    /// <paramref name="until"/> (the last payment's day when paid in full, else today).
    /// </summary>
    /// <exception cref="DomainException"><c>not_late</c> when nothing was owed after the due date; <c>reference_rate_missing</c>; <c>currency_mismatch</c>.</exception>
    public static LateInterestComputation Compute(Money owed, DateOnly dueDate, IEnumerable<(DateOnly On, Money Amount)> settlements, DateOnly until, ReferenceRates rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var principal = owed;
        var later = new SortedDictionary<DateOnly, Money>();
        foreach (var (on, amount) in settlements)
        {
            if (amount.Currency != owed.Currency)
                throw new DomainException(new CurrencyMismatch(owed.Currency.Code, amount.Currency.Code));
            if (on <= dueDate)
                principal -= amount;
            else
                later[on] = later.TryGetValue(on, out var sum) ? sum + amount : amount;
        }

        var periods = new List<InterestPeriod>();
        var from = dueDate;
        // Each stretch ends at a payment, at the end of a half-year (the rate may change) or at `until`.
        while (principal.IsPositive && from < until)
        {
            var halfYearEnd = ReferenceRates.HalfYearOf(from.AddDays(1)).AddMonths(6).AddDays(-1);
            var nextPayment = later.Keys.FirstOrDefault(d => d > from, DateOnly.MaxValue);
            var to = new[] { halfYearEnd, nextPayment, until }.Min();
            var rate = StatutoryRate(rates.On(to));
            periods.Add(new InterestPeriod(from, to, principal, rate, to.DayNumber - from.DayNumber));
            if (later.TryGetValue(to, out var paid))
                principal -= paid;
            from = to;
        }

        if (periods.Count == 0)
            throw new DomainException(new DomainError("not_late", "Nothing of this invoice was paid late: there is no late-payment interest to charge."));

        // Exact in integers: Σ minor × basis points × days, over 10 000 × 365; one rounding at the end.
        var numerator = periods.Aggregate(Int128.Zero, (sum, p) => sum + (Int128)p.Principal.Minor * p.Rate.BasisPoints * p.Days);
        var interest = new Money((long)Math.Round((decimal)numerator / (10_000m * 365m), 0, MidpointRounding.AwayFromZero), owed.Currency);
        return new LateInterestComputation(periods, interest, owed.Currency == Currency.EUR ? Compensation : null);
    }
}
