using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Explainer.Llama;

/// <summary>Turns Microsoft.Extensions.AI messages and options into <see cref="LlamaRequest"/>s, and completions back into responses.</summary>
internal static class ChatMapping
{
    public static LlamaRequest ToRequest(LlamaModel model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var turns = new List<(string Role, string Content)>();
        if (options?.Instructions is { Length: > 0 } instructions)
        {
            turns.Add(("system", model.NeutralizeSpecialTokens(instructions)));
        }

        foreach (var message in messages)
        {
            turns.Add((message.Role.Value, model.NeutralizeSpecialTokens(message.Text)));
        }

        if (turns.Count == 0)
        {
            throw new ArgumentException("At least one message is required.", nameof(messages));
        }

        string? grammar = options?.ResponseFormat switch
        {
            ChatResponseFormatJson { Schema: { } schema } => JsonSchemaGrammar.FromSchema(schema),
            ChatResponseFormatJson => JsonSchemaGrammar.AnyJsonObject,
            _ => null,
        };

        var defaults = new LlamaSampling();
        var sampling = new LlamaSampling
        {
            Temperature = options?.Temperature ?? defaults.Temperature,
            TopP = options?.TopP ?? defaults.TopP,
            TopK = options?.TopK ?? defaults.TopK,
            Seed = options?.Seed is { } seed ? unchecked((uint)seed) : null,
            FrequencyPenalty = options?.FrequencyPenalty ?? 0,
            PresencePenalty = options?.PresencePenalty ?? 0,
            Grammar = grammar,
        };

        var template = options?.AdditionalProperties?.TryGetValue(LlamaChatOptions.ChatTemplateKey, out string? t) == true ? t : model.Options.ChatTemplate;
        return new LlamaRequest(model.FormatChat(turns, template))
        {
            Sampling = sampling,
            MaxTokens = options?.MaxOutputTokens ?? model.Options.DefaultMaxOutputTokens,
            StopSequences = options?.StopSequences is { Count: > 0 } stops ? [.. stops] : [],
        };
    }

    public static ChatFinishReason ToFinishReason(LlamaFinishReason reason) =>
        reason == LlamaFinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;

    public static UsageDetails ToUsage(LlamaCompletion completion) => new()
    {
        InputTokenCount = completion.PromptTokens,
        OutputTokenCount = completion.Tokens.Count,
        TotalTokenCount = completion.PromptTokens + completion.Tokens.Count,
    };

    public static ChatResponse ToResponse(LlamaCompletion completion, string modelId, string responseId, DateTimeOffset created) =>
        new(new ChatMessage(ChatRole.Assistant, completion.Text) { MessageId = responseId })
        {
            ResponseId = responseId,
            ModelId = modelId,
            CreatedAt = created,
            FinishReason = ToFinishReason(completion.FinishReason),
            Usage = ToUsage(completion),
            RawRepresentation = completion,
        };

    public static string NewResponseId() => $"llama-{Guid.NewGuid():N}";

    /// <summary>Used by tests and callers that validate structured output.</summary>
    public static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
