using System.Text.Json;
using System.Text.Json.Nodes;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Extractive;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;

namespace Explainer.Explaining.Llm;

/// <summary>What the LLM keyword engine kept and dropped so far (counts over all reviews it has read).</summary>
public sealed record KeywordExtractionCounts(int Reviews, int Kept, int Ungrounded, int NotKeywords, int InvalidOutputs);

/// <summary>
/// Interest keywords by the LLM: the active <c>ExtractKeywords</c> prompt, one review per conversation (the review is
/// fenced in the prompt as data), every review of a batch answered together through <see cref="IBatchChatClient"/>, the
/// answer constrained to a JSON schema. Only what is grounded is kept: a keyword must occur in the review (same words or
/// lemmas, within one sentence, which becomes its evidence) and have the shape of an interest; anything else is dropped
/// and counted. Engine id: <c>llm:&lt;model&gt;/ExtractKeywords@&lt;prompt hash&gt;</c>.
/// </summary>
public sealed class LlmKeywordExtractor(IChatClient client, IBatchChatClient batch, PromptLibrary prompts, ILogger<LlmKeywordExtractor>? logger = null) : IKeywordExtractor
{
    public const string PromptName = "ExtractKeywords";
    public const int DefaultMaxKeywords = 8;
    public const int DefaultMaxKeywordChars = 40;

    /// <summary>Reviews longer than this are cut (at a word) so the prompt fits a small context.</summary>
    public const int DefaultMaxReviewChars = 1500;

    private readonly ILogger _logger = logger ?? NullLogger<LlmKeywordExtractor>.Instance;
    private int _reviews, _kept, _ungrounded, _notKeywords, _invalid;

    public string ModelId { get; } = client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "llm";

    public string EngineId => $"llm:{ModelId}/{PromptLibrary.VersionKey(prompts.Require(PromptName))}";

    public KeywordExtractionCounts Counts => new(_reviews, _kept, _ungrounded, _notKeywords, _invalid);

    public Task PrepareAsync(IEnumerable<Review> corpus, CancellationToken cancellationToken) => Task.CompletedTask; // the model needs no corpus statistics

    public async Task<IReadOnlyList<IReadOnlyList<ReviewKeyword>>> ExtractAsync(IReadOnlyList<Review> reviews, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        var version = prompts.Require(PromptName);
        var maxReviewChars = (int)(PromptRenderer.Setting(version, "max_review_chars") ?? DefaultMaxReviewChars);
        var schema = Schema((int)(PromptRenderer.Setting(version, "max_keywords") ?? DefaultMaxKeywords), (int)(PromptRenderer.Setting(version, "max_keyword_chars") ?? DefaultMaxKeywordChars));

        // Cut once: the model reads this text, and its keywords are grounded in this same text.
        var documents = reviews.Select(r => ReviewText.Of(r) is { } text ? Cut(text, maxReviewChars) : null).ToList();
        var asked = new List<int>();
        var conversations = new List<IEnumerable<ChatMessage>>();
        ChatOptions? options = null;
        for (var i = 0; i < reviews.Count; i++)
        {
            if (documents[i] is not { } document)
            {
                continue;
            }

            var arguments = new KernelArguments
            {
                ["rating"] = reviews[i].Rating.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
                ["review"] = document,
            };
            var prompt = await PromptRenderer.RenderAsync(version, arguments, schema, "keywords", "Interest keywords copied from the review, with polarity.", cancellationToken).ConfigureAwait(false);
            options ??= prompt.Options;
            conversations.Add(prompt.Messages);
            asked.Add(i);
        }

        var result = new IReadOnlyList<ReviewKeyword>[reviews.Count];
        Array.Fill(result, []);
        if (conversations.Count == 0)
        {
            return result;
        }

        var responses = await batch.GetResponsesAsync(conversations, options, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < asked.Count; j++)
        {
            var i = asked[j];
            result[i] = Ground(responses[j].Text, documents[i]!, reviews[i]);
        }

        var counts = Counts;
        _logger.LogInformation("{Engine}: {Reviews} reviews so far, {Kept} keywords kept, {Ungrounded} ungrounded and {NotKeywords} filler dropped, {Invalid} outputs not valid JSON", EngineId, counts.Reviews, counts.Kept, counts.Ungrounded, counts.NotKeywords, counts.InvalidOutputs);
        return result;
    }

    /// <summary>The output schema: up to <paramref name="maxKeywords"/> objects of a short text and a polarity.</summary>
    public static JsonElement Schema(int maxKeywords = DefaultMaxKeywords, int maxKeywordChars = DefaultMaxKeywordChars) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["keywords"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["text"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = maxKeywordChars },
                            ["polarity"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("liked", "disliked") },
                        },
                        ["required"] = new JsonArray("text", "polarity"),
                    },
                    ["maxItems"] = maxKeywords,
                },
            },
            ["required"] = new JsonArray("keywords"),
        });

    /// <summary>The keywords of one answer that are grounded in <paramref name="document"/>; the rest is counted and dropped.</summary>
    internal IReadOnlyList<ReviewKeyword> Ground(string raw, string document, Review review)
    {
        Interlocked.Increment(ref _reviews);
        List<(string Text, string? Polarity)> proposed;
        try
        {
            using var json = JsonDocument.Parse(raw);
            proposed = [.. json.RootElement.GetProperty("keywords").EnumerateArray()
                .Where(k => k.ValueKind == JsonValueKind.Object && k.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                .Select(k => (k.GetProperty("text").GetString()!, k.TryGetProperty("polarity", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null))];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Interlocked.Increment(ref _invalid);
            _logger.LogDebug("Review {Review}: the model's answer is not the keywords JSON ({Problem})", review.Id, e.Message);
            return [];
        }

        var kept = new List<ReviewKeyword>();
        foreach (var (text, polarity) in proposed)
        {
            if (!Grounding.IsKeywordShaped(text))
            {
                Interlocked.Increment(ref _notKeywords);
                continue;
            }

            if (Grounding.Find(text, document) is not { } found)
            {
                Interlocked.Increment(ref _ungrounded);
                _logger.LogDebug("Review {Review}: dropped \"{Keyword}\", which the review does not contain", review.Id, text);
                continue;
            }

            if (kept.Any(k => k.Lemma == found.Lemma))
            {
                continue;
            }

            // The model lists the most telling phrases first; the score falls with the rank.
            var score = 1.0 / (1 + 0.25 * kept.Count);
            kept.Add(new ReviewKeyword(found.Text, found.Lemma, score, ToPolarity(polarity, review.Rating), found.Sentence));
            Interlocked.Increment(ref _kept);
        }

        return kept;
    }

    private static Polarity ToPolarity(string? said, double rating) => said switch
    {
        "liked" => Polarity.Liked,
        "disliked" => Polarity.Disliked,
        _ => rating <= 2 ? Polarity.Disliked : Polarity.Liked,
    };


    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var space = text.LastIndexOf(' ', max);
        return text[..(space > max / 2 ? space : max)];
    }
}
