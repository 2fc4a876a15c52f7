using Explainer.Core.Recommending;

namespace Explainer.Extractive.English;

/// <summary>
/// Queries and item texts read with the extractive engine's tagger and lemmas: the main noun of a query is the head
/// of its first noun phrase ("a quiet practice amp for my bedroom" wants an amp), so a search can return what is that
/// thing and say when fewer items are.
/// </summary>
public sealed class QueryAnalyzer(EnglishLexicon lexicon) : IQueryAnalyzer
{
    private readonly Tagger _tagger = new(lexicon);

    public QueryTerms Analyze(string query)
    {
        var tokens = TextSegmenter.Tokens(query);
        var tagged = _tagger.Tag(query, tokens);
        var words = tagged.Where(t => !Lexicon.IsStop(t.Word) && !Lexicon.Filler.Contains(t.Word) && t.Word.Length > 1 && !t.Word.All(char.IsDigit)).ToList();
        var nouns = words.Where(t => t.IsNoun && !ReviewWords.NotInterests.Contains(t.Word)).ToList();

        // The head of the first run of nouns: "practice amp" -> amp.
        string? head = null;
        for (var i = 0; i < tagged.Count; i++)
        {
            if (tagged[i].IsNoun && !ReviewWords.NotInterests.Contains(tagged[i].Word) && !Lexicon.IsStop(tagged[i].Word))
            {
                var j = i;
                while (j + 1 < tagged.Count && tagged[j + 1].IsNoun && !Lexicon.IsStop(tagged[j + 1].Word))
                {
                    j++;
                }

                head = Lemmas.Word(tagged[j].Word);
                break;
            }
        }

        return new QueryTerms(head, [.. nouns.Select(t => Lemmas.Word(t.Word)).Distinct()], [.. words.Select(t => Lemmas.Word(t.Word)).Distinct()]);
    }

    public IEnumerable<string> Words(string text) =>
        TextSegmenter.Tokens(text).Select(t => t.Word).Where(w => !Lexicon.IsStop(w) && w.Length > 1).Select(Lemmas.Word);
}
