namespace Cairn.Server.Tests.Infrastructure;

/// <summary>Where the tests find the repository's own files (docs, scripts, built tools).</summary>
public static class Repository
{
    /// <summary>The folder holding <c>Cairn.slnx</c>, found upwards from the test assembly.</summary>
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cairn.slnx")))
                directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("The tests run outside the repository: no Cairn.slnx above " + AppContext.BaseDirectory);
        }
    }
}
