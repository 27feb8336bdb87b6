using FsCheck;
using FsCheck.Fluent;

namespace Cairn.Domain.Tests;

/// <summary>FsCheck generators for money values, weighted towards the edges where arithmetic goes wrong.</summary>
internal static class MoneyGen
{
    /// <summary>A currency with 0, 2 or 3 minor digits, each digit count equally likely.</summary>
    public static Gen<Currency> Currency { get; } =
        Gen.Elements(0, 2, 3).SelectMany(digits => Gen.Elements(Cairn.Domain.Currency.All.Where(c => c.MinorDigits == digits).ToArray()));

    /// <summary>A non-negative number of minor units up to <see cref="Money.MaxInputMinor"/>: small, huge and the bounds.</summary>
    public static Gen<long> NonNegativeMinor { get; } = Gen.Frequency(
        (4, Gen.Choose(0, 1000).Select(i => (long)i)),
        (3, Gen.Choose(0, int.MaxValue).Select(i => (long)i)),
        (4, Gen.Choose(0, 999_999).Zip(Gen.Choose(0, 999_999_999), (high, low) => (high * 1_000_000_000L) + low)),
        (1, Gen.Elements(0L, 1L, Money.MaxInputMinor)));

    /// <summary>A number of minor units from -<see cref="Money.MaxInputMinor"/> to +<see cref="Money.MaxInputMinor"/>.</summary>
    public static Gen<long> Minor { get; } = NonNegativeMinor.Zip(Gen.Elements(1, -1), (magnitude, sign) => magnitude * sign);
}
