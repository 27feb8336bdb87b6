using System.Text.Json;
using Cairn.Domain;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cairn.Server.Data;

/// <summary>Stores a currency as its ISO 4217 code.</summary>
internal sealed class CurrencyConverter() : ValueConverter<Currency, string>(c => c.Code, code => Currency.Of(code));

/// <summary>Stores a small immutable value (a snapshot, a list of links) as a JSON text column.</summary>
internal sealed class JsonConverter<T>() : ValueConverter<T, string>(v => Json.Write(v), s => Json.Read<T>(s));

/// <summary>Compares JSON-stored values by their JSON, for change tracking.</summary>
internal sealed class JsonComparer<T>() : ValueComparer<T>(
    (a, b) => Json.Write(a) == Json.Write(b),
    v => Json.Write(v).GetHashCode(StringComparison.Ordinal),
    v => Json.Read<T>(Json.Write(v)));

internal static class Json
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}

/// <summary>The JSON shape of milestone terms inside a change order item.</summary>
internal sealed record MilestoneTermsJson(
    string Title,
    string? Deliverable,
    string? AcceptanceCriteria,
    DateOnly? DueDate,
    long? FixedAmountMinor,
    string Currency,
    int? PercentageBasisPoints,
    BillingTrigger Trigger,
    DateOnly? BillingDate)
{
    public static string Write(MilestoneTerms? terms, string currency) => terms is null
        ? "null"
        : Json.Write(new MilestoneTermsJson(terms.Title, terms.Deliverable, terms.AcceptanceCriteria, terms.DueDate, terms.FixedAmount?.Minor, terms.FixedAmount?.Currency.Code ?? currency, terms.Percentage?.BasisPoints, terms.Trigger, terms.BillingDate));

    public static MilestoneTerms? Read(string json)
    {
        var dto = Json.Read<MilestoneTermsJson?>(json);
        return dto is null
            ? null
            : new MilestoneTerms(
                dto.Title,
                dto.Deliverable,
                dto.AcceptanceCriteria,
                dto.DueDate,
                dto.FixedAmountMinor is { } minor ? new Money(minor, Domain.Currency.Of(dto.Currency)) : null,
                dto.PercentageBasisPoints is { } bp ? Percentage.FromBasisPoints(bp) : null,
                dto.Trigger,
                dto.BillingDate);
    }
}
