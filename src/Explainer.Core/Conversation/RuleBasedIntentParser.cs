using System.Globalization;
using System.Text.RegularExpressions;
using Explainer.Core.Domain;

namespace Explainer.Core.Conversation;

/// <summary>
/// The parser used when no instruction LLM is configured: regular expressions for the forms the chat documents
/// ("recommend me something", "a cheap tuner for my ukulele", "more like number 2", "not the pedals", "why number 1?",
/// "I don't like number 3", "not the first one", slash commands). Anything else with words in it is a query.
/// </summary>
public sealed partial class RuleBasedIntentParser : IIntentParser
{
    /// <summary>What "cheap" means when no amount is given, in the catalogue's currency.</summary>
    public const decimal CheapPrice = 25m;

    private const string Ordinal = @"(?:(?:number|no\.?|nr\.?|item|#)\s*(?<n>\d{1,3})|(?<n>\d{1,3})(?:st|nd|rd|th)?|(?:the\s+)?(?<w>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)(?:\s+one)?|(?:number\s+)(?<w>one|two|three|four|five|six|seven|eight|nine|ten))";

    private static readonly string[] Words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    private static readonly string[] Cardinals = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    public ValueTask<ChatIntent> ParseAsync(string line, CancellationToken cancellationToken) => ValueTask.FromResult(Parse(line));

    public static ChatIntent Parse(string line)
    {
        var text = Whitespace().Replace(line.Trim().ToLowerInvariant(), " ").TrimEnd('.', '!', '?', ' ');
        if (text.Length == 0)
        {
            return new ChatIntent(IntentKind.Unknown);
        }

        if (text.StartsWith('/'))
        {
            return text switch
            {
                "/help" or "/h" or "/?" => new ChatIntent(IntentKind.Help),
                "/profile" => new ChatIntent(IntentKind.Profile),
                "/reset" => new ChatIntent(IntentKind.Reset),
                "/quit" or "/exit" or "/q" => new ChatIntent(IntentKind.Quit),
                _ => new ChatIntent(IntentKind.Unknown) { Text = text },
            };
        }

        if (text is "quit" or "exit" or "bye" or "goodbye")
        {
            return new ChatIntent(IntentKind.Quit);
        }

        if (text is "help" or "?" or "what can you do" or "what can i say")
        {
            return new ChatIntent(IntentKind.Help);
        }

        Match m;
        if ((m = Why().Match(text)).Success)
        {
            return new ChatIntent(IntentKind.Why) { Number = Number(m) };
        }

        if ((m = MoreLike().Match(text)).Success)
        {
            return new ChatIntent(IntentKind.MoreLike) { Number = Number(m) };
        }

        if ((m = NotInterested().Match(text)).Success)
        {
            return new ChatIntent(IntentKind.Feedback) { Number = Number(m), Feedback = FeedbackKind.NotInterested };
        }

        if ((m = Dislike().Match(text)).Success || (m = DislikeAfter().Match(text)).Success)
        {
            return new ChatIntent(IntentKind.Feedback) { Number = Number(m), Feedback = FeedbackKind.Dislike };
        }

        if ((m = Like().Match(text)).Success || (m = LikeAfter().Match(text)).Success)
        {
            return new ChatIntent(IntentKind.Feedback) { Number = Number(m), Feedback = FeedbackKind.Like };
        }

        if ((m = ExcludeCategory().Match(text)).Success)
        {
            return new ChatIntent(IntentKind.ExcludeCategory) { Text = m.Groups["cat"].Value.Trim() };
        }

        // Price bounds, then what is left is the query.
        decimal? max = null, min = null;
        if ((m = Between().Match(text)).Success)
        {
            (min, max) = (Amount(m.Groups["a"].Value), Amount(m.Groups["b"].Value));
            text = text.Remove(m.Index, m.Length);
        }

        if ((m = Under().Match(text)).Success)
        {
            max = Amount(m.Groups["a"].Value);
            text = text.Remove(m.Index, m.Length);
        }

        if ((m = Over().Match(text)).Success)
        {
            min = Amount(m.Groups["a"].Value);
            text = text.Remove(m.Index, m.Length);
        }

        if ((m = Cheap().Match(text)).Success)
        {
            max ??= CheapPrice;
            text = text.Remove(m.Index, m.Length);
        }

        var query = Filler().Replace(Whitespace().Replace(text, " ").Trim(), "").Trim(' ', ',', '.', '!', '?', '-');
        query = TrailingFiller().Replace(query, "").Trim(' ', ',', '.', '!', '?', '-');
        if (query.Length == 0 || Generic().IsMatch(query))
        {
            return new ChatIntent(IntentKind.Recommend) { MaxPrice = max, MinPrice = min };
        }

        return Letters().Count(query) >= 2
            ? new ChatIntent(IntentKind.Query) { Text = query, MaxPrice = max, MinPrice = min }
            : new ChatIntent(IntentKind.Unknown) { Text = query };
    }

    /// <summary>Whether the line asks for something cheap without an amount ("cheap", "budget", "affordable").</summary>
    public static bool SaysCheap(string line) => Cheap().IsMatch((line ?? throw new ArgumentNullException(nameof(line))).ToLowerInvariant());

    /// <summary>
    /// Whether <paramref name="line"/> names list position <paramref name="number"/> (-1 = the last): as digits ("2", "#2",
    /// "2nd") or as a word ("second", "two", "last"). A parser that did not read the number from the line is not trusted with it.
    /// </summary>
    public static bool MentionsNumber(string line, int number)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = WordPattern().Matches(line.ToLowerInvariant()).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        if (number == -1)
        {
            return words.Contains("last");
        }

        var digits = number.ToString(CultureInfo.InvariantCulture);
        return number >= 1 && (words.Contains(digits) || words.Any(w => w.StartsWith(digits, StringComparison.Ordinal) && w[digits.Length..] is "st" or "nd" or "rd" or "th")
            || number <= Words.Length && (words.Contains(Words[number - 1]) || words.Contains(Cardinals[number - 1])));
    }

    private static int? Number(Match m)
    {
        if (m.Groups["n"].Success)
        {
            return int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        }

        if (m.Groups["w"].Success)
        {
            var w = m.Groups["w"].Value;
            if (w == "last")
            {
                return -1; // the session resolves it against the list
            }

            var i = Array.IndexOf(Words, w);
            return i >= 0 ? i + 1 : Array.IndexOf(Cardinals, w) + 1;
        }

        return null;
    }

    private static decimal Amount(string s) => decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[a-z0-9]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[a-z]", RegexOptions.None)]
    private static partial Regex Letters();

    [GeneratedRegex(@"^(?:why|explain|how come|what about)\b(?:\s+(?:is|did you (?:pick|recommend|choose)|recommend|you recommended|recommended|me))?\s*(?:" + Ordinal + @")?")]
    private static partial Regex Why();

    [GeneratedRegex(@"^(?:(?:show|give|find)\s+(?:me\s+)?)?(?:more|others?|something|items?|stuff|things?)\s+(?:like|similar to)\s+(?:" + Ordinal + @")$|^similar to\s+(?:" + Ordinal + @")$")]
    private static partial Regex MoreLike();

    [GeneratedRegex(@"^(?:not|no|hide|skip|remove|drop)\s+(?:interested\s+in\s+)?(?:" + Ordinal + @")$|^(?:i'?m\s+)?not interested in\s+(?:" + Ordinal + @")$")]
    private static partial Regex NotInterested();

    [GeneratedRegex(@"^(?:i\s+)?(?:don'?t|do not|didn'?t|dislike|hate|can'?t stand)\s*(?:like|want|care for)?\s+(?:" + Ordinal + @")$")]
    private static partial Regex Dislike();

    [GeneratedRegex(@"^(?:" + Ordinal + @")\s+(?:is|looks|seems|sounds)\s+(?:bad|awful|terrible|boring|ugly|wrong|not for me|meh)$")]
    private static partial Regex DislikeAfter();

    [GeneratedRegex(@"^(?:i\s+)?(?:really\s+)?(?:like|love|want|dig)\s+(?:" + Ordinal + @")$")]
    private static partial Regex Like();

    [GeneratedRegex(@"^(?:" + Ordinal + @")\s+(?:is|looks|seems|sounds)\s+(?:good|great|nice|perfect|cool|interesting)$")]
    private static partial Regex LikeAfter();

    [GeneratedRegex(@"^(?:no more|not|no|without|except|exclude|skip)\s+(?:the\s+|any\s+)?(?<cat>[a-z][a-z &'-]{1,40}?)(?:,?\s+(?:please|thanks|thank you))?$")]
    private static partial Regex ExcludeCategory();

    [GeneratedRegex(@"between\s+\$?(?<a>\d+(?:\.\d+)?)\s*(?:\$|dollars?|usd)?\s+and\s+\$?(?<b>\d+(?:\.\d+)?)\s*(?:\$|dollars?|usd|bucks)?")]
    private static partial Regex Between();

    [GeneratedRegex(@"(?:under|below|less than|cheaper than|up to|at most|max(?:imum)?|no more than|<)\s*\$?(?<a>\d+(?:\.\d+)?)\s*(?:\$|dollars?|usd|bucks)?")]
    private static partial Regex Under();

    [GeneratedRegex(@"(?:over|above|more than|at least|min(?:imum)?|>)\s*\$?(?<a>\d+(?:\.\d+)?)\s*(?:\$|dollars?|usd|bucks)?")]
    private static partial Regex Over();

    [GeneratedRegex(@"\b(?:cheap(?:er)?|inexpensive|budget|affordable|low[- ]cost)\b")]
    private static partial Regex Cheap();

    [GeneratedRegex(@"^(?:(?:please|ok|okay|hi|hey|so|now|and|also|then)\s*,?\s+)*(?:(?:can|could|would) you\s+)?(?:(?:please\s+)?(?:recommend|suggest|show|find|give|get)(?:\s+me)?|i(?:'m| am)? (?:want|need|looking for|would like|'d like)|(?:i'?m\s+)?looking for|do you have|what about|how about|any)\s*")]
    private static partial Regex Filler();

    [GeneratedRegex(@"\s*,?\s*(?:please|thanks|thank you)$")]
    private static partial Regex TrailingFiller();

    [GeneratedRegex(@"^(?:a |an |some )?(?:something|anything|something else|more|else|stuff|things|another|again|recommendations?|suggestions?|(?:what )?(?:do )?you recommend|what should i (?:buy|get))$")]
    private static partial Regex Generic();
}
