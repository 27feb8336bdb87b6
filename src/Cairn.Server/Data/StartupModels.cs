using Cairn.Server.Identity;

namespace Cairn.Server.Data;

/// <summary>
/// EF Core's models of <see cref="CairnDb"/> and <see cref="KeyRingDb"/>, built once at start-up on a
/// thread of their own while the database is migrated (the longest step of a cold start, about a second
/// of CPU on a slow core); the background jobs wait for them before their first pass.
/// </summary>
/// <remarks>
/// Issue 16, measured at start-up (session 14): EF Core builds a model under a lock that all contexts of the
/// same options share, so anything that needed any model meanwhile blocked its thread until the whole
/// <see cref="CairnDb"/> model was done. The framework's Data Protection start-up (which loads the key ring
/// through <see cref="KeyRingDb"/>) held the host's start, and so the listening socket, for that long; the
/// three jobs' first passes each blocked a thread-pool thread, which starved the pool on two cores. The
/// small key-ring model is built first now, on this thread rather than the pool's, and the jobs await
/// <see cref="Built"/> without holding a thread.
/// </remarks>
public sealed class StartupModels(ILogger<StartupModels> logger)
{
    private readonly TaskCompletionSource _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _started;

    /// <summary>Completes when both models are built (or building one failed: the first context that needs it meets the failure again and reports it).</summary>
    /// <remarks>Already complete when <see cref="Start"/> was never called (a host that does not migrate at start-up).</remarks>
    public Task Built => _started ? _built.Task : Task.CompletedTask;

    /// <summary>Starts building both models on a new background thread; returns at once.</summary>
    public void Start(IServiceProvider services)
    {
        _started = true;
        var thread = new Thread(() => Build(services)) { IsBackground = true, Name = "EF Core models" };
        thread.Start();
    }

    private void Build(IServiceProvider services)
    {
        try
        {
            using var scope = services.CreateScope();
            _ = scope.ServiceProvider.GetRequiredService<KeyRingDb>().Model;
            _ = scope.ServiceProvider.GetRequiredService<CairnDb>().Model;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Building EF Core's model at start-up failed");
        }
        finally
        {
            _built.TrySetResult();
        }
    }
}
