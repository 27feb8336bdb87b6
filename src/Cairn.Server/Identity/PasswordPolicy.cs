using Cairn.Domain;
using Zxcvbn.Matcher;

namespace Cairn.Server.Identity;

/// <summary>
/// What a new password must be (OWASP ASVS 5.0 V6.2): 10 to 200 characters, any characters;
/// not one of the common passwords of zxcvbn's list (about 30,000 passwords most often found in
/// breaches, V6.2.4); not built from the person's own email or name (V6.2.11); and estimated by
/// zxcvbn at strength 3 of 4 or more. A refusal says why, naming the field.
/// </summary>
public static class PasswordPolicy
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinLength = 10;

    /// <summary>The longest password accepted (long passphrases are welcome, V6.2.9).</summary>
    public const int MaxLength = 200;

    /// <summary>The lowest zxcvbn score (0 to 4) accepted.</summary>
    public const int MinScore = 3;

    /// <summary>Refuses a new password that breaks the policy, with a <c>weak_password</c> error on <paramref name="field"/>.</summary>
    /// <param name="password">The password chosen.</param>
    /// <param name="personal">Words the person is known by (email, name), which the password must not be built from.</param>
    /// <param name="field">The form or JSON field the password came in.</param>
    public static void Check(string? password, IEnumerable<string?> personal, string field = "password")
    {
        if (Reason(password, personal) is { } reason)
            throw new DomainException(new DomainError("weak_password", reason, field));
    }

    /// <summary>Why a password is refused, or null when it is accepted.</summary>
    public static string? Reason(string? password, IEnumerable<string?> personal)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength || password.Length > MaxLength)
            return $"A password has {MinLength} to {MaxLength} characters.";

        var inputs = personal.Where(p => !string.IsNullOrWhiteSpace(p)).SelectMany(p => p!.Split('@', '.', ' ', '-', '_', '+')).Where(p => p.Length >= 3).ToList();
        var result = Zxcvbn.Zxcvbn.MatchPassword(password, inputs);
        var matches = result.MatchSequence.ToList();
        if (matches is [DictionaryMatch { DictionaryName: "passwords" } common] && common.Token.Length == password.Length)
            return $"This is one of the most common passwords (number {common.Rank} in lists of leaked passwords): choose another.";
        if (result.Score >= MinScore)
            return null;

        var weakest = matches.Where(m => m.Pattern != "bruteforce").OrderByDescending(m => m.Token.Length).FirstOrDefault();
        var why = weakest switch
        {
            DictionaryMatch { DictionaryName: "user_inputs" } => "it is built from your own email or name",
            DictionaryMatch { DictionaryName: "passwords" } => $"it is built on a common password (\"{weakest.Token}\")",
            DictionaryMatch => $"common words and names like \"{weakest.Token}\" are guessed first",
            { Pattern: "repeat" } => $"repeated characters like \"{weakest.Token}\" are easy to guess",
            { Pattern: "sequence" } => $"sequences like \"{weakest.Token}\" are easy to guess",
            { Pattern: "spatial" } => $"keyboard patterns like \"{weakest.Token}\" are easy to guess",
            { Pattern: "date" or "year" or "digits" } => $"dates and numbers like \"{weakest.Token}\" are easy to guess",
            _ => "it is short and simple",
        };
        return $"This password is too easy to guess: {why}. Use a longer phrase of several unrelated words.";
    }
}
