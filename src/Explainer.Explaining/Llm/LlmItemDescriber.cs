using System.Globalization;
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

/// <summary>One item's description as the model wrote it: the input, the raw answer, the kept text or why not.</summary>
/// <param name="Parsed">The answer's description when it was JSON with one (kept or not).</param>
public sealed record DescriptionAttempt(PromptVersion Version, string Facts, string Phrases, string Raw, string? Text, string? Problem, string? Parsed, int Tokens);

/// <summary>
/// Item descriptions by the LLM: the active <c>DescribeItem</c> prompt over the item's facts and its reviewers' phrases
/// (fenced as data), all items of a batch answered together, the answer constrained to <c>{"description": "..."}</c>.
/// A description is kept only when it says something (<see cref="MinContentWords"/>) and stays with its input: at least
/// <see cref="MinSupport"/> of its content words occur in the facts or phrases, and every number in it does. Otherwise the item gets the extractive description, recorded
/// as <see cref="FallbackEngine"/>, so every stored text says which engine wrote it.
/// </summary>
public sealed class LlmItemDescriber(IChatClient client, IBatchChatClient batch, PromptLibrary prompts, ILogger<LlmItemDescriber>? logger = null) : IItemDescriber
{
    public const string PromptName = "DescribeItem";
    public const string FallbackEngine = ExplanationService.FallbackEngine;
    public const double MinSupport = 0.6;

    /// <summary>A description says at least this much: "It's a guitar." is grounded (every word is the item's) but says nothing.</summary>
    public const int MinContentWords = 4;
    public const int DefaultMaxTextChars = 300;
    private const int PhrasesInPrompt = 8;

    private readonly ILogger _logger = logger ?? NullLogger<LlmItemDescriber>.Instance;

    public string ModelId { get; } = client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "llm";

    public string EngineId => EngineOf(prompts.Require(PromptName));

    public async Task<IReadOnlyList<WrittenText>> DescribeAsync(IReadOnlyList<ItemToDescribe> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var version = prompts.Require(PromptName);
        var engine = EngineOf(version);
        var attempts = await AttemptAsync(items, version, cancellationToken).ConfigureAwait(false);
        var written = new List<WrittenText>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (attempts[i].Text is { } text)
            {
                written.Add(new WrittenText(text, engine));
            }
            else
            {
                _logger.LogDebug("Item {Item}: the model's description was rejected ({Problem}); the extractive one is stored", items[i].Item.Id, attempts[i].Problem);
                written.Add(new WrittenText(ExtractiveDescriber.Describe(items[i].Item, items[i].Keywords), FallbackEngine));
            }
        }

        return written;
    }

    /// <summary>
    /// What <paramref name="version"/> of the prompt makes the model write for each item, checked (<see cref="Check"/>):
    /// the text when it is kept, else why not; with the facts and phrases it was given, for prompt-tuning runs.
    /// </summary>
    public async Task<IReadOnlyList<DescriptionAttempt>> AttemptAsync(IReadOnlyList<ItemToDescribe> items, PromptVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(version);
        if (items.Count == 0)
        {
            return [];
        }

        var schema = Schema((int)(PromptRenderer.Setting(version, "max_text_chars") ?? DefaultMaxTextChars));
        var inputs = items.Select(i => (Facts: Facts(i.Item), Phrases: Phrases(i.Keywords))).ToList();
        var conversations = new List<IEnumerable<ChatMessage>>();
        ChatOptions? options = null;
        foreach (var (facts, phrases) in inputs)
        {
            var prompt = await PromptRenderer.RenderAsync(version, new KernelArguments { ["facts"] = facts, ["phrases"] = phrases }, schema, "description", "A short factual description of the item.", cancellationToken).ConfigureAwait(false);
            options ??= prompt.Options;
            conversations.Add(prompt.Messages);
        }

        var responses = await batch.GetResponsesAsync(conversations, options, cancellationToken).ConfigureAwait(false);
        return [.. inputs.Select((input, i) =>
        {
            var raw = responses[i].Text;
            var (text, problem) = Check(raw, input.Facts + "\n" + input.Phrases);
            return new DescriptionAttempt(version, input.Facts, input.Phrases, raw, text, problem, ParsedText(raw), (int)(responses[i].Usage?.TotalTokenCount ?? 0));
        })];
    }

    /// <summary>The "description" string of a model's answer, or null when the answer is not JSON with one.</summary>
    private static string? ParsedText(string raw)
    {
        try
        {
            using var json = JsonDocument.Parse(raw);
            return json.RootElement.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String && d.GetString() is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonElement Schema(int maxTextChars = DefaultMaxTextChars) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["description"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = maxTextChars },
            },
            ["required"] = new JsonArray("description"),
        });

    /// <summary>The description when it is valid and stays with <paramref name="source"/>, else null and why.</summary>
    public static (string? Text, string? Problem) Check(string raw, string source)
    {
        string? text;
        try
        {
            using var json = JsonDocument.Parse(raw);
            text = json.RootElement.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()?.Trim() : null;
        }
        catch (JsonException e)
        {
            return (null, "not JSON: " + e.Message);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "no description");
        }

        if (Grounding.ContentWordCount(text) < MinContentWords)
        {
            return (null, $"too short to describe the item (fewer than {MinContentWords} content words)");
        }

        var (support, unsupported) = Grounding.ContentWordSupport(text, source);
        if (unsupported.FirstOrDefault(w => w.Any(char.IsDigit)) is { } number)
        {
            return (null, $"the number '{number}' is not in the item's data");
        }

        return support < MinSupport
            ? (null, $"only {support:P0} of its words come from the item's data (unsupported: {string.Join(", ", unsupported.Take(5))})")
            : (text, null);
    }

    /// <summary>Title, category path, brand, price and attributes, one per line.</summary>
    public static string Facts(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var lines = new List<string> { "Title: " + PromptRenderer.OneLine(item.Title ?? item.Id) };
        if (item.Categories.Count > 0)
        {
            lines.Add("Category: " + string.Join(" > ", item.Categories));
        }

        if (item.Brand is { Length: > 0 } brand)
        {
            lines.Add("Brand: " + brand);
        }

        if (item.Price is { } price)
        {
            lines.Add("Price: $" + price.ToString("0.00", CultureInfo.InvariantCulture));
        }

        foreach (var (name, values) in item.Attributes)
        {
            lines.Add($"{name}: {PromptRenderer.OneLine(string.Join("; ", values.Take(5)))}");
        }

        return string.Join('\n', lines);
    }

    /// <summary>The engine id of descriptions written with <paramref name="version"/> of the prompt.</summary>
    public string EngineOf(PromptVersion version) => $"llm:{ModelId}/{PromptLibrary.VersionKey(version)}";

    /// <summary>The item's top keywords, each with polarity and one review sentence that says it.</summary>
    public static string Phrases(IReadOnlyList<Keyword> keywords) =>
        string.Join('\n', (keywords ?? []).Take(PhrasesInPrompt).Select(k =>
            $"- {k.Text} ({(k.Polarity == Polarity.Liked ? "liked" : "disliked")})" + (k.Evidence.Count > 0 ? $": \"{PromptRenderer.OneLine(k.Evidence[0].Sentence)}\"" : string.Empty)));
}
