using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cairn.Server.Data;

/// <summary>
/// Sends EF Core's LINQ queries to PostgreSQL with its own positional placeholders (<c>$1</c>) instead
/// of named ones (<c>@id</c>). Given named parameters, Npgsql parses every command's text and writes a
/// rewritten copy of it on each execution (issue 16: for the contract read, a 7 KB string and a parse of
/// its 3,500 characters per request, a tenth of the bytes it allocated); with positional parameters it
/// sends the text as it is. EF Core keeps one text per cached query, so each text is rewritten here once
/// and the rewrite is found again by the text's instance. Only LINQ queries, whose texts are kept; a text
/// this cannot rewrite with certainty (a semicolon, a dollar quote, a placeholder with no parameter or a
/// parameter with no placeholder) goes to Npgsql unchanged, as before.
/// </summary>
internal sealed class PositionalParameters : DbCommandInterceptor
{
    public static readonly PositionalParameters Instance = new();

    private static readonly ConditionalWeakTable<string, Rewrite> Rewrites = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Apply(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Apply(command, eventData);
        return ValueTask.FromResult(result);
    }

    private static void Apply(DbCommand command, CommandEventData eventData)
    {
        var parameters = command.Parameters;
        if (eventData.CommandSource != CommandSource.LinqQuery || parameters.Count == 0)
            return;
        var text = command.CommandText;
        if (!Rewrites.TryGetValue(text, out var rewrite))
        {
            rewrite = Rewrite.Of(text, parameters);
            Rewrites.TryAdd(text, rewrite);
        }

        if (rewrite.Text is null || !rewrite.IsFor(parameters))
            return;
        command.CommandText = rewrite.Text;
        foreach (DbParameter parameter in parameters)
            parameter.ParameterName = "";
    }

    /// <summary>A command text with <c>$n</c> for the n-th parameter, for parameters of these names in this order; no text when it cannot be rewritten.</summary>
    internal sealed class Rewrite(string? text, string[] names)
    {
        public string? Text { get; } = text;

        /// <summary>Whether the command's parameters are those this text was rewritten for, in the same order.</summary>
        public bool IsFor(DbParameterCollection parameters)
        {
            if (parameters.Count != names.Length)
                return false;
            for (var i = 0; i < names.Length; i++)
            {
                var parameter = parameters[i];
                if (parameter.Direction != ParameterDirection.Input || !string.Equals(NameOf(parameter), names[i], StringComparison.Ordinal))
                    return false;
            }

            return true;
        }

        public static Rewrite Of(string sql, DbParameterCollection parameters)
        {
            var names = new string[parameters.Count];
            for (var i = 0; i < names.Length; i++)
                names[i] = NameOf(parameters[i]);
            return new Rewrite(Positional(sql, names), names);
        }

        /// <summary>
        /// The text with each <c>@name</c> outside literals, quoted identifiers and comments replaced by
        /// <c>$</c> and the parameter's position; null when a placeholder names no parameter, a parameter
        /// is never used, or the text holds what only Npgsql's own parser handles (several statements,
        /// dollar quotes, positional placeholders already).
        /// </summary>
        internal static string? Positional(string sql, string[] names)
        {
            var used = new bool[names.Length];
            var text = new StringBuilder(sql.Length);
            var at = 0;
            while (at < sql.Length)
            {
                var c = sql[at];
                var next = at + 1 < sql.Length ? sql[at + 1] : '\0';
                int end;
                switch (c)
                {
                    case '\'':
                        end = QuotedEnd(sql, at, '\'', backslashEscapes: at > 0 && sql[at - 1] is 'E' or 'e' && (at < 2 || !IsNamePart(sql[at - 2])));
                        break;
                    case '"':
                        end = QuotedEnd(sql, at, '"', backslashEscapes: false);
                        break;
                    case '-' when next == '-':
                        end = sql.IndexOf('\n', at);
                        end = end < 0 ? sql.Length : end + 1;
                        break;
                    case '/' when next == '*':
                        end = BlockCommentEnd(sql, at);
                        break;
                    case ';':
                        return null;
                    case '$' when at == 0 || !IsNamePart(sql[at - 1]):
                        return null;
                    case '@' when IsNameStart(next) && (at == 0 || (!IsNamePart(sql[at - 1]) && sql[at - 1] != '@')):
                        end = at + 1;
                        while (end < sql.Length && IsNamePart(sql[end]) && sql[end] != '$')
                            end++;
                        var index = Array.IndexOf(names, sql[(at + 1)..end]);
                        if (index < 0)
                            return null;
                        used[index] = true;
                        text.Append('$').Append(index + 1);
                        at = end;
                        continue;
                    default:
                        end = at + 1;
                        break;
                }

                if (end < 0)
                    return null;
                text.Append(sql, at, end - at);
                at = end;
            }

            return Array.IndexOf(used, false) < 0 ? text.ToString() : null;
        }

        // The index after the closing quote (a doubled quote is one character of the literal); -1 when unclosed.
        private static int QuotedEnd(string sql, int start, char quote, bool backslashEscapes)
        {
            for (var at = start + 1; at < sql.Length; at++)
            {
                if (backslashEscapes && sql[at] == '\\')
                {
                    at++;
                    continue;
                }

                if (sql[at] != quote)
                    continue;
                if (at + 1 < sql.Length && sql[at + 1] == quote)
                {
                    at++;
                    continue;
                }

                return at + 1;
            }

            return -1;
        }

        // PostgreSQL's block comments nest.
        private static int BlockCommentEnd(string sql, int start)
        {
            var depth = 0;
            for (var at = start; at + 1 < sql.Length; at++)
            {
                if (sql[at] == '/' && sql[at + 1] == '*')
                {
                    depth++;
                    at++;
                }
                else if (sql[at] == '*' && sql[at + 1] == '/')
                {
                    depth--;
                    at++;
                    if (depth == 0)
                        return at + 1;
                }
            }

            return -1;
        }

        private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

        private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
    }

    private static string NameOf(DbParameter parameter) => parameter.ParameterName.TrimStart('@', ':');
}
