using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Cairn.Server.Web;

/// <summary>One group of bars: a label (e.g. a month) and one value per series.</summary>
public sealed record BarGroup(string Label, IReadOnlyList<decimal> Values);

/// <summary>A milestone on the contract's time axis: its title, due date (none: not drawn), work status and billing status (API words, e.g. <c>in_progress</c>, <c>paid</c>).</summary>
public sealed record TimelineItem(string Title, DateOnly? Due, string Status, string Billing);

/// <summary>Bar charts drawn on the server as SVG: no script, readable without colour (a table follows each chart).</summary>
public static class Charts
{
    private const int Width = 640;
    private const int Height = 240;
    private const int Left = 64;
    private const int Bottom = 28;
    private const int Top = 12;

    /// <summary>A grouped bar chart with a title for assistive technology; <paramref name="series"/> names each bar of a group.</summary>
    public static IHtmlContent Bars(string id, string title, IReadOnlyList<string> series, IReadOnlyList<BarGroup> groups)
    {
        var max = groups.SelectMany(g => g.Values).DefaultIfEmpty(0).Max();
        var scale = NiceCeiling(max);
        var plotHeight = Height - Top - Bottom;
        var plotWidth = Width - Left - 8;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{id}-title\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Encode(title)}</title>");
        for (var tick = 0; tick <= 4; tick++)
        {
            var y = Top + plotHeight - (plotHeight * tick / 4.0);
            var value = scale * tick / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - 8}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Short(value)}</text>");
        }

        if (groups.Count > 0)
        {
            var slot = plotWidth / (double)groups.Count;
            var barWidth = Math.Min(28, slot * 0.8 / Math.Max(1, series.Count));
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                var start = Left + (g * slot) + ((slot - (barWidth * series.Count)) / 2);
                for (var s = 0; s < group.Values.Count; s++)
                {
                    var h = scale == 0 ? 0 : (double)(group.Values[s] / scale) * plotHeight;
                    var x = start + (s * barWidth);
                    svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar s{s}\" x=\"{x:0.#}\" y=\"{Top + plotHeight - h:0.#}\" width=\"{barWidth - 2:0.#}\" height=\"{h:0.#}\"><title>{Encode($"{MonthName(group.Label)} {series[s]}: {group.Values[s]:#,##0.##}")}</title></rect>");
                }

                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left + (g * slot) + (slot / 2):0.#}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Encode(MonthName(group.Label))}</text>");
            }
        }

        svg.Append("</svg>");
        var legend = new StringBuilder("<ul class=\"legend\">");
        for (var s = 0; s < series.Count; s++)
            legend.Append(CultureInfo.InvariantCulture, $"<li><span class=\"swatch s{s}\" aria-hidden=\"true\"></span>{Encode(series[s])}</li>");
        legend.Append("</ul>");
        return new HtmlString("<figure class=\"chart-figure\">" + svg + legend + "</figure>");
    }

    /// <summary>
    /// The contract's milestones on a time axis (a Gantt-like view): one row per milestone with a due
    /// date, its marker at that date coloured by work status (class <c>st-…</c>) and filled by billing
    /// status (class <c>bill-…</c>), month names on the axis and a line at today. Milestones without a
    /// due date are left to the table that follows the chart.
    /// </summary>
    public static IHtmlContent Timeline(string id, string title, IReadOnlyList<TimelineItem> items, DateOnly today)
    {
        const int label = 200;
        const int rowHeight = 26;
        var dated = items.Where(i => i.Due is not null).ToList();
        var earliest = dated.Select(i => i.Due!.Value).Append(today).Min();
        var first = new DateOnly(earliest.Year, earliest.Month, 1);
        var lastDay = dated.Select(i => i.Due!.Value).Append(today).Max();
        var end = new DateOnly(lastDay.Year, lastDay.Month, 1).AddMonths(1);
        var days = end.DayNumber - first.DayNumber;
        var height = Top + (Math.Max(1, dated.Count) * rowHeight) + Bottom;
        var plotWidth = Width - label - 16;
        double X(DateOnly d) => label + (plotWidth * (d.DayNumber - first.DayNumber) / (double)days);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart timeline-chart\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Encode(title)}</title>");
        for (var month = first; month < end; month = month.AddMonths(1))
        {
            var x = X(month);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{Top}\" y2=\"{height - Bottom}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis month\" x=\"{x + 3:0.#}\" y=\"{height - 8}\">{Encode(MonthName(month))}</text>");
        }

        for (var row = 0; row < dated.Count; row++)
        {
            var item = dated[row];
            var y = Top + (row * rowHeight) + (rowHeight / 2);
            var name = item.Title.Length > 28 ? item.Title[..27] + "…" : item.Title;
            var due = item.Due!.Value;
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis label\" x=\"4\" y=\"{y + 4}\">{Encode(name)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"lane\" x1=\"{label}\" x2=\"{X(due):0.#}\" y1=\"{y}\" y2=\"{y}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"marker st-{item.Status} bill-{item.Billing}\" cx=\"{X(due):0.#}\" cy=\"{y}\" r=\"7\" data-due=\"{due:yyyy-MM-dd}\"><title>{Encode($"{item.Title}: due {due:yyyy-MM-dd}, {item.Status.Replace('_', ' ')}, {item.Billing.Replace('_', ' ')}")}</title></circle>");
        }

        var now = X(today);
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"today\" x1=\"{now:0.#}\" x2=\"{now:0.#}\" y1=\"{Top - 4}\" y2=\"{height - Bottom}\" data-today=\"{today:yyyy-MM-dd}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis today-label\" x=\"{now + 3:0.#}\" y=\"{Top + 2}\">today</text>");
        svg.Append("</svg>");
        const string legend = "<ul class=\"legend\"><li><span class=\"swatch st-planned\" aria-hidden=\"true\"></span>planned or in progress</li><li><span class=\"swatch st-submitted\" aria-hidden=\"true\"></span>submitted or disputed</li><li><span class=\"swatch st-approved\" aria-hidden=\"true\"></span>approved</li><li><span class=\"swatch hollow\" aria-hidden=\"true\"></span>hollow: not yet invoiced; half: invoiced; full: paid</li></ul>";
        return new HtmlString("<figure class=\"chart-figure\">" + svg + legend + "</figure>");
    }

    /// <summary>A month as people read it on an axis: "2026-03" or a first day of March 2026 → "Mar 2026"; other labels unchanged.</summary>
    public static string MonthName(string label) =>
        DateOnly.TryParseExact(label, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? MonthName(month) : label;

    private static string MonthName(DateOnly month) => month.ToString("MMM yyyy", CultureInfo.InvariantCulture);

    // The top of the axis: 1, 2, 2.5 or 5 times a power of ten, at least the largest value.
    private static decimal NiceCeiling(decimal max)
    {
        if (max <= 0)
            return 0;
        var power = 1m;
        while (power * 10 <= max)
            power *= 10;
        foreach (var step in new[] { 1m, 2m, 2.5m, 5m, 10m })
        {
            if (power * step >= max)
                return power * step;
        }

        return power * 10;
    }

    private static string Short(decimal value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (value / 1_000).ToString("0.##", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
