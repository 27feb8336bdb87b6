using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Domain;

namespace Cairn.Server.Web;

/// <summary>
/// Forms with rows (change order items, template milestones) send the API's list to its checks,
/// which name a field like <c>items[2].terms.amount</c>; the form leaves out empty rows, so the
/// error is renamed to the row on the page it came from.
/// </summary>
public static partial class RowErrors
{
    /// <summary>The error with <c>{list}[n]</c> replaced by the key of the n-th row sent; other errors as they are.</summary>
    public static DomainError Rename(DomainError error, string list, IReadOnlyList<string> rowKeys)
    {
        if (error.Field is not { } field || !field.StartsWith(list + "[", StringComparison.Ordinal))
            return error;
        var match = Index().Match(field, list.Length);
        return match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var n && n < rowKeys.Count
            ? error with { Field = rowKeys[n] + field[(list.Length + match.Length)..] }
            : error;
    }

    [GeneratedRegex(@"\G\[(\d+)\]")]
    private static partial Regex Index();
}
