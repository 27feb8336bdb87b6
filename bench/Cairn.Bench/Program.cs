using System.Diagnostics;
using System.Globalization;
using Cairn.Bench;

// Cairn's crash test and benchmarks, one mode each; bench/crash-test.sh and bench/run.sh drive them.
//   pdf [count=2000] [sample.pdf|-] [buyer name]  invoice PDFs rendered per second per core
//   crash --engine sqlite|postgres --server <Cairn.Server.dll> --cli <cairn.dll> [--postgres <admin>] [--kills 20]
//   webhook-receiver --port <port> --out <file> [--fail-every 8]   the crash test's webhook receiver (secret in CAIRN_BENCH_WEBHOOK_SECRET)
//   reports-data --cli <dll> --postgres <admin> [--contracts 100000] [--clients 2000]   creates and keeps a reporting data set, for working on the reports
//   get --url <url> [--key <api key>] [--clients 1] [--seconds 10] [--pid <server pid>]   GET load on one URL, with the server's CPU per request
//   run --server <dll> --cli <dll> --postgres <admin> --pgbench <path> --out <folder> [--smoke] [--only pdf,postgres,sqlite,reports] [--report-contracts n]
ThreadPool.SetMinThreads(64, 64);
try
{
    return args switch
    {
        ["pdf", .. var rest] => PdfBench.Run(rest),
        ["crash", .. var rest] => await CrashTest.RunAsync(new Options(rest)),
        ["webhook-receiver", .. var rest] => await WebhookReceiver.RunAsync(new Options(rest)),
        ["run", .. var rest] => await Benchmarks.RunAsync(new Options(rest)),
        ["reports-data", .. var rest] => await Benchmarks.ReportsDataAsync(new Options(rest)),
        ["get", .. var rest] => await GetLoad.RunAsync(new Options(rest)),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"Cairn.Bench: {e.Message}");
    return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Cairn.Bench pdf [count=2000] [sample.pdf|-] [buyer name]
               Cairn.Bench crash --engine sqlite|postgres --server <Cairn.Server.dll> --cli <cairn.dll> [--postgres <admin connection string>] [--kills 20] [--clients 8] [--minutes 15] [--seed n] [--contracts 24] [--milestones 8]
               Cairn.Bench webhook-receiver --port <port> --out <file> [--fail-every 8]
               Cairn.Bench get --url <url> [--key <api key>] [--clients 1] [--seconds 10] [--pid <server pid>]
               Cairn.Bench run --server <Cairn.Server.dll> --cli <cairn.dll> --postgres <admin connection string> --pgbench <path> --out <folder> [--smoke] [--only pdf,postgres,sqlite,reports] [--report-contracts n]
        """);
    return 2;
}
