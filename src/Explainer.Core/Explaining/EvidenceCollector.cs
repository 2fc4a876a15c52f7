using System.Globalization;
using System.Numerics.Tensors;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Core.Storage;

namespace Explainer.Core.Explaining;

/// <summary>
/// Gathers the evidence for one recommendation: for each matched keyword the user's own sentence that says it and the
/// item's closest keyword with a reviewer's sentence, plus the item's facts. Sentences that try to instruct a model,
/// and user sentences that claim a price, are left out: they are never quoted or shown to the model.
/// </summary>
public sealed class EvidenceCollector(IRecommenderStore store, PhraseVectors vectors)
{
    public const int MaxMatches = 3;
    public const int MaxItemSentences = 6;
    public const int MaxFeatures = 3;

    /// <summary>Cosine above which an item keyword counts as saying the same as a user keyword.</summary>
    public const double PairingSimilarity = 0.6;

    public async Task<ExplanationEvidence> CollectAsync(string userId, Recommendation recommendation, CancellationToken cancellationToken)
    {
        var profile = store.FindProfile(userId);
        var keywords = profile?.Keywords.ToDictionary(k => k.Text, StringComparer.OrdinalIgnoreCase) ?? [];
        return await CollectAsync(userId, null, recommendation, keywords, cancellationToken).ConfigureAwait(false);
    }

    public Task<ExplanationEvidence> CollectForQueryAsync(string query, Recommendation recommendation, CancellationToken cancellationToken) =>
        CollectAsync(null, query, recommendation, new Dictionary<string, Keyword>(StringComparer.OrdinalIgnoreCase), cancellationToken);

    private async Task<ExplanationEvidence> CollectAsync(string? userId, string? query, Recommendation recommendation, Dictionary<string, Keyword> profile, CancellationToken cancellationToken)
    {
        var item = store.FindItem(recommendation.ItemId) ?? new Item { Id = recommendation.ItemId };
        var description = store.FindDescription(item.Id);
        var itemKeywords = (description?.Keywords ?? []).Where(k => k.Polarity == Polarity.Liked).ToList();
        var matched = recommendation.MatchedKeywords
            .Where(m => m.Polarity == Polarity.Liked && m.Contribution > 0)
            .OrderByDescending(m => m.Contribution)
            .ThenBy(m => m.Keyword, StringComparer.Ordinal)
            .Take(MaxMatches * 2)
            .ToList();
        await vectors.EnsureAsync(matched.Select(m => m.Keyword).Concat(itemKeywords.Select(k => k.Text)), cancellationToken).ConfigureAwait(false);

        var pieces = new List<EvidencePiece>();
        var byText = new Dictionary<string, EvidencePiece>(StringComparer.Ordinal);
        EvidencePiece Add(EvidenceKind kind, string prefix, string text, string? keyword, string? reviewId)
        {
            if (byText.TryGetValue(prefix + "|" + text, out var existing))
            {
                return existing;
            }

            var piece = new EvidencePiece($"{prefix}{pieces.Count(p => p.Kind == kind) + 1}", kind, text, keyword, reviewId);
            pieces.Add(piece);
            byText[prefix + "|" + text] = piece;
            return piece;
        }

        var matches = new List<KeywordMatch>();
        var usedItemKeywords = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in matched)
        {
            if (matches.Count == MaxMatches)
            {
                break;
            }

            EvidencePiece? userPiece = null;
            string? userPhrase = null;
            if (query is not null)
            {
                userPhrase = Quotes.IndexOfWords(query, m.Keyword) >= 0 ? m.Keyword : query.Trim();
            }
            else if (profile.TryGetValue(m.Keyword, out var keyword))
            {
                foreach (var e in keyword.Evidence)
                {
                    if (Quotes.LooksLikeInstruction(e.Sentence) || Quotes.HasPriceClaim(e.Sentence))
                    {
                        continue;
                    }

                    var at = Quotes.IndexOfWords(e.Sentence, keyword.Text);
                    if (at >= 0)
                    {
                        userPhrase = e.Sentence.Substring(at, keyword.Text.Length);
                        userPiece = Add(EvidenceKind.UserSentence, "u", e.Sentence, keyword.Text, e.ReviewId);
                        break;
                    }
                }
            }

            if (query is null && userPiece is null)
            {
                continue; // nothing of the user's own words supports it: it cannot be explained as theirs
            }

            var (itemKeyword, itemSentence) = BestItemKeyword(m.Keyword, itemKeywords, usedItemKeywords);
            EvidencePiece? itemPiece = null;
            string? itemPhrase = null;
            if (itemKeyword is not null && itemSentence is not null)
            {
                usedItemKeywords.Add(itemKeyword.Text);
                var at = Quotes.IndexOfWords(itemSentence.Sentence, itemKeyword.Text);
                itemPhrase = itemSentence.Sentence.Substring(at, itemKeyword.Text.Length);
                itemPiece = Add(EvidenceKind.ItemSentence, "i", itemSentence.Sentence, itemKeyword.Text, itemSentence.ReviewId);
            }

            matches.Add(new KeywordMatch(m.Keyword, m.Polarity, m.Contribution, m.Similarity, userPhrase, userPiece, itemPhrase, itemPiece));
        }

        // More of what the item's reviewers say, for the model to draw on.
        foreach (var k in itemKeywords)
        {
            if (pieces.Count(p => p.Kind == EvidenceKind.ItemSentence) >= MaxItemSentences)
            {
                break;
            }

            if (Usable(k) is { } e)
            {
                Add(EvidenceKind.ItemSentence, "i", e.Sentence, k.Text, e.ReviewId);
            }
        }

        AddFacts(item, pieces);
        return new ExplanationEvidence
        {
            ItemId = item.Id,
            UserId = userId,
            Query = query,
            ItemName = ShortName(item),
            Item = item,
            Matches = matches,
            Pieces = pieces,
        };
    }

    private (Keyword? Keyword, Evidence? Sentence) BestItemKeyword(string userKeyword, List<Keyword> itemKeywords, HashSet<string> used)
    {
        var u = vectors.Get(userKeyword);
        Keyword? best = null;
        Evidence? bestSentence = null;
        var bestScore = PairingSimilarity;
        foreach (var k in itemKeywords)
        {
            if (used.Contains(k.Text) || Usable(k) is not { } e)
            {
                continue;
            }

            double score = string.Equals(k.Text, userKeyword, StringComparison.OrdinalIgnoreCase) ? 2
                : u is not null && vectors.Get(k.Text) is { } v ? TensorPrimitives.CosineSimilarity(u, v) : 0;
            if (score > bestScore)
            {
                (best, bestSentence, bestScore) = (k, e, score);
            }
        }

        return (best, bestSentence);
    }

    /// <summary>The first evidence sentence of an item keyword that holds the keyword and is fit to quote.</summary>
    private static Evidence? Usable(Keyword k) =>
        k.Evidence.FirstOrDefault(e => Quotes.IndexOfWords(e.Sentence, k.Text) >= 0 && !Quotes.LooksLikeInstruction(e.Sentence) && !Quotes.HasPriceClaim(e.Sentence));

    private static void AddFacts(Item item, List<EvidencePiece> pieces)
    {
        if (!string.IsNullOrWhiteSpace(item.Title) && !Text.UntrustedText.IsUnfit(item.Title))
        {
            pieces.Add(new EvidencePiece("f:title", EvidenceKind.ItemFact, item.Title));
        }

        if (item.LeafCategory is { Length: > 0 } leaf)
        {
            pieces.Add(new EvidencePiece("f:category", EvidenceKind.ItemFact, leaf));
        }

        if (item.Brand is { Length: > 0 } brand)
        {
            pieces.Add(new EvidencePiece("f:brand", EvidenceKind.ItemFact, brand));
        }

        if (item.Price is { } price)
        {
            pieces.Add(new EvidencePiece("f:price", EvidenceKind.ItemFact, "$" + price.ToString("0.00", CultureInfo.InvariantCulture)));
        }

        if (item.Attributes.TryGetValue("feature", out var features))
        {
            foreach (var (f, i) in features.Where(f => !Quotes.LooksLikeInstruction(f)).Take(MaxFeatures).Select((f, i) => (f, i)))
            {
                pieces.Add(new EvidencePiece($"f:feature{i + 1}", EvidenceKind.ItemFact, f.Length > 160 ? f[..160] : f));
            }
        }
    }

    private static readonly HashSet<string> DanglingWords = new(StringComparer.OrdinalIgnoreCase) { "and", "with", "for", "the", "of", "&", "-", "a", "an", "to", "in", "on", "by", "or", "features", "+" };

    /// <summary>The title up to its first separator (" - ", "(", ",", "/"), at most 7 words: "Fender 351 Picks" rather than the catalogue line.</summary>
    public static string ShortName(Item item)
    {
        // A title written to steer a model is not repeated to a shopper (nor to a model).
        var title = Text.UntrustedText.IsUnfit(item.Title) ? null : item.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            return item.LeafCategory is { Length: > 0 } leaf ? "this " + leaf.ToLowerInvariant() : "this item";
        }

        foreach (var separator in new[] { " - ", " – ", "(", ",", " / ", "|", " with " })
        {
            var at = title.IndexOf(separator, StringComparison.Ordinal);
            if (at >= 12)
            {
                title = title[..at];
            }
        }

        // Quotes in a title would read as a quotation of evidence; a cut never ends on a joining word.
        var words = title.Replace("\"", string.Empty, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(7).ToList();
        while (words.Count > 2 && DanglingWords.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        return string.Join(' ', words);
    }
}
