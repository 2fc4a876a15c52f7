using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Extractive.English;
using Microsoft.Extensions.AI;

namespace Explainer.Extractive;

/// <summary>
/// Interests from the review text itself. Candidates are the noun phrases <see cref="PhraseFinder"/> finds with the
/// polarity their sentence gives them (opinion words and VADER sentiment per clause, so complaints are dislikes);
/// they are scored KeyBERT-style, by how close their embedding is to the whole review's and by how specific they are
/// to it against the corpus (TF-IDF), and picked with maximal marginal relevance so that one review does not yield
/// five spellings of one idea. A phrase the sentence holds no opinion about counts as a (weak, liked) interest only
/// when the writer has or uses it: "for my acoustic guitar" says what the reviewer plays.
/// </summary>
public sealed class ExtractiveKeywordExtractor(IEmbeddingGenerator<string, Embedding<float>> encoder, EnglishLexicon? lexicon = null) : IKeywordExtractor
{
    /// <summary>Bump when the algorithm changes: stored results record it and are recomputed.</summary>
    public const string Version = "extractive/6";

    private const double SimilarityWeight = 0.55;
    private const double MmrLambda = 0.65;

    /// <summary>Weight of a neutral mention in a 4- or 5-star review, against 1 for a fully positive sentence.</summary>
    public const double NeutralStrength = 0.25;

    /// <summary>Candidate phrases' vectors (phrases repeat across reviews; a review's whole text does not, so it is not kept).</summary>
    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    /// <summary>Above this many cached phrase vectors (~40 MB at 100 dimensions) the cache starts again: memory stays bounded at any corpus size.</summary>
    internal const int MaxCachedPhrases = 100_000;
    private readonly EnglishLexicon _lexicon = lexicon ?? EnglishLexicon.Default;
    private CorpusStatistics? _corpus;
    private PhraseFinder? _finder;

    public string EngineId => Version;

    public Task PrepareAsync(IEnumerable<Review> corpus, CancellationToken cancellationToken)
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
        _finder = new PhraseFinder(_lexicon, stats.IsMostlyCapitalised);
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<IReadOnlyList<ReviewKeyword>>> ExtractAsync(IReadOnlyList<Review> reviews, CancellationToken cancellationToken)
    {
        var corpus = _corpus ?? throw new InvalidOperationException("Call PrepareAsync with the corpus before extracting keywords.");
        var parsed = reviews.Select(r => Parse(r, corpus, _finder!)).ToList();

        // One encoder call for every text of the batch not embedded yet; this batch's vectors are held until it is done.
        var batch = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var texts = new List<string>();
        foreach (var text in parsed.Where(p => p is not null).SelectMany(p => p!.Candidates.Select(c => c.Text).Append(p.Document)))
        {
            if (!batch.ContainsKey(text))
            {
                if (_vectors.TryGetValue(text, out var known))
                {
                    batch[text] = known;
                }
                else if (batch.TryAdd(text, []))
                {
                    texts.Add(text);
                }
            }
        }

        if (texts.Count > 0)
        {
            var embedded = await encoder.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (_vectors.Count + texts.Count > MaxCachedPhrases)
            {
                _vectors.Clear();
            }

            var documents = parsed.Where(p => p is not null).Select(p => p!.Document).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < texts.Count; i++)
            {
                var vector = embedded[i].Vector.ToArray();
                batch[texts[i]] = vector;
                if (!documents.Contains(texts[i]))
                {
                    _vectors[texts[i]] = vector;
                }
            }
        }

        return [.. parsed.Select(p => p is null ? (IReadOnlyList<ReviewKeyword>)[] : Select(p, corpus, batch))];
    }

    /// <summary>The phrases of one sentence with their sentiment (for tests and the gold-set evaluation).</summary>
    internal IReadOnlyList<FoundPhrase> PhrasesOf(string sentence) => (_finder ?? new PhraseFinder(_lexicon)).Find(sentence);

    /// <summary>How negative a phrase must be in a 5-star review to be a dislike (sentiment -1..1).</summary>
    public const double StrongComplaint = -0.5;

    /// <summary>The same for a 4-star review.</summary>
    public const double MildComplaint = -0.3;

    private sealed record ParsedCandidate(string Text, string Lemma, int Count, string Sentence, double Sentiment);

    private sealed record ParsedReview(Review Review, string Document, List<ParsedCandidate> Candidates);

    private ParsedReview? Parse(Review review, CorpusStatistics corpus, PhraseFinder finder)
    {
        if (ReviewText.Of(review) is not { } document)
        {
            return null;
        }

        var byLemma = new Dictionary<string, ParsedCandidate>(StringComparer.Ordinal);
        foreach (var sentence in TextSegmenter.Sentences(document))
        {
            if (Core.Text.UntrustedText.IsUnfit(sentence))
            {
                continue; // written to steer a model, or a link: never an interest
            }

            foreach (var p in finder.Find(sentence))
            {
                // A word neither the lexicon nor three reviews know is most likely a typo ("ans springy").
                // Without an opinion a phrase is an interest only when the writer has or uses it ("for my acoustic guitar").
                if ((p.Sentiment == 0 && !p.Owned)
                    || p.Text.Split(' ').Any(w => !_lexicon.IsKnown(w) && corpus.DocumentFrequency(Lemmas.Word(w)) < 3))
                {
                    continue;
                }

                // A happy review's mild negatives are mostly figures of speech ("serious lead playing", "crazy effects",
                // "weird sounds" one wants): in a 4-5 star review only a clear complaint is a dislike.
                if (p.Sentiment < 0 && review.Rating >= 4 && p.Sentiment > (review.Rating >= 5 ? StrongComplaint : MildComplaint))
                {
                    continue;
                }

                // The same phrase twice in a review: counted, with the more decided sentence kept.
                byLemma[p.Lemma] = byLemma.TryGetValue(p.Lemma, out var had)
                    ? (Math.Abs(p.Sentiment) > Math.Abs(had.Sentiment) ? had with { Count = had.Count + 1, Sentence = sentence, Sentiment = p.Sentiment } : had with { Count = had.Count + 1 })
                    : new ParsedCandidate(p.Text, p.Lemma, 1, sentence, p.Sentiment);
            }
        }

        return new ParsedReview(review, document, [.. byLemma.Values]);
    }

    private static List<ReviewKeyword> Select(ParsedReview review, CorpusStatistics corpus, Dictionary<string, float[]> vectorsOf)
    {
        var candidates = review.Candidates;
        if (candidates.Count == 0)
        {
            return [];
        }

        var doc = vectorsOf[review.Document];
        var vectors = candidates.Select(c => vectorsOf[c.Text]).ToArray();
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
            var sentiment = c.Sentiment != 0 ? c.Sentiment : NeutralStrength; // neutral mentions survive only in 4-5 star reviews
            return new ReviewKeyword(c.Text, c.Lemma, Math.Round(relevance[i], 6), sentiment > 0 ? Polarity.Liked : Polarity.Disliked, c.Sentence, sentiment);
        })];
    }

    /// <summary>Cosine that is 0, not NaN, when a text has no known word (a zero vector).</summary>
    private static float Cosine(float[] a, float[] b)
    {
        var c = TensorPrimitives.CosineSimilarity(a, b);
        return float.IsNaN(c) ? 0 : c;
    }
}
