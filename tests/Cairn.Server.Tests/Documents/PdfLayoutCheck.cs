using Cairn.Domain;
using Cairn.Server.Localization;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Cairn.Server.Tests.Documents;

/// <summary>Where text sits on a PDF's first page, as PdfPig reads each letter's box.</summary>
internal static class PdfLayoutCheck
{
    /// <summary>
    /// Asserts that each label is followed by its amount (as <see cref="Formats.Amount"/> prints it in
    /// <paramref name="language"/>) and that no letter of the label on the amount's line reaches the amount's first letter.
    /// </summary>
    public static void LabelsEndBeforeAmounts(byte[] pdf, IEnumerable<(string Label, Money Amount)> rows, Language language)
    {
        using var document = PdfDocument.Open(pdf);
        var letters = document.GetPage(1).Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)).ToList();
        var text = string.Concat(letters.Select(l => l.Value));
        foreach (var (label, amount) in rows)
        {
            var labelText = Squeezed(label);
            var amountText = Squeezed(Formats.Amount(amount, language));
            var at = text.IndexOf(labelText + amountText, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{language}: '{label} {Formats.Amount(amount, language)}' not found in: {text}");
            var labelLetters = letters.Skip(at).Take(labelText.Length).ToList();
            var amountLetters = letters.Skip(at + labelText.Length).Take(amountText.Length).ToList();
            var baseline = amountLetters[0].StartBaseLine.Y;
            var amountLeft = amountLetters.Min(l => l.BoundingBox.Left);
            var onItsLine = labelLetters.Where(l => Math.Abs(l.StartBaseLine.Y - baseline) < 1).ToList();
            var labelRight = onItsLine.Count == 0 ? double.NegativeInfinity : onItsLine.Max(Right);
            Assert.True(labelRight < amountLeft, $"{language}: '{label}' ends at {labelRight:F1}pt, its amount starts at {amountLeft:F1}pt");
        }
    }

    private static double Right(Letter letter) => Math.Max(letter.BoundingBox.Right, letter.EndBaseLine.X);

    private static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
