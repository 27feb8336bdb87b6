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
    public void The_server_runs_workstation_GC_without_dynamic_PGO()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cairn.Server.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }

    [Fact]
    public void On_Linux_the_native_heap_is_capped_at_two_arenas_and_trimmed()
    {
        // The servers Cairn is published for (linux-x64, glibc) and this test's machine.
        Assert.True(Cairn.Server.Hosting.KeepNativeHeapSmall(), "glibc did not accept M_ARENA_MAX, M_MMAP_THRESHOLD or M_TRIM_THRESHOLD");
    }
}
