using System.Globalization;
using System.Text.Json;
using Cairn.Domain;

namespace Cairn.Server.Requests;

/// <summary>Reads query-string and body values that arrive as text, naming the field in every error.</summary>
public static class Inputs
{
    /// <summary>A required, trimmed text field of at most <paramref name="max"/> characters.</summary>
    public static string Required(string? value, string field, int max = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException(new DomainError("required", $"{field} is required.", field));
        return Optional(value, field, max)!;
    }

    /// <summary>An optional, trimmed text field of at most <paramref name="max"/> characters.</summary>
    public static string? Optional(string? value, string field, int max = 2000)
    {
        if (value is null)
            return null;
        var trimmed = value.Trim();
        if (trimmed.Length > max)
            throw new DomainException(new DomainError("too_long", $"{field} is at most {max} characters.", field));
        if (trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            throw new DomainException(new DomainError("invalid_characters", $"{field} contains control characters.", field));
        return trimmed;
    }

    /// <summary>An email address: one @, something on each side, no spaces.</summary>
    public static string Email(string? value, string field, bool required)
    {
        var text = required ? Required(value, field, 254) : Optional(value, field, 254) ?? "";
        if (text.Length > 0 && (text.Count(c => c == '@') != 1 || text.StartsWith('@') || text.EndsWith('@') || text.Any(char.IsWhiteSpace)))
            throw new DomainException(new DomainError("invalid_email", $"{field} is not an email address.", field));
        return text;
    }

    /// <summary>An optional id; null when absent.</summary>
    public static Guid? OptionalId(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        return Guid.TryParse(text, out var id)
            ? id
            : throw new DomainException(new DomainError("invalid_id", $"{field} is not an id (a UUID such as 0190f0c2-…).", field));
    }

    /// <summary>A required id.</summary>
    public static Guid Id(string? text, string field) =>
        OptionalId(text, field) ?? throw new DomainException(new DomainError("required", $"{field} is required.", field));

    /// <summary>An optional calendar date written <c>yyyy-MM-dd</c>.</summary>
    public static DateOnly? OptionalDate(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new DomainException(new DomainError("invalid_date", $"{field} is not a date written yyyy-MM-dd.", field));
    }

    /// <summary>A required calendar date written <c>yyyy-MM-dd</c>.</summary>
    public static DateOnly Date(string? text, string field) =>
        OptionalDate(text, field) ?? throw new DomainException(new DomainError("required", $"{field} is required (yyyy-MM-dd).", field));

    /// <summary>An optional enum value in its API form (snake_case), e.g. <c>draft_for_review</c>.</summary>
    public static T? OptionalEnum<T>(string? text, string field)
        where T : struct, Enum
    {
        if (string.IsNullOrEmpty(text))
            return null;
        foreach (var value in System.Enum.GetValues<T>())
        {
            if (string.Equals(NameOf(value), text, StringComparison.Ordinal))
                return value;
        }

        var allowed = string.Join(", ", System.Enum.GetValues<T>().Select(NameOf));
        throw new DomainException(new DomainError("invalid_value", $"{field} is one of: {allowed}.", field));
    }

    /// <summary>A required enum value in its API form.</summary>
    public static T EnumValue<T>(string? text, string field)
        where T : struct, Enum =>
        OptionalEnum<T>(text, field) ?? throw new DomainException(new DomainError("required", $"{field} is required.", field));

    /// <summary>An amount, required.</summary>
    public static Money Money(MoneyInput? input, string field) =>
        input is null
            ? throw new DomainException(new DomainError("required", $"{field} is required, e.g. {{\"amount\": \"3000.00\", \"currency\": \"EUR\"}}.", field))
            : input.ToMoney(field);

    /// <summary>The API name of an enum value.</summary>
    public static string NameOf<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Rewrites the field of a domain error raised inside one part of a request, e.g. <c>title</c> → <c>items[2].terms.title</c>.</summary>
    public static T Within<T>(string prefix, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DomainException e) when (e.Error.Kind == DomainErrorKind.Invalid)
        {
            throw new DomainException(e.Error with { Field = e.Error.Field is { } f ? $"{prefix}.{f}" : prefix });
        }
    }
}
