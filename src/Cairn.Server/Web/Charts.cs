using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Cairn.Server.Web;

/// <summary>One group of bars: a label (e.g. a month) and one value per series.</summary>
public sealed record BarGroup(string Label, IReadOnlyList<decimal> Values);

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
                    svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar s{s}\" x=\"{x:0.#}\" y=\"{Top + plotHeight - h:0.#}\" width=\"{barWidth - 2:0.#}\" height=\"{h:0.#}\"><title>{Encode($"{group.Label} {series[s]}: {group.Values[s]:#,##0.##}")}</title></rect>");
                }

                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left + (g * slot) + (slot / 2):0.#}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Encode(group.Label)}</text>");
            }
        }

        svg.Append("</svg>");
        var legend = new StringBuilder("<ul class=\"legend\">");
        for (var s = 0; s < series.Count; s++)
            legend.Append(CultureInfo.InvariantCulture, $"<li><span class=\"swatch s{s}\" aria-hidden=\"true\"></span>{Encode(series[s])}</li>");
        legend.Append("</ul>");
        return new HtmlString("<figure class=\"chart-figure\">" + svg + legend + "</figure>");
    }

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
