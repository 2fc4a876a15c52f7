using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Microsoft.Extensions.AI;

namespace Explainer.Extractive;

/// <summary>
/// Keywords from the review text itself, KeyBERT-style: noun-phrase-like candidates scored by how close their
/// embedding is to the whole review's and by how specific they are to it against the corpus (TF-IDF), then
/// picked with maximal marginal relevance so that one review does not yield five spellings of one idea.
/// Polarity comes from the rating and from negation right before the phrase.
/// </summary>
public sealed class ExtractiveKeywordExtractor(IEmbeddingGenerator<string, Embedding<float>> encoder) : IKeywordExtractor
{
    /// <summary>Bump when the algorithm changes: stored results record it and are recomputed.</summary>
    public const string Version = "extractive/4";

    private const double SimilarityWeight = 0.55;
    private const double MmrLambda = 0.65;
    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);
    private CorpusStatistics? _corpus;

    public string EngineId => Version;

    public Task PrepareAsync(IReadOnlyList<Review> corpus, CancellationToken cancellationToken)
    {
        var stats = new CorpusStatistics();
        foreach (var review in corpus)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ReviewText.Of(review) is { } text)
            {
                stats.Add(text);
            }
        }

        _corpus = stats;
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<IReadOnlyList<ReviewKeyword>>> ExtractAsync(IReadOnlyList<Review> reviews, CancellationToken cancellationToken)
    {
        var corpus = _corpus ?? throw new InvalidOperationException("Call PrepareAsync with the corpus before extracting keywords.");
        var parsed = reviews.Select(r => Parse(r, corpus)).ToList();

        // One encoder call for every text of the batch not embedded yet.
        var texts = parsed.Where(p => p is not null).SelectMany(p => p!.Candidates.Select(c => c.Text).Append(p.Document))
            .Where(t => !_vectors.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        if (texts.Count > 0)
        {
            var embedded = await encoder.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < texts.Count; i++)
            {
                _vectors[texts[i]] = embedded[i].Vector.ToArray();
            }
        }

        return [.. parsed.Select(p => p is null ? (IReadOnlyList<ReviewKeyword>)[] : Select(p, corpus))];
    }

    private sealed record ParsedCandidate(string Text, string Lemma, int Count, string Sentence, bool Negated, bool NegativeCue, int Words);

    private sealed record ParsedReview(Review Review, string Document, List<ParsedCandidate> Candidates);

    private static ParsedReview? Parse(Review review, CorpusStatistics corpus)
    {
        if (ReviewText.Of(review) is not { } document)
        {
            return null;
        }

        var byLemma = new Dictionary<string, ParsedCandidate>(StringComparer.Ordinal);
        var sentenceIndex = 0;
        foreach (var sentence in TextSegmenter.Sentences(document))
        {
            if (Core.Text.UntrustedText.IsUnfit(sentence))
            {
                sentenceIndex++;
                continue; // written to steer a model, or a link: never an interest
            }

            var tokens = TextSegmenter.Tokens(sentence);
            var negativeCue = tokens.Any(t => Lexicon.NegativeCues.Contains(t.Word));
            foreach (var c in Candidates.In(sentence, tokens, sentenceIndex, corpus))
            {
                var lemma = Lemmas.Of(c.Text);
                var negated = Enumerable.Range(Math.Max(0, c.FirstToken - 3), c.FirstToken - Math.Max(0, c.FirstToken - 3))
                    .Any(i => Lexicon.Negations.Contains(tokens[i].Word));
                byLemma[lemma] = byLemma.TryGetValue(lemma, out var had)
                    ? had with { Count = had.Count + 1 }
                    : new ParsedCandidate(c.Text, lemma, 1, sentence, negated, negativeCue, c.LastToken - c.FirstToken + 1);
            }

            sentenceIndex++;
        }

        return new ParsedReview(review, document, [.. byLemma.Values]);
    }

    private List<ReviewKeyword> Select(ParsedReview review, CorpusStatistics corpus)
    {
        var candidates = review.Candidates;
        if (candidates.Count == 0)
        {
            return [];
        }

        var doc = _vectors[review.Document];
        var vectors = candidates.Select(c => _vectors[c.Text]).ToArray();
        // Summed over the words, so a specific compound ("tuning stability") outranks either word alone.
        var tfidf = candidates.Select(c => (1 + Math.Log(c.Count)) * c.Lemma.Split(' ').Sum(corpus.Idf)).ToArray();
        var maxTfidf = tfidf.Max();
        var relevance = candidates.Select((c, i) =>
            (SimilarityWeight * Math.Max(0, Cosine(vectors[i], doc))) + ((1 - SimilarityWeight) * tfidf[i] / maxTfidf)).ToArray();

        var words = review.Document.Count(char.IsWhiteSpace) + 1;
        var wanted = Math.Clamp(words / 30, 2, 6);
        var chosen = new List<int>();
        while (chosen.Count < Math.Min(wanted, candidates.Count))
        {
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (var i = 0; i < candidates.Count; i++)
            {
                if (chosen.Contains(i))
                {
                    continue;
                }

                var redundancy = chosen.Count == 0 ? 0 : chosen.Max(j => Cosine(vectors[i], vectors[j]));
                var score = (MmrLambda * relevance[i]) - ((1 - MmrLambda) * redundancy);

                // Ties break on the text so that the result never depends on dictionary order.
                if (score > bestScore || (score == bestScore && best >= 0 && string.CompareOrdinal(candidates[i].Lemma, candidates[best].Lemma) < 0))
                {
                    (best, bestScore) = (i, score);
                }
            }

            if (best < 0)
            {
                break;
            }

            chosen.Add(best);
        }

        return [.. chosen.Select(i =>
        {
            var c = candidates[i];
            return new ReviewKeyword(c.Text, c.Lemma, Math.Round(relevance[i], 6), PolarityOf(review.Review.Rating, c), c.Sentence);
        })];
    }

    /// <summary>Cosine that is 0, not NaN, when a text has no known word (a zero vector).</summary>
    private static float Cosine(float[] a, float[] b)
    {
        var c = TensorPrimitives.CosineSimilarity(a, b);
        return float.IsNaN(c) ? 0 : c;
    }

    private static Polarity PolarityOf(double rating, ParsedCandidate c) => rating switch
    {
        >= 5 => c.Negated ? Polarity.Disliked : Polarity.Liked,
        >= 4 => c.Negated || c.NegativeCue ? Polarity.Disliked : Polarity.Liked, // "took one star off because ..."
        <= 2 => Polarity.Disliked,
        _ => c.Negated || c.NegativeCue ? Polarity.Disliked : Polarity.Liked,
    };
}
