using Explainer.Core.Conversation;
using Explainer.Core.Enrichment;
using Explainer.Core.Explaining;
using Explainer.Core.Storage;
using Explainer.Explaining;
using Explainer.Explaining.Llm;
using Explainer.Extractive;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Explainer.Hosting;

/// <summary>The explanation services' part of the one composition root (<see cref="ExplainerServiceCollectionExtensions.AddExplainer"/>).</summary>
internal static class ExplainingRegistration
{
    /// <summary>
    /// Registers <see cref="IExplanationService"/>: the LLM writes explanations when an <see cref="IChatClient"/> is
    /// registered (and <c>Explain:UseLlm</c> is not false), the extractive engine otherwise. Also the LLM engines for
    /// keywords and descriptions (which <c>AddExplainer</c> picks by <c>Enrich:Engine</c>) and the chat's intent
    /// parser: the LLM's, checked against each line, when an <see cref="IChatClient"/> is registered, else the rules.
    /// </summary>
    internal static IServiceCollection AddExplaining(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration.GetSection(ExplainOptions.Section).Get<ExplainOptions>() ?? new ExplainOptions());
        services.TryAddSingleton(sp => new ExplanationVerifier(sp.GetRequiredService<PhraseVectors>()));
        services.TryAddSingleton<IExtractiveExplainer, ExtractiveExplainer>();
        services.TryAddSingleton(sp => new PromptLibrary(sp.GetRequiredService<IRecommenderStore>(), sp.GetRequiredService<ExplainOptions>(), sp.GetService<ILogger<PromptLibrary>>()));
        services.TryAddSingleton(sp => new ExplanationService(
            sp.GetRequiredService<IRecommenderStore>(),
            sp.GetRequiredService<ExplanationVerifier>(),
            sp.GetRequiredService<IExtractiveExplainer>(),
            sp.GetRequiredService<PromptLibrary>(),
            sp.GetRequiredService<ExplainOptions>(),
            sp.GetService<ILogger<ExplanationService>>(),
            sp.GetService<IChatClient>() is { } client ? new LlmExplainer(client) : null));
        services.TryAddSingleton(sp => new LlmKeywordExtractor(sp.GetRequiredService<IChatClient>(), sp.GetRequiredService<IBatchChatClient>(), sp.GetRequiredService<PromptLibrary>(), sp.GetService<ILogger<LlmKeywordExtractor>>()));
        services.TryAddSingleton(sp => new LlmItemDescriber(sp.GetRequiredService<IChatClient>(), sp.GetRequiredService<IBatchChatClient>(), sp.GetRequiredService<PromptLibrary>(), sp.GetService<ILogger<LlmItemDescriber>>()));
        services.TryAddSingleton<IIntentParser>(sp => sp.GetService<IChatClient>() is { } chat
            ? new LlmIntentParser(chat, sp.GetRequiredService<PromptLibrary>(), sp.GetService<ILogger<LlmIntentParser>>())
            : new RuleBasedIntentParser());
        services.TryAddSingleton<ExplanationEvaluator>();
        services.TryAddSingleton(sp => new ItemDescriptionRuns(sp.GetRequiredService<IRecommenderStore>(), sp.GetService<IChatClient>() is not null ? sp.GetRequiredService<LlmItemDescriber>() : null));
        services.TryAddSingleton<PromptSessions>();
        services.TryAddSingleton<IExplanationService>(sp => sp.GetRequiredService<ExplanationService>());
        return services;
    }
}
