using System.Globalization;
using System.Text;

namespace Cairn.Bench;

/// <summary>An SVG with two panels, throughput and p99 latency against concurrent clients, on log scales, one line per series.</summary>
internal static class Plot
{
    private const int PanelWidth = 440;
    private const int PanelHeight = 300;
    private const int Left = 70;
    private const int Top = 40;
    private const int Gap = 110;

    public static string Svg(Report report)
    {
        var series = new (string Name, string Colour, bool Dashed, IReadOnlyList<LoadResult> Results)[]
        {
            ("Cairn approve→invoice (PostgreSQL)", "#1f77b4", false, report.ApprovePostgres),
            ("approve floor, 12 statements (PostgreSQL)", "#1f77b4", true, report.ApproveFloorPostgres),
            ("pgbench TPC-B (same server)", "#9467bd", true, report.Pgbench),
            ("Cairn approve→invoice (SQLite)", "#2ca02c", false, report.ApproveSqlite),
            ("approve floor (SQLite)", "#2ca02c", true, report.ApproveFloorSqlite),
            ("Cairn GET contract", "#d62728", false, report.ContractRead),
            ("contract read floor, one query", "#d62728", true, report.ContractReadFloor),
        };
        var clients = series.SelectMany(s => s.Results).Select(r => r.Clients).Distinct().Order().ToList();
        var width = Left + PanelWidth + Gap + PanelWidth + 40;
        var height = Top + PanelHeight + 60 + (series.Length * 18) + 20;
        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(F($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        if (clients.Count > 0)
        {
            Panel(svg, Left, "throughput (operations/s, log scale)", clients, series, r => r.Throughput);
            Panel(svg, Left + PanelWidth + Gap, "p99 latency (ms, log scale)", clients, series, r => r.P99);
        }

        var y = Top + PanelHeight + 55;
        foreach (var (name, colour, dashed, _) in series)
        {
            svg.Append(F($"<line x1=\"{Left}\" y1=\"{y - 4}\" x2=\"{Left + 30}\" y2=\"{y - 4}\" stroke=\"{colour}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>"));
            svg.Append(F($"<text x=\"{Left + 38}\" y=\"{y}\">{Escape(name)}</text>\n"));
            y += 18;
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int x0, string title, List<int> clients, (string Name, string Colour, bool Dashed, IReadOnlyList<LoadResult> Results)[] series, Func<LoadResult, double> value)
    {
        var values = series.SelectMany(s => s.Results).Select(value).Where(v => v > 0 && double.IsFinite(v)).ToList();
        var low = Math.Pow(10, Math.Floor(Math.Log10(values.Count > 0 ? values.Min() : 1)));
        var high = Math.Pow(10, Math.Ceiling(Math.Log10(values.Count > 0 ? values.Max() : 10)));
        if (high <= low)
            high = low * 10;
        double X(int c) => clients.Count == 1 ? x0 + (PanelWidth / 2.0) : x0 + (PanelWidth * (Math.Log2(c) - Math.Log2(clients[0])) / (Math.Log2(clients[^1]) - Math.Log2(clients[0])));
        double Y(double v) => Top + PanelHeight - (PanelHeight * (Math.Log10(v) - Math.Log10(low)) / (Math.Log10(high) - Math.Log10(low)));

        svg.Append(F($"<text x=\"{x0}\" y=\"{Top - 15}\" font-weight=\"bold\">{Escape(title)}</text>\n"));
        svg.Append(F($"<rect x=\"{x0}\" y=\"{Top}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#999\"/>\n"));
        for (var decade = low; decade <= high * 1.0001; decade *= 10)
        {
            var y = Y(decade);
            svg.Append(F($"<line x1=\"{x0}\" y1=\"{y:0.0}\" x2=\"{x0 + PanelWidth}\" y2=\"{y:0.0}\" stroke=\"#ddd\"/>"));
            svg.Append(F($"<text x=\"{x0 - 6}\" y=\"{y + 4:0.0}\" text-anchor=\"end\">{decade:G4}</text>\n"));
        }

        foreach (var c in clients)
        {
            svg.Append(F($"<line x1=\"{X(c):0.0}\" y1=\"{Top + PanelHeight}\" x2=\"{X(c):0.0}\" y2=\"{Top + PanelHeight + 5}\" stroke=\"#999\"/>"));
            svg.Append(F($"<text x=\"{X(c):0.0}\" y=\"{Top + PanelHeight + 18}\" text-anchor=\"middle\">{c}</text>\n"));
        }

        svg.Append(F($"<text x=\"{x0 + (PanelWidth / 2)}\" y=\"{Top + PanelHeight + 34}\" text-anchor=\"middle\">concurrent clients</text>\n"));
        foreach (var (_, colour, dashed, results) in series)
        {
            var points = results.Where(r => value(r) > 0 && double.IsFinite(value(r))).Select(r => F($"{X(r.Clients):0.0},{Y(value(r)):0.0}")).ToList();
            if (points.Count == 0)
                continue;
            svg.Append(F($"<polyline points=\"{string.Join(' ', points)}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>\n"));
            foreach (var point in points)
            {
                var xy = point.Split(',');
                svg.Append(F($"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"3\" fill=\"{colour}\"/>"));
            }

            svg.Append('\n');
        }
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
