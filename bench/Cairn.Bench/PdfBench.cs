using System.Diagnostics;
using System.Globalization;
using Cairn.Domain;
using Cairn.Server.Documents;

namespace Cairn.Bench;

/// <summary>What the PDF benchmark measured: invoices rendered, wall and CPU time, and the size of one.</summary>
internal sealed record PdfResult(int Count, TimeSpan Wall, TimeSpan Cpu, long AverageBytes)
{
    /// <summary>PDFs per second of CPU time: per core, whatever else the machine runs.</summary>
    public double PerCore => Count / Cpu.TotalSeconds;

    public double PerSecondWall => Count / Wall.TotalSeconds;
}

/// <summary>Invoice PDFs rendered per second on one thread (so per core), after a warm-up.</summary>
internal static class PdfBench
{
    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var buyer = args.Length > 2 ? args[2] : DefaultBuyer;
        if (args.Length > 1 && args[1] != "-")
        {
            var (invoice, details) = SampleInvoice(buyer);
            File.WriteAllBytes(args[1], InvoicePdf.Render(invoice, details));
        }

        var result = Measure(count, buyer);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pdf: {count} invoices on one thread in {result.Wall.TotalMilliseconds:0} ms wall, {result.Cpu.TotalMilliseconds:0} ms CPU: {result.PerCore:0} PDFs/s per core ({result.PerSecondWall:0}/s wall; {result.Cpu.TotalMilliseconds / count:0.00} ms CPU and {result.AverageBytes / 1024.0:0.0} KiB each)"));
        return 0;
    }

    /// <summary>Renders the sample invoice <paramref name="count"/> times after a warm-up and times it.</summary>
    public static PdfResult Measure(int count, string buyer = DefaultBuyer)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), "count must be at least 1");
        var (invoice, details) = SampleInvoice(buyer);

        // Warm-up: JIT, font parsing and the first subset, so the loop measures steady state.
        var warmup = Math.Min(count, 200);
        for (var i = 0; i < warmup; i++)
            InvoicePdf.Render(invoice, details);

        var bytes = 0L;
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
            bytes += InvoicePdf.Render(invoice, details).Length;
        clock.Stop();

        // The machine may be shared, so the rate per core is counted against the CPU time the process used (all its threads, GC included).
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return new PdfResult(count, clock.Elapsed, cpuUsed, bytes / count);
    }

    /// <summary>A typical issued invoice: a milestone of a website contract plus two extra lines at another rate.</summary>
    private const string DefaultBuyer = "Acme GmbH";

    private static (Invoice Invoice, InvoiceDocument Details) SampleInvoice(string buyer)
    {
        var now = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var eur = Currency.EUR;
        var contract = new Contract(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), "Website relaunch", Money.Parse("10000.00", eur), Percentage.Parse("20"), 30, now);
        foreach (var (title, share) in new[] { ("Design", "30"), ("Build", "40"), ("Launch", "30") })
            contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms(title, $"{title} deliverable", $"Client signs off {title}.", null, null, Percentage.Parse(share)));
        contract.Activate(now);
        var design = contract.Milestones[0];
        var pm = new Actor(ActorKind.User, "pm", "PM");
        design.Start(pm, now);
        design.Submit("Delivered", ["https://example.test/design"], pm, now);
        design.Approve(new Actor(ActorKind.Contact, "c", "Client"), now);
        var invoice = new Invoice(Guid.CreateVersion7(), contract, design, now);
        invoice.AddLine("Stock photography licences for the home page and the three landing pages, one year", Money.Parse("240.00", eur), Percentage.Parse("20"));
        invoice.AddLine("Printed style guide, 20 copies", Money.Parse("180.00", eur), Percentage.Parse("7"));
        invoice.Issue(
            NumberFormat.Parse(Organization.DefaultInvoiceSeries).Number(DateOnly.FromDateTime(now.UtcDateTime), 42),
            DateOnly.FromDateTime(now.UtcDateTime),
            new PartySnapshot("Cairn Studio Ltd", "1 Quay Street\nDublin 2, D02 XY45\nIreland", "IE1234567T", "billing@cairn.example"),
            new PartySnapshot(buyer, "2 Hauptstraße, 10115 Berlin, Germany", "DE123456789", "ap@acme.example"),
            now);
        return (invoice, new InvoiceDocument(contract.Title, design.Title, "Bank transfer to IBAN IE29 AIBK 9311 5212 3456 78 (BIC AIBKIE2D), Cairn Studio Ltd.", Paper.A4));
    }
}
