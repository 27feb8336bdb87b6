using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cairn.Domain;

/// <summary>A stable SHA-256 over a document's fields, used to prove issued documents never change.</summary>
public static class DocumentHash
{
    /// <summary>Hashes the values in order; each is written invariantly and length-prefixed, so no two inputs collide by concatenation.</summary>
    public static string Of(params object?[] values)
    {
        var text = new StringBuilder();
        foreach (var value in values)
        {
            var part = value switch
            {
                null => "\u2400",
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                PartySnapshot { Details: null } p => string.Join('\u001f', p.Name, p.Address, p.TaxId, p.Email),
                PartySnapshot p => string.Join('\u001f', p.Name, p.Address, p.TaxId, p.Email, p.Details.HashText()),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append(';');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
