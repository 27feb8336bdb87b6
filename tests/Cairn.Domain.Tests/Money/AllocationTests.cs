namespace Cairn.Domain.Tests;

public sealed class AllocationTests
{
    private static long[] Split(long minor, params long[] weights) =>
        Allocation.LargestRemainder(Money.Of(minor, Currency.EUR), weights).Select(m => m.Minor).ToArray();

    [Fact]
    public void Exact_shares_are_not_adjusted()
    {
        Assert.Equal([30000, 40000, 30000], Split(100000, 30, 40, 30));
    }

    [Fact]
    public void A_third_each_gives_the_leftover_cent_to_the_first_milestone()
    {
        Assert.Equal([3334, 3333, 3333], Split(10000, 1, 1, 1));
        Assert.Equal([1, 1, 0], Split(2, 1, 1, 1));
    }

    [Fact]
    public void Leftover_units_go_to_the_largest_remainders_before_earlier_positions()
    {
        // Exact shares 3.33 and 6.67: the second has the larger remainder.
        Assert.Equal([3, 7], Split(10, 1, 2));
        // Exact shares 1.5, 1.5, 7: the tie between the first two goes to the earlier.
        Assert.Equal([2, 1, 7], Split(10, 15, 15, 70));
    }

    [Fact]
    public void Zero_weights_get_zero()
    {
        Assert.Equal([0, 100, 0], Split(100, 0, 5, 0));
        Assert.Equal([0, 1, 0, 0], Split(1, 0, 1, 0, 1));
    }

    [Fact]
    public void Nothing_to_split_gives_zero_parts()
    {
        Assert.Equal([0, 0], Split(0, 1, 3));
    }

    [Fact]
    public void Parts_keep_the_currency_of_the_total()
    {
        var parts = Allocation.LargestRemainder(Money.Of(1000, Currency.JPY), [25, 25, 50]);

        Assert.Equal([Money.Of(250, Currency.JPY), Money.Of(250, Currency.JPY), Money.Of(500, Currency.JPY)], parts);
    }

    [Fact]
    public void Huge_totals_and_weights_do_not_overflow()
    {
        var parts = Split(long.MaxValue, long.MaxValue, long.MaxValue, 1);

        Assert.Equal(long.MaxValue, parts.Sum(p => (decimal)p));
        // Exact shares are 4611686018427387903.25 twice and just under 0.5: the last has the largest remainder.
        Assert.Equal([long.MaxValue / 2, long.MaxValue / 2, 1], parts);
    }

    [Fact]
    public void Weights_must_be_given_and_add_up_to_something()
    {
        var total = Money.Of(100, Currency.EUR);

        Assert.Throws<ArgumentException>(() => Allocation.LargestRemainder(total, []));
        Assert.Throws<ArgumentException>(() => Allocation.LargestRemainder(total, [0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Allocation.LargestRemainder(total, [5, -1, 10]));
    }

    [Fact]
    public void A_negative_total_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Allocation.LargestRemainder(Money.Of(-1, Currency.EUR), [1]));
    }
}
