using Explainer.Core.Enrichment;
using Explainer.Core.Ranking;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Explainer.Explaining;
using Explainer.Explaining.Llm;
using Explainer.Extractive;
using Explainer.Llama;
using Explainer.Onnx;
using Explainer.OpenAI;
using Explainer.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Explainer.Hosting;

/// <summary>The one registration of Explainer's services, shared by the CLI and the HTTP API.</summary>
public static class ExplainerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the pipeline. Heavy pieces (the store, the encoder) are singletons opened on first use, so a
    /// command that does not need them never touches the disk. <paramref name="openStore"/> lets the CLI decide
    /// whether a missing store file is created (ingest) or an error (everything else).
    /// </summary>
    public static IServiceCollection AddExplainer(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, ExplainerStore>? openStore = null)
    {
        services.AddSingleton(configuration);
        services.AddOptions<StoreOptions>().Bind(configuration.GetSection(StoreOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Store:Path (or --db / EXPLAINER_DB) must name a file.");
        services.AddOptions<EncoderOptions>().Bind(configuration.GetSection(EncoderOptions.Section));
        services.AddSingleton(configuration.GetSection(RankingOptions.Section).Get<RankingOptions>() ?? new RankingOptions());

        // One LiteDatabase per process.
        services.AddSingleton(openStore ?? (sp => ExplainerStore.Open(sp.GetRequiredService<IOptions<StoreOptions>>().Value.Path, options: sp.GetRequiredService<IOptions<StoreOptions>>().Value)));
        services.TryAddSingleton<IRecommenderStore>(sp => sp.GetRequiredService<ExplainerStore>()); // a test may wrap it

        // The encoder: an OpenAI-compatible /embeddings server when Encoder:Endpoint is set, else the local ONNX model.
        var encoderEndpoint = configuration.GetSection(EncoderOptions.Section).Get<OpenAIEndpointOptions>() ?? new OpenAIEndpointOptions();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => encoderEndpoint.IsSet
            ? OpenAIEndpoint.CreateEmbeddingGenerator(encoderEndpoint, sp.GetService<ILoggerFactory>())
            : OnnxEncoder.Open(sp.GetRequiredService<IOptions<EncoderOptions>>().Value, sp.GetService<ILoggerFactory>()));
        services.AddSingleton<PhraseVectors>();

        // Keywords and descriptions: the LLM engine when an LLM is configured (Enrich:Engine auto or llm), else extractive.
        services.AddSingleton(configuration.GetSection(EnrichOptions.Section).Get<EnrichOptions>() ?? new EnrichOptions());
        services.AddSingleton(_ => Extractive.English.EnglishLexicon.Load(configuration["Extractive:LexiconPath"]));
        services.AddSingleton<ExtractiveKeywordExtractor>();
        services.AddSingleton<IQueryAnalyzer, Extractive.English.QueryAnalyzer>();
        services.AddSingleton<Core.Explaining.IAspectReader, Extractive.English.AspectReader>();
        services.AddSingleton<ExtractiveDescriber>();
        services.AddSingleton<IKeywordExtractor>(sp => UseLlm(sp) ? sp.GetRequiredService<LlmKeywordExtractor>() : sp.GetRequiredService<ExtractiveKeywordExtractor>());
        services.AddSingleton<IItemDescriber>(sp => UseLlm(sp) ? sp.GetRequiredService<LlmItemDescriber>() : sp.GetRequiredService<ExtractiveDescriber>());

        services.AddSingleton<EnrichmentService>();
        services.AddSingleton<IndexService>();
        services.AddSingleton<RecommendationService>();
        services.AddSingleton<FeedbackService>();

        // The LLM only when one is configured: a server (Llm:Endpoint) or a GGUF run in process (Llm:ModelPath);
        // explanations are extractive otherwise.
        var llmEndpoint = configuration.GetSection(LlamaOptions.Section).Get<OpenAIEndpointOptions>() ?? new OpenAIEndpointOptions();
        var llmPath = configuration[$"{LlamaOptions.Section}:ModelPath"];
        if (llmEndpoint.IsSet && !string.IsNullOrWhiteSpace(llmPath))
        {
            throw new OptionsValidationException(LlamaOptions.Section, typeof(LlamaOptions), [$"Both Llm:Endpoint ({llmEndpoint.Endpoint}) and Llm:ModelPath ({llmPath}) are set: set one (a server or an in-process model)."]);
        }

        if (llmEndpoint.IsSet)
        {
            services.TryAddSingleton<IChatClient>(sp => new UsageCountingChatClient(OpenAIEndpoint.CreateChatClient(llmEndpoint, sp.GetService<ILoggerFactory>()), sp.GetRequiredService<LlmUsage>()));
        }
        else if (!string.IsNullOrWhiteSpace(llmPath))
        {
            services.TryAddSingleton<IChatClient>(sp => new UsageCountingChatClient((configuration.GetSection(LlamaOptions.Section).Get<LlamaOptions>() ?? new LlamaOptions()).CreateChatClient(sp.GetService<ILoggerFactory>()), sp.GetRequiredService<LlmUsage>()));
        }

        // Batches of enrichment prompts: llama.cpp's batch generator for the in-process model, concurrent requests up to
        // the server's slots otherwise; every request's tokens are counted (by the chat client, or for llama.cpp's
        // batches, which bypass it, here) so a run can report them.
        services.TryAddSingleton<LlmUsage>();
        services.TryAddSingleton<IBatchChatClient>(sp =>
            sp.GetRequiredService<IChatClient>() is var client && client.GetService<LlamaModel>() is { } model
                ? new UsageCountingBatchChatClient(new LlamaBatchChatClient(model), sp.GetRequiredService<LlmUsage>())
                : new ConcurrentBatchChatClient(client, llmEndpoint.IsSet ? llmEndpoint.MaxConcurrency : 4));

        services.AddExplaining(configuration);
        return services;
    }

    private static bool UseLlm(IServiceProvider services) => services.GetRequiredService<EnrichOptions>().Engine switch
    {
        EnrichEngine.Extractive => false,
        EnrichEngine.Llm => services.GetService<IChatClient>() is not null
            ? true
            : throw new OptionsValidationException(EnrichOptions.Section, typeof(EnrichOptions), ["Enrich:Engine is 'llm' but no LLM is configured: set Llm:Endpoint to an OpenAI-compatible server or Llm:ModelPath to a GGUF file (see models/README.md)."]),
        _ => services.GetService<IChatClient>() is not null,
    };
}
