using System.Diagnostics;
using System.Globalization;
using Cairn.Bench;

// Cairn's benchmarks, one mode per measurement: `dotnet run -c Release --project bench/Cairn.Bench -- pdf 2000`.
return args switch
{
    ["pdf", .. var rest] => PdfBench.Run(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Cairn.Bench pdf [count=2000] [sample.pdf]");
    return 2;
}

namespace Cairn.Bench
{
    using Cairn.Domain;
    using Cairn.Server.Documents;

    /// <summary>Invoice PDFs rendered per second on one thread (so per core), after a warm-up.</summary>
    internal static class PdfBench
    {
        public static int Run(string[] args)
        {
            var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
            if (count < 1)
                throw new ArgumentOutOfRangeException(nameof(args), "count must be at least 1");
            var (invoice, details) = SampleInvoice();
            if (args.Length > 1)
                File.WriteAllBytes(args[1], InvoicePdf.Render(invoice, details));

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
            var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;

            // The machine may be shared, so the rate per core is counted against the CPU time the process used (all its threads, GC included).
            var perSecond = count / clock.Elapsed.TotalSeconds;
            var perCore = count / cpuUsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pdf: {count} invoices on one thread in {clock.Elapsed.TotalMilliseconds:0} ms wall, {cpuUsed.TotalMilliseconds:0} ms CPU: {perCore:0} PDFs/s per core ({perSecond:0}/s wall; {cpuUsed.TotalMilliseconds / count:0.00} ms CPU and {bytes / count / 1024.0:0.0} KiB each)"));
            return 0;
        }

        /// <summary>A typical issued invoice: a milestone of a website contract plus two extra lines at another rate.</summary>
        private static (Invoice Invoice, InvoiceDocument Details) SampleInvoice()
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
                new PartySnapshot("Acme GmbH", "2 Hauptstraße, 10115 Berlin, Germany", "DE123456789", "ap@acme.example"),
                now);
            return (invoice, new InvoiceDocument(contract.Title, design.Title, "Bank transfer to IBAN IE29 AIBK 9311 5212 3456 78 (BIC AIBKIE2D), Cairn Studio Ltd.", Paper.A4));
        }
    }
}
