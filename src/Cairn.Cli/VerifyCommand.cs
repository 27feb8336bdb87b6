using System.CommandLine;
using Cairn.Server.Data;
using Cairn.Server.Verification;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Cli;

/// <summary><c>cairn verify</c>: checks every rule of DESIGN.md §4 over a database and exits non-zero on any violation.</summary>
public static class VerifyCommand
{
    /// <summary>Builds the command with its database options.</summary>
    public static Command Create()
    {
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (default: the SQLite database)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding cairn.db (default: ./data)." };
        var sqlite = new Option<string?>("--sqlite") { Description = "Path of a SQLite database file." };
        var command = new Command("verify", "Check every invariant (plan sums, one invoice per milestone, gap-free numbers, unchanged issued documents, payment and credit bounds, tenancy) and list each violation.")
        {
            postgres, dataDir, sqlite,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = Settings(parse.GetValue(postgres), parse.GetValue(dataDir), parse.GetValue(sqlite));
            if (settings is null)
                return 2;
            return await RunAsync(settings, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs the checks and prints the report; 0 when clean, 1 with violations, 2 when the database cannot be read.</summary>
    public static async Task<int> RunAsync(DatabaseSettings settings, TextWriter output, TextWriter progressOutput, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<CairnDb>();
        settings.Configure(options);
        await using var db = new CairnDb(options.Options);
        IReadOnlyList<Violation> violations;
        try
        {
            var bar = new ProgressBar(progressOutput);
            violations = await new InvariantChecker(db).CheckAsync(new Progress<(double Fraction, string Step)>(p => bar.Show(p.Fraction, p.Step)), cancellationToken);
            bar.Done();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            await output.WriteLineAsync($"cannot read the {settings.Engine} database: {e.Message}");
            return 2;
        }

        foreach (var group in violations.GroupBy(v => v.Rule).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"rule {group.Key}: {group.Count()} violation(s)");
            foreach (var violation in group)
                await output.WriteLineAsync($"  {string.Join(", ", violation.Ids)}: {violation.Message}");
        }

        await output.WriteLineAsync(violations.Count == 0 ? "verify: no violations" : $"verify: {violations.Count} violation(s)");
        return violations.Count == 0 ? 0 : 1;
    }

    /// <summary>The database to check: PostgreSQL, a SQLite file, or the SQLite file of a data folder.</summary>
    public static DatabaseSettings? Settings(string? postgres, string? dataDir, string? sqlite)
    {
        if (!string.IsNullOrWhiteSpace(postgres))
            return new DatabaseSettings("postgres", postgres);
        var file = sqlite ?? Path.Combine(dataDir ?? "data", "cairn.db");
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"no database at {Path.GetFullPath(file)}; pass --postgres, --data-dir or --sqlite");
            return null;
        }

        return DatabaseSettings.Sqlite(file);
    }

    /// <summary>A one-line text progress bar, redrawn in place on a terminal and printed per step otherwise.</summary>
    private sealed class ProgressBar(TextWriter output)
    {
        private readonly bool _interactive = !Console.IsErrorRedirected;
        private string _lastStep = "";

        public void Show(double fraction, string step)
        {
            var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 30, MidpointRounding.AwayFromZero);
            var line = $"[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} {step}";
            if (_interactive)
                output.Write("\r" + line.PadRight(80));
            else if (step != _lastStep)
                output.WriteLine(line);
            _lastStep = step;
        }

        public void Done()
        {
            if (_interactive)
                output.WriteLine();
        }
    }
}
