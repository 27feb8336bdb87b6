using System.Diagnostics;
using System.Xml.Linq;

namespace Cairn.Server.Tests.EInvoicing;

/// <summary>
/// The official EN 16931 validation artefacts in ../shared/einvoice (CEN/TC 434, release 1.3.16) as
/// the oracle, run in one batch: the UBL 2.1 XSD through xmllint, then the compiled schematron over a
/// whole folder in one JVM (as its README advises), each SVRL report read back here.
/// </summary>
public static class Validator
{
    private static readonly XNamespace Svrl = "http://purl.oclc.org/dsdl/svrl";

    /// <summary>The folder holding validate.sh and the artefacts.</summary>
    public static string Artefacts
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "einvoice");
                if (File.Exists(Path.Combine(candidate, "validate.sh")))
                    return Path.GetFullPath(candidate);
            }

            throw new InvalidOperationException("../shared/einvoice (the EN 16931 validation artefacts) was not found above the test folder.");
        }
    }

    /// <summary>Validates UBL documents; returns each one's findings: fatal ones as <c>[fatal] RULE text</c>, warnings as <c>[warning] RULE text</c>.</summary>
    public static IReadOnlyDictionary<string, List<string>> Ubl(IReadOnlyDictionary<string, byte[]> documents) => Validate(documents);

    /// <summary>
    /// Validates e-invoices of any kind Cairn writes (UBL Invoice, UBL CreditNote, CII CrossIndustryInvoice), each
    /// kind with its XSD and its schematron in one run; returns each document's findings as <see cref="Ubl"/> does.
    /// </summary>
    public static IReadOnlyDictionary<string, List<string>> Validate(IReadOnlyDictionary<string, byte[]> documents)
    {
        var findings = documents.Keys.ToDictionary(k => k, _ => new List<string>());
        var kinds = new (string Root, string Xsd, string Xslt)[]
        {
            ("Invoice", Path.Combine("ubl21", "xsd", "maindoc", "UBL-Invoice-2.1.xsd"), Path.Combine("en16931", "ubl", "xslt", "EN16931-UBL-validation.xslt")),
            ("CreditNote", Path.Combine("ubl21", "xsd", "maindoc", "UBL-CreditNote-2.1.xsd"), Path.Combine("en16931", "ubl", "xslt", "EN16931-UBL-validation.xslt")),
            ("CrossIndustryInvoice", Path.Combine("en16931", "cii", "schema", "uncefact", "data", "standard", "CrossIndustryInvoice_100pD16B.xsd"), Path.Combine("en16931", "cii", "xslt", "EN16931-CII-validation.xslt")),
        };
        var roots = documents.ToDictionary(d => d.Key, d => XDocument.Parse(System.Text.Encoding.UTF8.GetString(d.Value)).Root!.Name.LocalName);
        Assert.All(roots, r => Assert.Contains(r.Value, kinds.Select(k => k.Root)));
        foreach (var group in kinds.GroupBy(k => k.Xslt))
        {
            var names = roots.Where(r => group.Any(k => k.Root == r.Value)).Select(r => r.Key).ToList();
            if (names.Count > 0)
                ValidateBatch(documents, names, roots, group.ToList(), group.Key, findings);
        }

        return findings;
    }

    private static void ValidateBatch(IReadOnlyDictionary<string, byte[]> documents, List<string> names, Dictionary<string, string> roots, List<(string Root, string Xsd, string Xslt)> kinds, string xslt, Dictionary<string, List<string>> findings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cairn-einvoice-" + Guid.NewGuid().ToString("N"));
        var input = Directory.CreateDirectory(Path.Combine(folder, "in")).FullName;
        var output = Directory.CreateDirectory(Path.Combine(folder, "out")).FullName;
        try
        {
            foreach (var name in names)
                File.WriteAllBytes(Path.Combine(input, name + ".xml"), documents[name]);

            foreach (var (root, xsd, _) in kinds)
            {
                var files = names.Where(n => roots[n] == root).ToList();
                if (files.Count == 0)
                    continue;
                var (code, _, errors) = Run("xmllint", ["--noout", "--nonet", "--schema", Path.Combine(Artefacts, xsd), .. files.Select(f => Path.Combine(input, f + ".xml"))]);
                if (code != 0)
                {
                    foreach (var line in errors.Split('\n').Where(l => l.Length > 0 && !l.EndsWith(" validates", StringComparison.Ordinal) && !l.EndsWith(" fails to validate", StringComparison.Ordinal)))
                        findings[files.FirstOrDefault(f => line.Contains(f + ".xml", StringComparison.Ordinal)) ?? files[0]].Add("[fatal] XSD " + line);
                }
            }

            var saxon = Environment.GetEnvironmentVariable("SAXON_JAR") ?? "/usr/share/java/Saxon-HE.jar";
            var (rc, stdout, stderr) = Run("java", ["-jar", saxon, "-s:" + input, "-xsl:" + Path.Combine(Artefacts, xslt), "-o:" + output]);
            Assert.True(rc == 0, $"the schematron transform failed: {stdout}{stderr}");
            foreach (var name in names)
            {
                var report = XDocument.Load(Path.Combine(output, name + ".xml"));
                Assert.Equal("schematron-output", report.Root!.Name.LocalName);
                foreach (var failed in report.Descendants(Svrl + "failed-assert").Concat(report.Descendants(Svrl + "successful-report")))
                    findings[name].Add($"[{(string?)failed.Attribute("flag") ?? "fatal"}] {(string?)failed.Attribute("id")} {failed.Element(Svrl + "text")?.Value.Trim()}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int Code, string Out, string Err) Run(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
