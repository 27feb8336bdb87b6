using System.Runtime.CompilerServices;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// The suite starts hundreds of in-process servers; each would hold inotify watches on its content
/// root and configuration files, and Linux allows 128 inotify instances per user. The servers of
/// the tests watch by polling and do not reload configuration (./test.sh sets the same).
/// </summary>
internal static class FileWatching
{
    [ModuleInitializer]
    internal static void PollInsteadOfInotify()
    {
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
    }
}
