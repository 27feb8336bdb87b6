using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Data;

/// <summary>Names every column in snake_case, so the hand-written SQL migrations read naturally on both engines.</summary>
internal static class SnakeCase
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                    property.SetColumnName(Convert(property.Name.TrimStart('_')));
            }
        }
    }

    public static string Convert(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
