using Explainer.Core.Enrichment;
using Explainer.Core.Explaining;
using Explainer.Core.Storage;

namespace Explainer.Extractive.English;

/// <summary>
/// Reads a sentence afresh into the corpus aspects it mentions and the sentiment of each, with the same phrase finder
/// and the store's aspect inventory (a phrase the inventory never saw counts as an aspect of its own key): what
/// the link-support metric checks quoted sentences with.
/// </summary>
public sealed class AspectReader(EnglishLexicon lexicon, IRecommenderStore store) : IAspectReader
{
    private readonly PhraseFinder _finder = new(lexicon);
    private readonly Lazy<IReadOnlyDictionary<string, string>> _assignments = new(() => store.FindAspectInventory()?.Assignments ?? new Dictionary<string, string>());

    public IReadOnlyList<(string Aspect, double Sentiment)> Read(string sentence) =>
        [.. _finder.Find(sentence).Select(p =>
        {
            var key = AspectKey.Of(p.Lemma);
            return (_assignments.Value.GetValueOrDefault(key) ?? key, p.Sentiment);
        })];
}
