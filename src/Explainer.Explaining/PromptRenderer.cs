using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Explainer.Core.Domain;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Explainer.Explaining;

/// <summary>A prompt version rendered for one input: the chat messages and the options (JSON schema, sampling) to send.</summary>
public sealed record RenderedPrompt(List<ChatMessage> Messages, ChatOptions Options);

/// <summary>
/// Renders a prompt version of <c>prompts/</c> with Semantic Kernel's template engine and turns it into what an
/// <see cref="IChatClient"/> takes. The template engine HTML-encodes every variable, so untrusted text (reviews, chat
/// lines) cannot open or close a <c>&lt;message&gt;</c>; the tags are split here and the text decoded once. config.json's
/// execution settings reach the model (max_tokens, temperature, top_p); other numeric settings are the prompt's own
/// (e.g. max_text_chars) and are read with <see cref="Setting"/>.
/// </summary>
public static partial class PromptRenderer
{
    private static readonly Kernel Kernel = new();
    private static readonly KernelPromptTemplateFactory Factory = new();

    public static async Task<RenderedPrompt> RenderAsync(
        PromptVersion version, KernelArguments arguments, JsonElement schema, string schemaName, string schemaDescription, CancellationToken cancellationToken)
    {
        var config = PromptLibrary.ConfigOf(version);
        var rendered = await Factory.Create(config).RenderAsync(Kernel, arguments, cancellationToken).ConfigureAwait(false);
        var messages = new List<ChatMessage>();
        foreach (Match m in MessageTag().Matches(rendered))
        {
            var role = m.Groups[1].Value switch
            {
                "system" => ChatRole.System,
                "assistant" => ChatRole.Assistant,
                _ => ChatRole.User,
            };
            messages.Add(new ChatMessage(role, WebUtility.HtmlDecode(m.Groups[2].Value.Trim())));
        }

        if (messages.Count == 0)
        {
            messages.Add(new ChatMessage(ChatRole.User, WebUtility.HtmlDecode(rendered.Trim())));
        }

        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, schemaName, schemaDescription),
            MaxOutputTokens = Setting(config, "max_tokens") is { } max ? (int)max : null,
            Temperature = Setting(config, "temperature") is { } t ? (float)t : null,
            TopP = Setting(config, "top_p") is { } p ? (float)p : null,
        };
        return new RenderedPrompt(messages, options);
    }

    /// <summary>A numeric execution setting of the version's config.json (its default settings), or null.</summary>
    public static double? Setting(PromptVersion version, string key) => Setting(PromptLibrary.ConfigOf(version), key);

    private static double? Setting(PromptTemplateConfig config, string key)
    {
        var settings = config.DefaultExecutionSettings?.ExtensionData;
        return settings is not null && settings.TryGetValue(key, out var value) ? value switch
        {
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
            IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
            _ => null,
        } : null;
    }

    /// <summary>Collapses runs of whitespace (newlines included) so one input stays on one line of the prompt.</summary>
    public static string OneLine(string s) => Whitespace().Replace(s, " ").Trim();

    [GeneratedRegex("<message role=\"(system|user|assistant)\">(.*?)</message>", RegexOptions.Singleline)]
    private static partial Regex MessageTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
