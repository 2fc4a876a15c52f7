using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Explainer.Explaining;

/// <summary>What the model returned: the raw JSON and, when it parsed, the draft.</summary>
public sealed record LlmOutput(string Raw, ExplanationDraft? Draft, string? Problem)
{
    /// <summary>Tokens read and written, as the client reported them (0 when it did not).</summary>
    public int Tokens { get; init; }
}

/// <summary>
/// Runs the <c>Explain</c> prompt through the <see cref="IChatClient"/>: the Semantic Kernel template renders the evidence
/// (its variables are HTML-encoded by the template engine, so review text cannot open or close a message), the messages
/// go to the model with a JSON schema as the response format (the llama.cpp client compiles it to a grammar), and the
/// JSON is parsed into a draft. The schema allows only the ids the evidence has.
/// </summary>
public sealed class LlmExplainer(IChatClient client)
{
    /// <summary>Longest explanation text the schema allows, unless config.json's execution settings say <c>max_text_chars</c>.</summary>
    public const int DefaultMaxTextChars = 400;

    public string ModelId { get; } = client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "llm";

    public string EngineId => "llm:" + ModelId;

    /// <summary>One draft for <paramref name="evidence"/>, parsed but not yet verified (so never shown as it streams in).</summary>
    public async Task<LlmOutput> GenerateAsync(PromptVersion version, ExplanationEvidence evidence, CancellationToken cancellationToken)
    {
        var (messages, options) = await RenderAsync(version, evidence, cancellationToken).ConfigureAwait(false);
        var raw = new StringBuilder();
        long tokens = 0;
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            tokens += update.Contents.OfType<UsageContent>().Sum(u => u.Details.TotalTokenCount ?? ((u.Details.InputTokenCount ?? 0) + (u.Details.OutputTokenCount ?? 0)));
            var piece = update.Text;
            if (string.IsNullOrEmpty(piece))
            {
                continue;
            }

            raw.Append(piece);
        }

        return Parse(raw.ToString()) with { Tokens = (int)tokens };
    }

    /// <summary>The chat messages and options the prompt version makes for this evidence.</summary>
    public static async Task<(List<ChatMessage> Messages, ChatOptions Options)> RenderAsync(PromptVersion version, ExplanationEvidence evidence, CancellationToken cancellationToken)
    {
        var arguments = new KernelArguments
        {
            ["item"] = evidence.Item.LeafCategory is { } c ? $"{evidence.Name.Definite} ({c})" : evidence.Name.Definite,
            ["interests"] = string.Join(", ", evidence.Matches.Select(m => m.Keyword)),
            ["reasons"] = string.Join('\n', evidence.Reasons.Select(Describe)),
            ["evidence"] = string.Join('\n', evidence.Pieces.Select(p => $"[{p.Id}] ({Describe(p.Kind)}) {PromptRenderer.OneLine(p.Text)}")),
            ["query"] = evidence.Query ?? string.Empty,
        };
        var maxChars = PromptRenderer.Setting(version, "max_text_chars") is { } chars ? (int)chars : DefaultMaxTextChars;
        var prompt = await PromptRenderer.RenderAsync(version, arguments, Schema(evidence, maxChars), "explanation", "Why the item is recommended, with the evidence ids used.", cancellationToken).ConfigureAwait(false);
        return (prompt.Messages, prompt.Options);
    }

    /// <summary>One line per reason of the ranking, in order, with the ids of its evidence: what the prompt asks the model to state, the first one first.</summary>
    public static string Describe(StatedReason r)
    {
        var what = r.Kind switch
        {
            ReasonKind.Collaborative => "people who reviewed the shopper's items also reviewed this one",
            ReasonKind.Content => "it is like what the shopper writes about and reviewed",
            ReasonKind.Popularity => "many people reviewed it and rated it well",
            ReasonKind.Discovery => "a less-known item",
            _ => "it matches the words of the shopper's request",
        };
        var ids = r.History.SelectMany(h => new[] { h.Piece.Id, h.Said?.Id }).Concat(r.Links.SelectMany(l => new[] { l.User.Id, l.Item.Id }))
            .Concat(r.Similar.Select(x => x.Piece.Id)).Concat(r.ItemPraise is { } p ? [p.Item.Id] : []).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return $"[{r.Id}] {what} ({r.Share:P0} of the score){(ids.Count > 0 ? "; evidence " + string.Join(", ", ids) : string.Empty)}";
    }

    /// <summary>The output schema: text (bounded), the ids used (each one of the evidence's ids) and the reasons stated, in order.</summary>
    public static JsonElement Schema(ExplanationEvidence evidence, int maxTextChars = DefaultMaxTextChars)
    {
        var ids = new JsonArray([.. evidence.Pieces.Select(p => (JsonNode)JsonValue.Create(p.Id)!)]);
        var reasons = new JsonArray([.. evidence.Reasons.Select(r => (JsonNode)JsonValue.Create(r.Id)!)]);
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["text"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = maxTextChars },
                ["evidence_ids"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = ids.Count > 0 ? new JsonObject { ["type"] = "string", ["enum"] = ids } : new JsonObject { ["type"] = "string" },
                    ["minItems"] = 1,
                    ["maxItems"] = 4,
                },
                ["reasons"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = reasons.Count > 0 ? new JsonObject { ["type"] = "string", ["enum"] = reasons } : new JsonObject { ["type"] = "string" },
                    ["minItems"] = 1,
                    ["maxItems"] = 2,
                },
            },
            ["required"] = new JsonArray("text", "evidence_ids", "reasons"),
        };
        return JsonSerializer.SerializeToElement(schema);
    }

    public static LlmOutput Parse(string raw)
    {
        try
        {
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                return new LlmOutput(raw, null, "the JSON has no \"text\" string");
            }

            var ids = root.TryGetProperty("evidence_ids", out var array) && array.ValueKind == JsonValueKind.Array
                ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                : [];
            var reasons = root.TryGetProperty("reasons", out var stated) && stated.ValueKind == JsonValueKind.Array
                ? stated.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                : [];
            return new LlmOutput(raw, new ExplanationDraft(text.GetString()!.Trim(), ids) { Reasons = reasons }, null);
        }
        catch (JsonException ex)
        {
            return new LlmOutput(raw, null, "not JSON: " + ex.Message);
        }
    }

    private static string Describe(EvidenceKind kind) => kind switch
    {
        EvidenceKind.UserSentence => "the shopper's own review",
        EvidenceKind.ItemSentence => "a review of this item",
        EvidenceKind.HistoryItem => "an item the shopper reviewed",
        _ => "item fact",
    };
}
