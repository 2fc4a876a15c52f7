using Explainer.Llama.Native;

namespace Explainer.Llama;

/// <summary>How the next token is chosen. Temperature 0 is greedy (deterministic).</summary>
public sealed record LlamaSampling
{
    public static LlamaSampling Greedy { get; } = new() { Temperature = 0 };

    public float Temperature { get; init; } = 0.8f;

    /// <summary>Nucleus sampling; 1 = off.</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>0 = off.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>0 = off.</summary>
    public float MinP { get; init; } = 0.05f;

    /// <summary>Seed of the random sampler; null = random.</summary>
    public uint? Seed { get; init; }

    public float FrequencyPenalty { get; init; }

    public float PresencePenalty { get; init; }

    /// <summary>A GBNF grammar (root rule "root") the output must follow, e.g. from <see cref="JsonSchemaGrammar"/>.</summary>
    public string? Grammar { get; init; }

    internal SafeLlamaSamplerHandle CreateChain(LlamaModel model)
    {
        var parameters = NativeMethods.llama_sampler_chain_default_params();
        parameters.NoPerf = 1;
        var chain = NativeMethods.llama_sampler_chain_init(parameters);
        if (chain.IsInvalid)
        {
            throw new LlamaException("llama_sampler_chain_init failed.");
        }

        try
        {
            if (FrequencyPenalty != 0 || PresencePenalty != 0)
            {
                Add(chain, NativeMethods.llama_sampler_init_penalties(model.VocabularySize, 64, 1.0f, FrequencyPenalty, PresencePenalty));
            }

            if (!string.IsNullOrEmpty(Grammar))
            {
                var grammar = NativeMethods.llama_sampler_init_grammar(model.Vocab, Grammar, "root");
                if (grammar == IntPtr.Zero)
                {
                    throw new LlamaException("The GBNF grammar does not parse (llama_sampler_init_grammar returned null).");
                }

                Add(chain, grammar);
            }

            if (Temperature <= 0)
            {
                Add(chain, NativeMethods.llama_sampler_init_greedy());
                return chain;
            }

            if (TopK > 0)
            {
                Add(chain, NativeMethods.llama_sampler_init_top_k(TopK));
            }

            if (TopP is > 0 and < 1)
            {
                Add(chain, NativeMethods.llama_sampler_init_top_p(TopP, 1));
            }

            if (MinP > 0)
            {
                Add(chain, NativeMethods.llama_sampler_init_min_p(MinP, 1));
            }

            Add(chain, NativeMethods.llama_sampler_init_temp(Temperature));
            Add(chain, NativeMethods.llama_sampler_init_dist(Seed ?? 0xFFFFFFFF));
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }

    private static void Add(SafeLlamaSamplerHandle chain, IntPtr sampler)
    {
        if (sampler == IntPtr.Zero)
        {
            throw new LlamaException("llama.cpp could not create a sampler.");
        }

        NativeMethods.llama_sampler_chain_add(chain, sampler);
    }
}
