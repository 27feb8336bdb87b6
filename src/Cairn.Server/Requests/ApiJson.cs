using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Domain;

namespace Cairn.Server.Requests;

/// <summary>The API's JSON conventions: camelCase, enums as snake_case strings, unknown fields refused (a typo is an error, not a silent no-op).</summary>
public static class ApiJson
{
    /// <summary>Serializer options used by every endpoint and problem.</summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies Cairn's conventions to a set of options.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.MaxDepth = 32;
        return options;
    }
}

/// <summary>An amount in the API: a decimal string with exactly the currency's minor digits, and its currency.</summary>
public sealed record MoneyJson(string Amount, string Currency)
{
    /// <summary>The API form of an amount.</summary>
    public static MoneyJson Of(Money money) => new(money.ToDecimalString(), money.Currency.Code);

    /// <summary>The API form of minor units in a currency.</summary>
    public static MoneyJson Of(long minor, Currency currency) => Of(new Money(minor, currency));

    /// <summary>The API form of a sum over many amounts (see <see cref="MoneyTotal"/>).</summary>
    public static MoneyJson Of(MoneyTotal total) => new(total.ToDecimalString(), total.Currency.Code);

    /// <summary>The API form of a sum of minor units in a currency, as the database adds them up without overflow.</summary>
    public static MoneyJson Of(decimal minor, Currency currency) => Of(new MoneyTotal(minor, currency));
}

/// <summary>An amount as sent by a client; checked field by field.</summary>
public sealed record MoneyInput(string? Amount, string? Currency)
{
    /// <summary>Parses the amount, naming <paramref name="field"/> in any error.</summary>
    public Money ToMoney(string field)
    {
        if (Currency is null)
            throw new DomainException(new DomainError("currency_required", "The currency is required (an ISO 4217 code such as EUR).", field + ".currency"));
        if (!Domain.Currency.TryFind(Currency, out var currency))
            throw new DomainException(new DomainError("unknown_currency", $"'{Truncate(Currency)}' is not an ISO 4217 currency code Cairn knows.", field + ".currency"));
        if (!Money.TryParse(Amount, currency, out var money, out var error))
            throw new DomainException(new DomainError("invalid_amount", error, field + ".amount"));
        return money;
    }

    private static string Truncate(string text) => text.Length > 12 ? text[..12] + "…" : text;
}
