using System.Text.Json;

namespace Cairn.Server.Tests.Hosting;

/// <summary>
/// The memory settings of issue 16 travel with the server: `dotnet Cairn.Server.dll` finds them in
/// Cairn.Server.runtimeconfig.json (written from the project file, the same in a build and a publish),
/// not in environment variables an operator would have to remember.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_server_runs_workstation_GC_and_keeps_dynamic_PGO()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cairn.Server.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        // Dynamic PGO saved ~17 MB but cost a quarter more CPU per contract read (docs/memory.md): it stays on.
        Assert.False(properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo) && !pgo.GetBoolean());
    }

    [Fact]
    public void On_Linux_the_native_heap_is_capped_at_two_arenas_and_trimmed()
    {
        // The servers Cairn is published for (linux-x64, glibc) and this test's machine.
        Assert.True(Cairn.Server.Hosting.KeepNativeHeapSmall(), "glibc did not accept M_ARENA_MAX, M_MMAP_THRESHOLD or M_TRIM_THRESHOLD");
    }
}
