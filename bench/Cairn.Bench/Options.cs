using System.Globalization;

namespace Cairn.Bench;

/// <summary>Command-line options written <c>--name value</c>, or <c>--flag</c> alone.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public Options(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument '{args[i]}'; options are written --name value");
            var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            _values[args[i][2..]] = hasValue ? args[++i] : "true";
        }
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => _values.TryGetValue(name, out var value) && value == "true";
}
