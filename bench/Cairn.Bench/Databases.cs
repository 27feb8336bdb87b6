using System.Diagnostics;
using Npgsql;

namespace Cairn.Bench;

/// <summary>Throwaway databases for a run (a fresh PostgreSQL database or SQLite folder), and provisioning through the real <c>cairn</c> CLI.</summary>
internal static class Databases
{
    /// <summary>Creates a fresh database on the server of <paramref name="adminConnectionString"/> and returns its connection string.</summary>
    public static async Task<string> CreatePostgresAsync(string adminConnectionString, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, MaxPoolSize = 200 }.ToString();
    }

    /// <summary>Drops a database made by <see cref="CreatePostgresAsync"/>, closing what still connects to it.</summary>
    public static async Task DropPostgresAsync(string adminConnectionString, string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <c>cairn provision</c> (which also migrates the database) and returns the owner API key it prints.</summary>
    public static async Task<string> ProvisionAsync(string cliDll, string? postgres, string? dataDirectory, string name)
    {
        var arguments = new List<string>
        {
            cliDll, "provision", "--name", name, "--currency", "EUR",
            "--owner-email", $"owner-{Guid.NewGuid():N}@bench.example", "--owner-password", "correct horse battery staple",
            "--address", "1 Quay Street, Dublin 2, Ireland", "--tax-id", "IE1234567T",
        };
        arguments.AddRange(postgres is not null ? ["--postgres", postgres] : ["--data-dir", dataDirectory!]);
        var (status, output, error) = await RunAsync("dotnet", arguments, TimeSpan.FromMinutes(3));
        var key = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (status != 0 || key is null || !key.StartsWith("cairn_", StringComparison.Ordinal))
            throw new InvalidOperationException($"cairn provision failed ({status}): {error}");
        return key;
    }

    /// <summary>Runs <c>cairn verify</c> over the database; returns its exit status and output.</summary>
    public static Task<(int Status, string Output, string Error)> VerifyAsync(string cliDll, string? postgres, string? dataDirectory) =>
        RunAsync("dotnet", [cliDll, "verify", .. postgres is not null ? new[] { "--postgres", postgres } : ["--data-dir", dataDirectory!]], TimeSpan.FromMinutes(30));

    /// <summary>Runs a program to completion (bounded), capturing its output.</summary>
    public static async Task<(int Status, string Output, string Error)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        if (workingDirectory is not null)
            info.WorkingDirectory = workingDirectory;
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{program} did not finish within {timeout.TotalSeconds} s");
        }

        return (process.ExitCode, await output, await error);
    }
}
