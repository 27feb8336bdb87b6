using System.Diagnostics;
using System.Globalization;
using Cairn.Bench;

// Cairn's crash test and benchmarks, one mode each; bench/crash-test.sh and bench/run.sh drive them.
//   pdf [count=2000] [sample.pdf]                 invoice PDFs rendered per second per core
//   crash --engine sqlite|postgres --server <Cairn.Server.dll> --cli <cairn.dll> [--postgres <admin>] [--kills 20]
//   run --server <dll> --cli <dll> --postgres <admin> --pgbench <path> --out <folder> [--smoke]
ThreadPool.SetMinThreads(64, 64);
try
{
    return args switch
    {
        ["pdf", .. var rest] => PdfBench.Run(rest),
        ["crash", .. var rest] => await CrashTest.RunAsync(new Options(rest)),
        ["run", .. var rest] => await Benchmarks.RunAsync(new Options(rest)),
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
        usage: Cairn.Bench pdf [count=2000] [sample.pdf]
               Cairn.Bench crash --engine sqlite|postgres --server <Cairn.Server.dll> --cli <cairn.dll> [--postgres <admin connection string>] [--kills 20] [--clients 8] [--minutes 15] [--seed n]
               Cairn.Bench run --server <Cairn.Server.dll> --cli <cairn.dll> --postgres <admin connection string> --pgbench <path> --out <folder> [--smoke]
        """);
    return 2;
}
