using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Server.Tests.Calendar;

/// <summary>
/// A strict reader of iCalendar streams (RFC 5545), independent of the Ical.Net that writes them:
/// CRLF line ends, content lines of at most 75 octets (§3.1), unfolding, property names and
/// parameters by the §3.1 grammar, balanced BEGIN/END, VERSION:2.0 and PRODID on the calendar,
/// exactly one UID and DTSTAMP (UTC) per VEVENT, and TEXT values unescaped (§3.3.11).
/// Anything else fails the test with the offending line.
/// </summary>
public static partial class IcsReader
{
    /// <summary>One property: its parameters (upper-case names) and its raw value.</summary>
    public sealed record Property(IReadOnlyDictionary<string, string> Parameters, string Value)
    {
        /// <summary>The value read as TEXT: <c>\\</c>, <c>\;</c>, <c>\,</c> and <c>\n</c> unescaped.</summary>
        public string Text => Regex.Replace(Value, @"\\([\\;,nN])", m => m.Groups[1].Value is "n" or "N" ? "\n" : m.Groups[1].Value);
    }

    /// <summary>One VEVENT, its properties by upper-case name (each may repeat).</summary>
    public sealed record Event(IReadOnlyDictionary<string, List<Property>> Properties)
    {
        public Property One(string name) => Properties.TryGetValue(name, out var list) && list.Count == 1
            ? list[0]
            : throw new FormatException($"VEVENT has {(Properties.TryGetValue(name, out var l) ? l.Count : 0)} {name} properties, expected one");

        public string Uid => One("UID").Value;

        public string Summary => One("SUMMARY").Text;

        public int Sequence => Properties.ContainsKey("SEQUENCE") ? int.Parse(One("SEQUENCE").Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

        public string Status => One("STATUS").Value;

        /// <summary>The start of an all-day event; fails unless DTSTART is a DATE value.</summary>
        public DateOnly Day
        {
            get
            {
                var start = One("DTSTART");
                if (!start.Parameters.TryGetValue("VALUE", out var type) || type != "DATE" || !DateValue().IsMatch(start.Value))
                    throw new FormatException($"DTSTART is not a DATE: {start.Value}");
                return DateOnly.ParseExact(start.Value, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Reads a calendar; returns its own properties and its events.</summary>
    public static (IReadOnlyDictionary<string, List<Property>> Calendar, List<Event> Events) Read(string ics)
    {
        if (!ics.EndsWith("\r\n", StringComparison.Ordinal))
            throw new FormatException("the stream does not end with CRLF");
        var physical = ics[..^2].Split("\r\n");
        foreach (var line in physical)
        {
            if (line.Contains('\n') || line.Contains('\r'))
                throw new FormatException($"bare CR or LF in: {line}");
            if (Encoding.UTF8.GetByteCount(line) > 75)
                throw new FormatException($"line longer than 75 octets: {line}");
        }

        var logical = new List<string>();
        foreach (var line in physical)
        {
            if (line.Length > 0 && line[0] is ' ' or '\t')
            {
                if (logical.Count == 0)
                    throw new FormatException("continuation line first");
                logical[^1] += line[1..];
            }
            else
            {
                logical.Add(line);
            }
        }

        var stack = new Stack<(string Name, Dictionary<string, List<Property>> Props)>();
        Dictionary<string, List<Property>>? calendar = null;
        var events = new List<Event>();
        foreach (var line in logical)
        {
            var match = ContentLine().Match(line);
            if (!match.Success)
                throw new FormatException($"not a content line: {line}");
            var name = match.Groups["name"].Value.ToUpperInvariant();
            var value = match.Groups["value"].Value;
            var parameters = match.Groups["param"].Captures.Select(c => c.Value.Split('=', 2)).ToDictionary(p => p[0].ToUpperInvariant(), p => p[1].Trim('"'));
            if (name == "BEGIN")
            {
                stack.Push((value.ToUpperInvariant(), new Dictionary<string, List<Property>>()));
                continue;
            }

            if (name == "END")
            {
                var (component, props) = stack.Count > 0 ? stack.Pop() : throw new FormatException($"END without BEGIN: {line}");
                if (!string.Equals(component, value, StringComparison.OrdinalIgnoreCase))
                    throw new FormatException($"END:{value} closes BEGIN:{component}");
                if (component == "VEVENT")
                {
                    var e = new Event(props);
                    _ = e.Uid;
                    if (!UtcDateTime().IsMatch(e.One("DTSTAMP").Value))
                        throw new FormatException($"DTSTAMP is not a UTC date-time: {e.One("DTSTAMP").Value}");
                    events.Add(e);
                }
                else if (component == "VCALENDAR")
                {
                    calendar = props;
                }

                continue;
            }

            if (stack.Count == 0)
                throw new FormatException($"property outside any component: {line}");
            var target = stack.Peek().Props;
            if (!target.TryGetValue(name, out var list))
                target[name] = list = [];
            list.Add(new Property(parameters, value));
        }

        if (stack.Count > 0 || calendar is null)
            throw new FormatException("unbalanced BEGIN/END or no VCALENDAR");
        if (!calendar.TryGetValue("VERSION", out var version) || version.Single().Value != "2.0" || !calendar.ContainsKey("PRODID"))
            throw new FormatException("VCALENDAR without VERSION:2.0 or PRODID");
        return (calendar, events);
    }

    // RFC 5545 §3.1: name *(";" param) ":" value; param values are paramtext or quoted strings.
    [GeneratedRegex("""^(?<name>[A-Za-z0-9-]+)(;(?<param>[A-Za-z0-9-]+=("[^"\x00-\x08\x0A-\x1F\x7F]*"|[^";:,\x00-\x08\x0A-\x1F\x7F]*)(,("[^"]*"|[^";:,]*))*))*:(?<value>[^\x00-\x08\x0A-\x1F\x7F]*)$""")]
    private static partial Regex ContentLine();

    [GeneratedRegex("^[0-9]{8}$")]
    private static partial Regex DateValue();

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}Z$")]
    private static partial Regex UtcDateTime();
}
