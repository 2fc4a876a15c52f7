using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Explainer.Core.Conversation;
using Explainer.Core.Domain;
using Explainer.Extractive;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;

namespace Explainer.Explaining.Llm;

/// <summary>
/// Understands chat lines with the LLM: the active <c>ParseRequest</c> prompt, the answer constrained to a JSON schema
/// (intent, list number, feedback kind, category or query text, price bounds). The answer is checked against the line
/// before anything acts on it: a list number, a price or a category must be in what the person typed, a query must be
/// mostly their words, and help / profile / reset / quit only count when the rules read the line the same way. An answer that fails a check, is not valid, or says "unknown" gives way to the rule-based parser,
/// so a weak model can make the chat no worse than the rules. Slash commands never reach the model.
/// </summary>
public sealed partial class LlmIntentParser(IChatClient client, PromptLibrary prompts, ILogger<LlmIntentParser>? logger = null) : IIntentParser
{
    public const string PromptName = "ParseRequest";
    public const int MaxTextChars = 80;

    private static readonly string[] Intents = ["recommend", "query", "more_like", "exclude_category", "why", "feedback", "help", "profile", "reset", "quit", "unknown"];
    private readonly ILogger _logger = logger ?? NullLogger<LlmIntentParser>.Instance;

    public string ModelId { get; } = client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "llm";

    public async ValueTask<ChatIntent> ParseAsync(string line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.TrimStart().StartsWith('/') || string.IsNullOrWhiteSpace(line))
        {
            return RuleBasedIntentParser.Parse(line);
        }

        var version = prompts.Require(PromptName);
        var prompt = await PromptRenderer.RenderAsync(version, new KernelArguments { ["line"] = PromptRenderer.OneLine(line) }, Schema, "request", "What the chat line asks for.", cancellationToken).ConfigureAwait(false);
        var response = await client.GetResponseAsync(prompt.Messages, prompt.Options, cancellationToken).ConfigureAwait(false);
        var (intent, problem) = Interpret(response.Text, line);
        if (intent is null)
        {
            _logger.LogDebug("'{Line}': the model's reading was not used ({Problem}); the rules decide", line, problem);
            return RuleBasedIntentParser.Parse(line);
        }

        _logger.LogDebug("'{Line}': read by {Model} as {Intent}", line, ModelId, intent);
        return intent;
    }

    /// <summary>The output schema: an intent from a fixed list, and the optional fields each intent uses.</summary>
    public static JsonElement Schema { get; } = JsonSerializer.SerializeToElement(new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["intent"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. Intents.Select(i => (JsonNode)JsonValue.Create(i)!)]) },
            ["text"] = new JsonObject { ["type"] = "string", ["maxLength"] = MaxTextChars },
            ["number"] = new JsonObject { ["type"] = "integer" },
            ["feedback"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("like", "dislike", "not_interested") },
            ["max_price"] = new JsonObject { ["type"] = "number" },
            ["min_price"] = new JsonObject { ["type"] = "number" },
        },
        ["required"] = new JsonArray("intent"),
    });

    /// <summary>The intent the model's JSON states, when it holds up against the line; else null and why.</summary>
    public static (ChatIntent? Intent, string? Problem) Interpret(string raw, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        JsonElement root;
        try
        {
            using var json = JsonDocument.Parse(raw);
            root = json.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, "not JSON: " + e.Message);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("intent", out var kindElement) || kindElement.GetString() is not { } kind)
        {
            return (null, "no intent");
        }

        var text = root.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()!.Trim() : null;
        int? number = root.TryGetProperty("number", out var n) && n.TryGetInt32(out var value) ? value : null;
        var maxPrice = Price(root, "max_price");
        var minPrice = Price(root, "min_price");

        // Price bounds must be amounts the line gives, or "cheap" (the rules' amount).
        foreach (var bound in new[] { maxPrice, minPrice })
        {
            if (bound is { } b && !MentionsAmount(line, b) && !(b == RuleBasedIntentParser.CheapPrice && RuleBasedIntentParser.SaysCheap(line)))
            {
                return (null, $"the price {b} is not in the line");
            }
        }

        return kind switch
        {
            "recommend" => (new ChatIntent(IntentKind.Recommend) { MaxPrice = maxPrice, MinPrice = minPrice }, null),
            "query" when string.IsNullOrWhiteSpace(text) => (null, "a query without text"),
            "query" when Grounding.ContentWordSupport(text, line).Support < 0.5 => (null, $"the query '{text}' is not the line's words"),
            "query" => (new ChatIntent(IntentKind.Query) { Text = text, MaxPrice = maxPrice, MinPrice = minPrice }, null),
            "exclude_category" when text is null || Grounding.Find(text, line) is null => (null, $"the category '{text}' is not in the line"),
            "exclude_category" => (new ChatIntent(IntentKind.ExcludeCategory) { Text = text }, null),
            "more_like" or "why" or "feedback" when number is not { } k || !RuleBasedIntentParser.MentionsNumber(line, k) => (null, $"the number {number} is not in the line"),
            "more_like" => (new ChatIntent(IntentKind.MoreLike) { Number = number }, null),
            "why" => (new ChatIntent(IntentKind.Why) { Number = number }, null),
            "feedback" => root.TryGetProperty("feedback", out var f) && Feedback(f.GetString()) is { } feedback
                ? (new ChatIntent(IntentKind.Feedback) { Number = number, Feedback = feedback }, null)
                : (null, "feedback without a kind"),
            // Leaving the chat or forgetting the session on a model's misreading would cost the person their work: these
            // few words are the rules' to recognise.
            "help" or "profile" or "reset" or "quit" => RuleBasedIntentParser.Parse(line) is { Kind: IntentKind.Help or IntentKind.Profile or IntentKind.Reset or IntentKind.Quit } rules
                ? (rules, null)
                : (null, $"'{kind}' is not what the line says"),
            _ => (null, "unknown"),
        };
    }

    private static decimal? Price(JsonElement root, string name) =>
        root.TryGetProperty(name, out var p) && p.TryGetDecimal(out var d) && d > 0 ? d : null;

    private static bool MentionsAmount(string line, decimal amount) =>
        Amounts().Matches(line).Any(m => decimal.TryParse(m.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var a) && a == amount);

    private static FeedbackKind? Feedback(string? kind) => kind switch
    {
        "like" => FeedbackKind.Like,
        "dislike" => FeedbackKind.Dislike,
        "not_interested" => FeedbackKind.NotInterested,
        _ => null,
    };

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex Amounts();
}
