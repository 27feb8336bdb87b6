using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cairn.Domain.Tests;

public sealed class AllocationProperties
{
    public sealed record Case(Money Total, long[] Weights)
    {
        public Int128 WeightSum => Weights.Aggregate(Int128.Zero, (sum, w) => sum + w);

        public IReadOnlyList<Money> Parts => Allocation.LargestRemainder(Total, Weights);

        public override string ToString() => $"{Total} by [{string.Join(", ", Weights)}]";
    }

    // Weights from a small pool repeat often, so ties are common; percentages and huge weights cover real plans and overflow.
    private static readonly Gen<long> Weight = Gen.Frequency(
        (3, Gen.Constant(0L)),
        (4, Gen.Elements(1L, 2L, 3L, 25L, 3333L)),
        (3, Gen.Choose(0, 10_000).Select(i => (long)i)),
        (1, Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, int.MaxValue), (a, b) => ((long)a << 32) | (uint)b)));

    private static readonly Arbitrary<Case> Cases =
        (from currency in MoneyGen.Currency
         from total in MoneyGen.NonNegativeMinor
         from count in Gen.Choose(1, 50)
         from weights in Gen.ArrayOf(Weight, count)
         from positiveAt in Gen.Choose(0, count - 1)
         from positive in Gen.Choose(1, 10_000)
         select new Case(Money.Of(total, currency), WithOnePositive(weights, positiveAt, positive)))
        .ToArbitrary();

    private static long[] WithOnePositive(long[] weights, int index, long positive)
    {
        if (weights.All(w => w == 0))
        {
            weights[index] = positive;
        }

        return weights;
    }

    [Property(MaxTest = 2000)]
    public Property Parts_always_add_up_to_the_total() =>
        Prop.ForAll(Cases, c => Money.Sum(c.Total.Currency, c.Parts) == c.Total);

    [Property(MaxTest = 2000)]
    public Property Each_part_is_within_one_minor_unit_of_its_exact_share() =>
        Prop.ForAll(Cases, c =>
        {
            var parts = c.Parts;
            var sum = c.WeightSum;
            return parts.Count == c.Weights.Length && c.Weights.Select((w, i) =>
            {
                var error = ((Int128)parts[i].Minor * sum) - ((Int128)c.Total.Minor * w);
                return error > -sum && error < sum;
            }).All(ok => ok);
        });

    [Property(MaxTest = 2000)]
    public Property Each_part_is_the_floor_of_its_exact_share_or_one_more() =>
        Prop.ForAll(Cases, c => c.Weights.Select((w, i) =>
        {
            var floor = (long)((Int128)c.Total.Minor * w / c.WeightSum);
            var part = c.Parts[i].Minor;
            return part == floor || part == floor + 1;
        }).All(ok => ok));

    [Property(MaxTest = 2000)]
    public Property Equal_weights_favour_the_earlier_part() =>
        Prop.ForAll(Cases, c =>
        {
            var parts = c.Parts;
            for (var i = 0; i < c.Weights.Length; i++)
            {
                for (var j = i + 1; j < c.Weights.Length; j++)
                {
                    if (c.Weights[i] == c.Weights[j] && parts[i] < parts[j])
                    {
                        return false;
                    }
                }
            }

            return true;
        });

    [Property(MaxTest = 2000)]
    public Property Zero_weights_get_zero_parts() =>
        Prop.ForAll(Cases, c =>
        {
            var parts = c.Parts;
            return c.Weights.Select((w, i) => w != 0 || parts[i].IsZero).All(ok => ok);
        });

    [Property(MaxTest = 1000)]
    public Property Parts_are_in_the_currency_of_the_total_and_never_negative() =>
        Prop.ForAll(Cases, c => c.Parts.All(p => p.Currency == c.Total.Currency && !p.IsNegative));
}
