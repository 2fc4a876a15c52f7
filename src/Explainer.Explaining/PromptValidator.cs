using System.Text.Json;
using System.Text.RegularExpressions;
using Explainer.Core.Domain;
using Microsoft.SemanticKernel;

namespace Explainer.Explaining;

/// <summary>One thing wrong with a prompt draft: which file, where (1-based line and column when known), and what.</summary>
public sealed record PromptProblem(string File, int? Line, int? Column, string Message, string Severity = PromptProblem.Error)
{
    public const string Error = "error";
    public const string Warning = "warning";
}

/// <summary>
/// Checks a prompt draft before it is saved as a version, the way its engine will use it: config.json parsed as Semantic
/// Kernel's <see cref="PromptTemplateConfig"/>, the template parsed and rendered by Semantic Kernel's template engine with
/// the engine's inputs, every <c>{{$variable}}</c> one the engine supplies, and the inputs the engine cannot do without
/// present. Errors block saving; warnings do not.
/// </summary>
public static partial class PromptValidator
{
    /// <summary>What each engine passes to its prompt (see LlmExplainer, LlmKeywordExtractor, LlmItemDescriber, LlmIntentParser).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Inputs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [PromptLibrary.ExplainName] = ["item", "interests", "reasons", "evidence", "query"],
        ["ExtractKeywords"] = ["rating", "review"],
        ["DescribeItem"] = ["facts", "phrases"],
        ["ParseRequest"] = ["line"],
    };

    /// <summary>Inputs without which the prompt cannot do its job (the model would write without the data).</summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Essential = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [PromptLibrary.ExplainName] = ["reasons", "evidence"],
        ["ExtractKeywords"] = ["review"],
        ["DescribeItem"] = ["facts"],
        ["ParseRequest"] = ["line"],
    };

    private static readonly Kernel Kernel = new();
    private static readonly KernelPromptTemplateFactory Factory = new();

    public static async Task<IReadOnlyList<PromptProblem>> ValidateAsync(string name, string template, string config, CancellationToken cancellationToken)
    {
        var problems = new List<PromptProblem>();
        if (string.IsNullOrWhiteSpace(template))
        {
            problems.Add(new PromptProblem("skprompt.txt", null, null, "The template is empty."));
            return problems;
        }

        PromptTemplateConfig? parsed = null;
        try
        {
            parsed = string.IsNullOrWhiteSpace(config) ? new PromptTemplateConfig() : PromptTemplateConfig.FromJson(config);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            var json = ex as JsonException ?? ex.InnerException as JsonException;
            problems.Add(new PromptProblem("config.json", json?.LineNumber + 1 is long l ? (int)l : null, json?.BytePositionInLine + 1 is long c ? (int)c : null, "config.json is not a valid prompt config: " + JsonMessage(json?.Message ?? ex.Message)));
        }

        if (parsed is not null && parsed.TemplateFormat is { } format && format != PromptTemplateConfig.SemanticKernelTemplateFormat)
        {
            problems.Add(new PromptProblem("config.json", null, null, $"template_format '{format}' is not supported here; use \"semantic-kernel\"."));
        }

        var syntax = SyntaxProblems(template);
        problems.AddRange(syntax);
        if (syntax.Count > 0)
        {
            return problems;
        }

        var supplied = Inputs.TryGetValue(name, out var inputs) ? inputs : [];
        var used = Variables(template);
        foreach (var (variable, line, column) in used.Where(u => !supplied.Contains(u.Name, StringComparer.Ordinal)))
        {
            problems.Add(new PromptProblem("skprompt.txt", line, column, $"{{{{${variable}}}}} is not an input of {name}: the engine supplies {Names(supplied)}, so it would render empty."));
        }

        foreach (Match call in Block().Matches(template).Where(b => FunctionCall().IsMatch(b.Value)))
        {
            var (line, column) = Position(template, call.Index);
            problems.Add(new PromptProblem("skprompt.txt", line, column, $"{Shorten(call.Value)} calls a function; {name}'s kernel has none (only {{{{$variable}}}} inputs)."));
        }

        var usedNames = used.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        var required = (Essential.TryGetValue(name, out var essential) ? essential : [])
            .Concat(parsed?.InputVariables.Where(v => v.IsRequired && supplied.Contains(v.Name, StringComparer.Ordinal)).Select(v => v.Name) ?? [])
            .Distinct(StringComparer.Ordinal);
        foreach (var missing in required.Where(r => !usedNames.Contains(r)))
        {
            problems.Add(new PromptProblem("skprompt.txt", null, null, $"Missing input variable {{{{${missing}}}}}: {name} needs it (without it the model writes without that data)."));
        }

        foreach (var declared in parsed?.InputVariables.Where(v => !supplied.Contains(v.Name, StringComparer.Ordinal)) ?? [])
        {
            problems.Add(new PromptProblem("config.json", null, null, $"input_variables declares '{declared.Name}', which {name} does not supply.", PromptProblem.Warning));
        }

        if (problems.All(p => p.Severity != PromptProblem.Error) && parsed is not null)
        {
            // Render once with the engine's inputs: catches what parses but fails at run time (a call to an unknown function).
            try
            {
                var version = new PromptVersion { Id = name, Name = name, Hash = string.Empty, Template = template, Config = config };
                var arguments = new KernelArguments();
                foreach (var input in supplied)
                {
                    arguments[input] = "sample " + input;
                }

                await Factory.Create(PromptLibrary.ConfigOf(version)).RenderAsync(Kernel, arguments, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                problems.Add(new PromptProblem("skprompt.txt", null, null, "Semantic Kernel cannot render the template: " + FirstLine(ex.Message)));
            }
        }

        return problems;
    }

    /// <summary>Semantic Kernel's parse errors, each placed on the block that causes it (the engine reports no position).</summary>
    private static List<PromptProblem> SyntaxProblems(string template)
    {
        try
        {
            Factory.Create(new PromptTemplateConfig(template));
            return [];
        }
        catch (KernelException whole)
        {
            var problems = new List<PromptProblem>();
            foreach (Match block in Block().Matches(template))
            {
                try
                {
                    Factory.Create(new PromptTemplateConfig(block.Value));
                }
                catch (KernelException ex)
                {
                    var (line, column) = Position(template, block.Index);
                    problems.Add(new PromptProblem("skprompt.txt", line, column, $"{FirstLine(ex.Message)} in {Shorten(block.Value)}"));
                }
            }

            if (problems.Count == 0)
            {
                problems.Add(new PromptProblem("skprompt.txt", null, null, FirstLine(whole.Message)));
            }

            return problems;
        }
    }

    private static List<(string Name, int Line, int Column)> Variables(string template) =>
        [.. Variable().Matches(template).Select(m => (m.Groups[1].Value, Position(template, m.Index)))
            .Select(x => (x.Item1, x.Item2.Line, x.Item2.Column))];

    private static (int Line, int Column) Position(string text, int index)
    {
        var line = 1 + text.AsSpan(0, index).Count('\n');
        var start = text.LastIndexOf('\n', Math.Max(0, index - 1));
        return (line, index - start);
    }

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "no inputs" : string.Join(", ", names.Select(n => "$" + n));

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>System.Text.Json's message without its 0-based "Path: $ | LineNumber: 0 | ..." tail (the problem carries the 1-based place).</summary>
    private static string JsonMessage(string message)
    {
        var first = FirstLine(message);
        var tail = first.IndexOf(" Path: ", StringComparison.Ordinal);
        return tail > 0 ? first[..tail] : first;
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..37] + "..." : s;

    [GeneratedRegex(@"\{\{.*?(\}\}|$)", RegexOptions.Singleline)]
    private static partial Regex Block();

    /// <summary>A code block that is not a variable or a value: <c>{{ plugin.function ... }}</c>.</summary>
    [GeneratedRegex(@"^\{\{\s*[A-Za-z_][\w.]*(\s|\}\})")]
    private static partial Regex FunctionCall();

    [GeneratedRegex(@"\{\{[^{}]*?\$([A-Za-z0-9_]+)[^{}]*?\}\}")]
    private static partial Regex Variable();
}
