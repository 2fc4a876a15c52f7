using Explainer.Core.Explaining;

namespace Explainer.Extractive;

/// <summary>
/// "Why recommended" without a model: one or two sentences quoting the user's own words and what the item's reviewers
/// (or its data) say about the same thing. The construction depends on which evidence there is (a paired reviewer
/// quote, only facts, a second keyword), and among several phrasings of each a deterministic choice by user and item,
/// so two items never read as one template with the name swapped. Everything in quotes is copied from the cited evidence.
/// </summary>
public sealed class ExtractiveExplainer : IExtractiveExplainer
{
    public const string Engine = "extractive";

    /// <summary>A second interest without a reviewer quote is named only when the item is this close to it.</summary>
    public const double SecondInterestSimilarity = 0.5;

    public string EngineId => Engine;

    public ExplanationDraft Write(ExplanationEvidence evidence)
    {
        var ids = new List<string>();
        var name = evidence.ItemName;
        var category = evidence.Find("f:category")?.Text;
        var what = category is null ? "it" : $"this {Lower(category)}";
        var seed = Seed(evidence.UserId ?? evidence.Query ?? string.Empty, evidence.ItemId);

        var first = evidence.Matches.FirstOrDefault(m => m.UserPhrase is not null);
        if (first is null)
        {
            // No matched keyword with the user's words: say only what the item's data holds.
            ids.Add("f:title");
            if (category is not null)
            {
                ids.Add("f:category");
            }

            var itemQuote = evidence.Pieces.FirstOrDefault(p => p.Kind == EvidenceKind.ItemSentence && p.Keyword is not null);
            if (itemQuote is not null)
            {
                ids.Add(itemQuote.Id);
                return new ExplanationDraft($"Reviewers of the {name} mention \"{itemQuote.Keyword}\", close to what you usually look for.", ids);
            }

            return new ExplanationDraft($"The {name} ({Lower(category ?? "item")}) is close to what you usually look for.", ids);
        }

        var paired = evidence.Matches.FirstOrDefault(m => m.UserPhrase is not null && m.ItemPhrase is not null);
        var lead = paired ?? first;
        var userQuote = UserQuote(lead);
        if (lead.User is not null)
        {
            ids.Add(lead.User.Id);
        }

        string text;
        if (lead.Item is not null)
        {
            ids.Add(lead.Item.Id);
            var itemQuote = ItemQuote(lead.Item);
            var becauseYou = SameWords(userQuote, lead.UserPhrase!) ? $"\"{lead.UserPhrase}\" mattered to you" : $"\"{lead.UserPhrase}\" mattered to you (\"{userQuote}\")";
            text = Pick(seed, [
                $"You wrote \"{userQuote}\", and a reviewer of the {name} says \"{itemQuote}\".",
                $"Because {becauseYou}, the {name} stands out: \"{itemQuote}\", as one owner puts it.",
                $"\"{userQuote}\", you said; people who bought the {name} write \"{itemQuote}\".",
                $"The {name} speaks to your \"{lead.UserPhrase}\": you wrote \"{userQuote}\", and its reviewers note \"{itemQuote}\".",
                $"Your words \"{userQuote}\" point to the {name}, where a reviewer found \"{itemQuote}\".",
            ]);
        }
        else
        {
            ids.Add("f:title");
            if (category is not null)
            {
                ids.Add("f:category");
            }

            text = SameWords(userQuote, lead.UserPhrase!)
                ? Pick(seed, [
                    $"You wrote \"{userQuote}\", which is why the {name} is here: {what} matches that interest.",
                    $"The {name} is picked for your interest in \"{lead.UserPhrase}\".",
                    $"Since you care about \"{lead.UserPhrase}\", we suggest the {name}{Article(what)}.",
                ])
                : Pick(seed, [
                    $"You wrote \"{userQuote}\", which is why the {name} is here: {what} matches your \"{lead.UserPhrase}\".",
                    $"The {name} is picked for your interest in \"{lead.UserPhrase}\" (\"{userQuote}\", in your words).",
                    $"Since you care about \"{lead.UserPhrase}\" (\"{userQuote}\"), we suggest the {name}.",
                    $"\"{userQuote}\", you wrote, and the {name} fits that interest in \"{lead.UserPhrase}\".",
                ]);
        }

        // A second interest adds a short second sentence naming the item again (so it is never a repeated line).
        var second = evidence.Matches.FirstOrDefault(m => !ReferenceEquals(m, lead) && m.UserPhrase is not null
            && !string.Equals(m.UserPhrase, lead.UserPhrase, StringComparison.OrdinalIgnoreCase)
            && (m.Item is not null || m.Similarity >= SecondInterestSimilarity));
        if (second is not null)
        {
            if (second.User is not null && !ids.Contains(second.User.Id))
            {
                ids.Add(second.User.Id);
            }

            if (second.Item is not null)
            {
                ids.Add(second.Item.Id);
                text += Pick(seed >> 8, [
                    $" It also answers your \"{second.UserPhrase}\": its reviewers mention \"{second.ItemPhrase}\".",
                    $" Reviewers of the {name} also bring up \"{second.ItemPhrase}\", near your \"{second.UserPhrase}\".",
                ]);
            }
            else
            {
                text += Pick(seed >> 8, [
                    $" The {name} also relates to your \"{second.UserPhrase}\".",
                    $" Your \"{second.UserPhrase}\" also led us to the {name}.",
                ]);
            }
        }

        return new ExplanationDraft(text, ids);
    }

    /// <summary>The reviewer's clause around the item keyword; the whole sentence when the clause is a bare word or two and the sentence is short.</summary>
    private static string ItemQuote(EvidencePiece piece)
    {
        var clause = Quotes.ClauseAround(piece.Text, piece.Keyword!, 10) ?? piece.Keyword!;
        var words = Quotes.Words(clause).Count();
        return words < 3 && Quotes.Words(piece.Text).Count() is > 2 and <= 16 ? Quotes.Tidy(piece.Text) : clause;
    }

    private static string UserQuote(KeywordMatch m) =>
        m.User is not null && Quotes.ClauseAround(m.User.Text, m.User.Keyword ?? m.UserPhrase!, 12) is { Length: > 0 } clause ? clause : m.UserPhrase!;

    private static bool SameWords(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>"this tuner" → ", a tuner" (the category with an indefinite article), nothing when there is no category.</summary>
    private static string Article(string what) => what.StartsWith("this ", StringComparison.Ordinal)
        ? (", " + ("aeiou".Contains(what[5], StringComparison.OrdinalIgnoreCase) ? "an " : "a ") + what[5..])
        : string.Empty;

    private static string Pick(ulong seed, string[] options) => options[(int)(seed % (ulong)options.Length)];

    /// <summary>FNV-1a of user and item: the same pair always reads the same, different items differ.</summary>
    private static ulong Seed(string user, string item)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in user + "|" + item)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash ^ (hash >> 29);
    }

    private static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}
