using System.CommandLine;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer models</c>: the encoders and language models in <c>models/</c>.</summary>
public sealed class ModelsCommand : Command
{
    public ModelsCommand()
        : base("models", "The sentence encoders and GGUF language models in models/: list them, build the default encoder.")
    {
        Subcommands.Add(new ModelsListCommand());
        Subcommands.Add(new ModelsBuildEncoderCommand());
    }
}
