using System.Diagnostics;

namespace Cairn.Server.Tests.Documents;

/// <summary>
/// Runs poppler's command-line tools (Debian package poppler-utils, installed by ./test.sh) on a
/// PDF, as an independent reader of what Cairn writes.
/// </summary>
internal static class Poppler
{
    /// <summary>Writes the PDF to a temporary file, runs <paramref name="tool"/> with the arguments and the file, and returns its standard output.</summary>
    public static string Run(string tool, byte[] pdf, params string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-pdf-");
        try
        {
            var path = Path.Combine(directory.FullName, "document.pdf");
            File.WriteAllBytes(path, pdf);
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory.FullName };
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument.Replace("{dir}", directory.FullName, StringComparison.Ordinal));
            start.ArgumentList.Add(path);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {errors.Result}");
            return output.Result;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The file embedded in the PDF under <paramref name="name"/>, as <c>pdfdetach -savefile</c> extracts it (UTF-8 text).</summary>
    public static byte[] Attachment(byte[] pdf, string name) =>
        System.Text.Encoding.UTF8.GetBytes(Run("pdfdetach", pdf, "-savefile", name, "-o", "/dev/stdout"));

    /// <summary>The fonts <c>pdffonts</c> lists: name, and whether the font program is embedded.</summary>
    public static List<(string Name, bool Embedded)> Fonts(byte[] pdf) =>
        [.. Run("pdffonts", pdf).Split('\n').Skip(2).Where(l => l.Length > 0).Select(line =>
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // name … type … encoding emb sub uni object ID: "emb" is the fifth column from the end.
            return (columns[0], columns[^5] == "yes");
        })];
}
