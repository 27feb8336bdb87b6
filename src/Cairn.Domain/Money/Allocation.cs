namespace Cairn.Domain;

/// <summary>Splits an amount into parts that add up to it exactly, to the minor unit.</summary>
public static class Allocation
{
    /// <summary>
    /// Splits total into parts proportional to weights by the largest-remainder method: parts add up to total exactly; each part is
    /// floor(exact share) or floor+1; leftover minor units go to the largest remainders, ties to the earlier index.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="total"/> or a weight is negative.</exception>
    /// <exception cref="ArgumentException">When there are no weights or they add up to zero.</exception>
    public static IReadOnlyList<Money> LargestRemainder(Money total, IReadOnlyList<long> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(total.Minor, nameof(total));
        if (weights.Count == 0)
        {
            throw new ArgumentException("At least one weight is required.", nameof(weights));
        }

        Int128 weightSum = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), weights[i], $"Weight {i} is negative; weights must be zero or more.");
            }

            weightSum += weights[i];
        }

        if (weightSum == 0)
        {
            throw new ArgumentException("The weights add up to zero; at least one must be positive.", nameof(weights));
        }

        var floors = new long[weights.Count];
        var remainders = new Int128[weights.Count];
        long allocated = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = (Int128)total.Minor * weights[i];
            floors[i] = (long)(exact / weightSum);
            remainders[i] = exact % weightSum;
            allocated += floors[i];
        }

        // The remainders add up to leftover * weightSum and each is below weightSum, so the leftover is smaller than the
        // number of non-zero remainders: every extra unit goes to a distinct part, and never to a zero weight.
        var leftover = total.Minor - allocated;
        var order = Enumerable.Range(0, weights.Count)
            .OrderByDescending(i => remainders[i])
            .ThenBy(i => i)
            .Take((int)leftover);
        foreach (var i in order)
        {
            floors[i]++;
        }

        return Array.ConvertAll(floors, minor => new Money(minor, total.Currency));
    }
}
