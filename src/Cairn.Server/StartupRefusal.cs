using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Cairn.Server;

/// <summary>
/// Cairn will not start as configured: the message names the setting or the state at fault and
/// what to do. The server process prints it as one line and exits with code 1 (<see cref="StartupRefusal"/>).
/// </summary>
public sealed class StartupRefusedException(string message) : InvalidOperationException(message);

/// <summary>
/// What the server process says when it cannot start: one line on standard error,
/// <c>Cairn did not start: …</c>, and exit code 1, instead of .NET's unhandled-exception stack trace
/// and an abort (exit code 134). A setting at fault (<see cref="OptionsValidationException"/>,
/// <see cref="StartupRefusedException"/>), a database that cannot be reached or read
/// (<see cref="DbException"/>), an address already in use (<see cref="IOException"/>) and a key-ring
/// certificate that cannot be read (<see cref="CryptographicException"/>) are the operator's to fix
/// and get their message alone; anything else is a fault of Cairn's and keeps its stack trace.
/// </summary>
public static class StartupRefusal
{
    /// <summary>Exit code of a server that did not start (or stopped on an unexpected fault).</summary>
    public const int ExitCode = 1;

    /// <summary>
    /// Whether this process's own entry point runs Cairn (<c>dotnet Cairn.Server.dll</c>); under the
    /// integration tests' <c>WebApplicationFactory</c> the entry point is the test host's, and start-up
    /// faults must reach the factory as exceptions.
    /// </summary>
    public static bool OwnsTheProcess => Assembly.GetEntryAssembly() == typeof(StartupRefusal).Assembly;

    /// <summary>The line to print for <paramref name="fault"/>: its message and those of its causes, and the stack trace only for a fault of Cairn's.</summary>
    public static string Describe(Exception fault)
    {
        var causes = Causes(fault).Select(e => e.Message.Trim()).Where(m => m.Length > 0).Distinct().ToList();
        var said = "Cairn did not start: " + string.Join(" — ", causes);
        return Causes(fault).Any(IsOperators) ? said : said + Environment.NewLine + fault;
    }

    private static bool IsOperators(Exception e) =>
        e is OptionsValidationException or StartupRefusedException or DbException or IOException or CryptographicException;

    private static IEnumerable<Exception> Causes(Exception fault)
    {
        for (var e = fault; e is not null; e = e.InnerException)
        {
            if (e is AggregateException { InnerExceptions.Count: > 1 } many)
            {
                foreach (var inner in many.InnerExceptions.SelectMany(Causes))
                    yield return inner;
                yield break;
            }

            if (e is not (AggregateException or TargetInvocationException))
                yield return e;
        }
    }
}
