using System.Security.Cryptography;
using System.Text;
using Explainer.Core.Domain;
using Explainer.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;

namespace Explainer.Explaining;

/// <summary>Where the prompts are.</summary>
public sealed class ExplainOptions
{
    public const string Section = "Explain";

    /// <summary>
    /// The <c>prompts/</c> folder (one Semantic Kernel prompt directory per function). Empty = <c>prompts/</c> in the
    /// current directory or above it (the repository, so an edit takes effect at once), else the copy beside the program.
    /// </summary>
    public string? PromptsPath { get; set; }

    /// <summary>Set to false to use the extractive engine even when an LLM is configured.</summary>
    public bool UseLlm { get; set; } = true;
}

/// <summary>A prompt as it is on disk: its template, its config.json and the hash of both (the version).</summary>
public sealed record PromptFile(string Name, string Template, string Config)
{
    public string Hash { get; } = PromptLibrary.HashOf(Template, Config);
}

/// <summary>
/// The prompts in <c>prompts/</c>, versioned in the store by content hash. A prompt whose file changed gets a new version,
/// which becomes the active one, and the cached explanations of that prompt's other versions are deleted (explanations
/// of other prompts, and extractive ones, stay). <c>prompts promote</c> makes any stored version active.
/// </summary>
public sealed class PromptLibrary(IRecommenderStore store, ExplainOptions options, ILogger<PromptLibrary>? logger = null)
{
    public const string ExplainName = "Explain";
    public const string PluginName = "Explainer";

    private readonly ILogger _logger = logger ?? NullLogger<PromptLibrary>.Instance;
    private readonly Lock _gate = new();
    private bool _synced;

    public string Directory { get; } = Locate(options.PromptsPath);

    /// <summary>The prompt files, checked by loading them as a Semantic Kernel plugin (a folder without skprompt.txt is not a function).</summary>
    public IReadOnlyList<PromptFile> Files()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var plugin = LoadPlugin(Directory);
        var files = new List<PromptFile>();
        foreach (var function in plugin.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var dir = Path.Combine(Directory, function.Name);
            files.Add(new PromptFile(function.Name, Normalise(File.ReadAllText(Path.Combine(dir, "skprompt.txt"))), Normalise(ReadConfig(dir))));
        }

        return files;
    }

    /// <summary>The prompt directory as a Semantic Kernel plugin (<c>CreatePluginFromPromptDirectory</c>).</summary>
    public static KernelPlugin LoadPlugin(string directory) => new Kernel().CreatePluginFromPromptDirectory(directory, PluginName);

    /// <summary>Records new versions of changed prompt files (once per process unless forced); returns the new versions.</summary>
    public IReadOnlyList<PromptVersion> Sync(bool force = false)
    {
        lock (_gate)
        {
            if (_synced && !force)
            {
                return [];
            }

            _synced = true;
            if (store.IsReadOnly)
            {
                return []; // the stored versions are what there is; Active() falls back to the files
            }

            var added = new List<PromptVersion>();
            foreach (var file in Files())
            {
                var versions = store.PromptVersions(file.Name);
                if (versions.Any(v => v.Hash == file.Hash))
                {
                    continue;
                }

                var version = new PromptVersion
                {
                    Id = $"{file.Name}|{file.Hash}",
                    Name = file.Name,
                    Hash = file.Hash,
                    Template = file.Template,
                    Config = file.Config,
                    Active = true,
                    FirstSeen = DateTimeOffset.UtcNow,
                    Origin = PromptVersion.FromFile,
                };
                var before = versions.FirstOrDefault(v => v.Active);
                store.MovePromptLabel(
                    [.. versions.Where(v => v.Active).Select(v => v with { Active = false }), version],
                    Record(file.Name, before?.Hash, version.Hash, PromptPromotion.Promote, FileAuthor, $"prompts/{file.Name} changed on disk"));
                var deleted = store.DeleteExplanations(file.Name, VersionKey(version));
                _logger.LogInformation("Prompt {Name} changed: version {Hash} is active; {Deleted} cached explanations of older versions deleted.", file.Name, file.Hash, deleted);
                added.Add(version);
            }

            return added;
        }
    }

    /// <summary>The active version of a prompt (after syncing the files), or null when there is no such prompt.</summary>
    public PromptVersion? Active(string name)
    {
        Sync();
        var versions = store.PromptVersions(name);
        if (store.IsReadOnly && Files().FirstOrDefault(f => f.Name == name) is { } file && !versions.Any(v => v.Hash == file.Hash))
        {
            // A read-only store cannot record the edited prompt: use the file as it is, unrecorded.
            return new PromptVersion { Id = $"{name}|{file.Hash}", Name = name, Hash = file.Hash, Template = file.Template, Config = file.Config, Active = true, FirstSeen = DateTimeOffset.UtcNow };
        }

        return versions.FirstOrDefault(v => v.Active) ?? (versions.Count > 0 ? versions[^1] : null);
    }

    /// <summary>The active version of a prompt an engine cannot run without; a missing prompt is a clear error.</summary>
    public PromptVersion Require(string name) =>
        Active(name) ?? throw new PromptException($"No prompt '{name}' in {Directory}: the LLM engine needs prompts/{name}/skprompt.txt.");

    /// <summary>The stored version of <paramref name="name"/> whose hash starts with <paramref name="hashPrefix"/>; throws when none or several match.</summary>
    public PromptVersion Find(string name, string hashPrefix)
    {
        Sync();
        var matches = store.PromptVersions(name).Where(v => v.Hash.StartsWith(hashPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new PromptException($"Prompt '{name}' has no version '{hashPrefix}'. See `explainer prompts show {name}`.", missing: true),
            _ => throw new PromptException($"'{hashPrefix}' matches {matches.Count} versions of '{name}': give more of the hash."),
        };
    }

    /// <summary>Makes <paramref name="version"/> the active version of its prompt and records who did it and why.</summary>
    public PromptVersion Promote(PromptVersion version, string by, string note, string action = PromptPromotion.Promote)
    {
        RequireWhoAndWhy(by, note);
        lock (_gate)
        {
            var versions = store.PromptVersions(version.Name);
            var before = versions.FirstOrDefault(v => v.Active);
            if (before?.Id == version.Id)
            {
                throw new PromptException($"{version.Name} {version.Hash[..Math.Min(8, version.Hash.Length)]} is already active.");
            }

            store.MovePromptLabel([.. versions.Select(v => v with { Active = v.Id == version.Id })], Record(version.Name, before?.Hash, version.Hash, action, by.Trim(), note.Trim()));
        }

        return version with { Active = true };
    }

    /// <summary>
    /// Stores a version written in the editor (not active: promote it to use it). Saving the text of an existing version
    /// returns that version unchanged.
    /// </summary>
    public PromptVersion Add(string name, string template, string config, string? author, string? note, string? parent)
    {
        template = Normalise(template);
        config = Normalise(config);
        var hash = HashOf(template, config);
        lock (_gate)
        {
            var versions = store.PromptVersions(name);
            if (versions.Count == 0)
            {
                throw new PromptException($"No prompt '{name}'. See `explainer prompts list`.", missing: true);
            }

            if (versions.FirstOrDefault(v => v.Hash == hash) is { } existing)
            {
                return existing;
            }

            var version = new PromptVersion
            {
                Id = $"{name}|{hash}",
                Name = name,
                Hash = hash,
                Template = template,
                Config = config,
                Active = false,
                FirstSeen = DateTimeOffset.UtcNow,
                Origin = PromptVersion.FromEditor,
                Author = string.IsNullOrWhiteSpace(author) ? null : author.Trim(),
                Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
                Parent = parent,
            };
            store.SavePromptVersions([version]);
            return version;
        }
    }

    /// <summary>A move of the active label is recorded with who and why; without either it is refused before anything is read.</summary>
    public static void RequireWhoAndWhy(string by, string note)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            throw new PromptException("Say who moves the active label (--by / by).");
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            throw new PromptException("Say why in a note (--note / note): the history shows it to whoever comes next.");
        }
    }

    /// <summary>Who a file change is recorded as in the history.</summary>
    public const string FileAuthor = "prompts/ (file)";

    private static PromptPromotion Record(string name, string? from, string to, string action, string by, string? note)
    {
        var at = DateTimeOffset.UtcNow;
        return new PromptPromotion { Id = $"{name}|{at.UtcTicks:D19}|{to}", Name = name, FromHash = from, ToHash = to, Action = action, By = by, Note = note, At = at };
    }

    /// <summary>The prompt-version part of an explanation key: <c>Explain@hash</c>.</summary>
    public static string VersionKey(PromptVersion version) => $"{version.Name}@{version.Hash}";

    /// <summary>SHA-256 of the template and its settings, first 12 hex digits.</summary>
    public static string HashOf(string template, string config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(template) + "\n\u0000\n" + Normalise(config))))[..12];

    /// <summary>The template and settings as Semantic Kernel reads them.</summary>
    public static PromptTemplateConfig ConfigOf(PromptVersion version)
    {
        var config = string.IsNullOrWhiteSpace(version.Config) ? new PromptTemplateConfig() : PromptTemplateConfig.FromJson(version.Config);
        config.Template = version.Template;
        config.Name ??= version.Name;
        return config;
    }

    private static string ReadConfig(string dir) => File.Exists(Path.Combine(dir, "config.json")) ? File.ReadAllText(Path.Combine(dir, "config.json")) : string.Empty;

    private static string Normalise(string s) => s.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The prompt folders of <paramref name="directory"/> (those with a skprompt.txt), by name.</summary>
    public static IReadOnlyList<string> FileNames(string directory) =>
        System.IO.Directory.Exists(directory)
            ? [.. System.IO.Directory.EnumerateDirectories(directory).Where(d => File.Exists(Path.Combine(d, "skprompt.txt"))).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Where the prompts are: the configured folder, else prompts/ in the current directory or above, else beside the program.</summary>
    public static string Locate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        for (var dir = new DirectoryInfo(System.IO.Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "prompts");
            if (File.Exists(Path.Combine(candidate, ExplainName, "skprompt.txt")))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "prompts");
    }
}

/// <summary>A prompt-tuning request that cannot be met (unknown prompt or version); the message is the whole story.</summary>
/// <param name="missing">What was asked for does not exist (HTTP 404), rather than the request being wrong (400).</param>
public sealed class PromptException(string message, bool missing = false) : Exception(message)
{
    public bool Missing { get; } = missing;
}
