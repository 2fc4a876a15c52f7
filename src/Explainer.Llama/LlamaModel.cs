using System.Runtime.InteropServices;
using System.Text;
using Explainer.Llama.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Explainer.Llama;

/// <summary>A GGUF model loaded into llama.cpp. Thread-safe for tokenization; generation goes through contexts.</summary>
public sealed unsafe class LlamaModel : IDisposable
{
    private readonly SafeLlamaModelHandle _handle;

    private readonly Lazy<string[]> _specialTexts;

    private LlamaModel(SafeLlamaModelHandle handle, string path, GgufHeader header, LlamaRuntime runtime, LlamaOptions options, ILoggerFactory loggerFactory)
    {
        _handle = handle;
        _specialTexts = new Lazy<string[]>(FindSpecialTexts);
        Path = path;
        Header = header;
        Runtime = runtime;
        Options = options;
        LoggerFactory = loggerFactory;
        Vocab = NativeMethods.llama_model_get_vocab(handle);
        VocabularySize = NativeMethods.llama_vocab_n_tokens(Vocab);
        TrainingContextLength = NativeMethods.llama_model_n_ctx_train(handle);
        ParameterCount = (long)NativeMethods.llama_model_n_params(handle);
        SizeBytes = (long)NativeMethods.llama_model_size(handle);
        AddBos = NativeMethods.llama_vocab_get_add_bos(Vocab);
        var template = NativeMethods.llama_model_chat_template(handle, null);
        ChatTemplate = template == null ? null : Marshal.PtrToStringUTF8((IntPtr)template);
        var buffer = stackalloc byte[256];
        var n = NativeMethods.llama_model_desc(handle, buffer, 256);
        Description = n > 0 ? Encoding.UTF8.GetString(buffer, Math.Min(n, 255)) : header.Architecture ?? "?";
    }

    public string Path { get; }

    public GgufHeader Header { get; }

    public LlamaRuntime Runtime { get; }

    /// <summary>The options the model was loaded with (a copy).</summary>
    public LlamaOptions Options { get; }

    public string Architecture => Header.Architecture ?? "?";

    /// <summary>llama.cpp's description, e.g. "llama ?B all F32".</summary>
    public string Description { get; }

    public long ParameterCount { get; }

    public long SizeBytes { get; }

    public int TrainingContextLength { get; }

    public int VocabularySize { get; }

    /// <summary>The chat template in the GGUF metadata, or null (then ChatML is used).</summary>
    public string? ChatTemplate { get; }

    internal ILoggerFactory LoggerFactory { get; }

    internal SafeLlamaModelHandle Handle => _handle;

    internal IntPtr Vocab { get; }

    internal bool AddBos { get; }

    /// <summary>The context length per sequence that contexts on this model get.</summary>
    public int ContextLength => Options.ContextLength > 0 ? Options.ContextLength : Math.Clamp(TrainingContextLength, 256, 4096);

    /// <summary>Threads used for decoding.</summary>
    public int Threads => Options.Threads > 0 ? Options.Threads : LlamaRuntime.DefaultThreadCount();

    /// <summary>Loads <see cref="LlamaOptions.ModelPath"/>; throws <see cref="LlamaException"/> with the path and reason on any problem.</summary>
    public static LlamaModel Load(LlamaOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            throw new LlamaException($"No model is configured: set {LlamaOptions.Section}:ModelPath (or EXPLAINER_{LlamaOptions.Section}__ModelPath) to a .gguf file. See models/README.md.");
        }

        if (options.ParallelSequences < 1 || options.BatchSize < 1 || options.ContextLength < 0 || options.Threads < 0)
        {
            throw new LlamaException($"{LlamaOptions.Section}: ParallelSequences and BatchSize must be at least 1, ContextLength and Threads at least 0.");
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var path = System.IO.Path.GetFullPath(options.ModelPath);
        var header = GgufHeader.Read(path);
        var runtime = LlamaRuntime.Initialize(options, loggerFactory);

        var parameters = NativeMethods.llama_model_default_params();
        parameters.NGpuLayers = runtime.Backend == LlamaBackendKind.Cuda ? options.GpuLayers : 0;
        NativeLog.ResetErrors();
        var handle = NativeMethods.llama_model_load_from_file(path, parameters);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            var errors = NativeLog.Errors();
            var reason = errors.FirstOrDefault(e => e.Contains("unknown model architecture", StringComparison.OrdinalIgnoreCase)) is not null
                ? $"its architecture '{header.Architecture}' is not supported by llama.cpp {runtime.Version}"
                : errors.Count > 0 ? string.Join(" / ", errors.TakeLast(3)) : "llama.cpp gave no reason";
            throw new LlamaException($"Could not load the model '{path}': {reason}.");
        }

        var model = new LlamaModel(handle, path, header, runtime, options.Clone(), loggerFactory);
        loggerFactory.CreateLogger<LlamaModel>().LogInformation(
            "Loaded {Path}: {Architecture}, {Parameters:N0} parameters, context {Context}, on {Backend}",
            path, model.Architecture, model.ParameterCount, model.ContextLength, runtime.Description);
        return model;
    }

    /// <summary>Text to token ids. <paramref name="addSpecial"/> adds BOS when the model wants it; <paramref name="parseSpecial"/> turns "&lt;|im_start|&gt;" etc. into control tokens.</summary>
    public int[] Tokenize(string text, bool addSpecial = true, bool parseSpecial = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var bytes = Encoding.UTF8.GetBytes(text);
        var capacity = bytes.Length + 8;
        while (true)
        {
            var tokens = new int[capacity];
            int n;
            fixed (byte* b = bytes)
            fixed (int* t = tokens)
            {
                n = NativeMethods.llama_tokenize(Vocab, b, bytes.Length, t, capacity, addSpecial, parseSpecial);
            }

            if (n == int.MinValue)
            {
                throw new LlamaException("The text is too long to tokenize.");
            }

            if (n >= 0)
            {
                return tokens.AsSpan(0, n).ToArray();
            }

            capacity = -n;
        }
    }

    /// <summary>The bytes of one token (may be part of a UTF-8 character). Control tokens render as nothing.</summary>
    public byte[] TokenToBytes(int token)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        Span<byte> buffer = stackalloc byte[128];
        fixed (byte* b = buffer)
        {
            var n = NativeMethods.llama_token_to_piece(Vocab, token, b, buffer.Length, 0, false);
            if (n >= 0)
            {
                return buffer[..n].ToArray();
            }

            var big = new byte[-n];
            fixed (byte* bb = big)
            {
                n = NativeMethods.llama_token_to_piece(Vocab, token, bb, big.Length, 0, false);
            }

            return big.AsSpan(0, Math.Max(0, n)).ToArray();
        }
    }

    /// <summary>Token ids back to text (bytes joined first, so split UTF-8 characters come out whole).</summary>
    public string Detokenize(IEnumerable<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            bytes.AddRange(TokenToBytes(token));
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>
    /// Makes untrusted text (reviews, user input) unable to inject the model's special tokens: the formatted prompt is
    /// tokenized with special-token parsing (so the template's markers work), which would also turn a literal
    /// "&lt;|im_end|&gt;" inside a review into a real end-of-turn. A zero-width space after the first character breaks such text.
    /// </summary>
    public string NeutralizeSpecialTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var special in _specialTexts.Value)
        {
            if (text.Contains(special, StringComparison.Ordinal))
            {
                text = text.Replace(special, special[0] + "​" + special[1..], StringComparison.Ordinal);
            }
        }

        return text;
    }

    private string[] FindSpecialTexts()
    {
        const int Control = 1 << 3, UserDefined = 1 << 4;
        var texts = new HashSet<string>(StringComparer.Ordinal) { "<|im_start|>", "<|im_end|>" }; // ChatML, used when a model has no template
        for (var token = 0; token < VocabularySize; token++)
        {
            if ((NativeMethods.llama_vocab_get_attr(Vocab, token) & (Control | UserDefined)) == 0)
            {
                continue;
            }

            var text = Marshal.PtrToStringUTF8((IntPtr)NativeMethods.llama_vocab_get_text(Vocab, token));
            if (text is { Length: >= 3 } && text[0] is '<' or '[')
            {
                texts.Add(text);
            }
        }

        return [.. texts.OrderByDescending(t => t.Length)];
    }

    /// <summary>True for end-of-generation tokens (EOS, EOT, ...).</summary>
    public bool IsEndOfGeneration(int token) => NativeMethods.llama_vocab_is_eog(Vocab, token);

    /// <summary>
    /// Formats a conversation into a prompt with <paramref name="template"/> (null = the model's, ChatML when it has none;
    /// "raw" = contents joined by newlines), ending with the assistant's turn.
    /// </summary>
    public string FormatChat(IReadOnlyList<(string Role, string Content)> messages, string? template = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (string.Equals(template, "raw", StringComparison.OrdinalIgnoreCase))
        {
            return string.Join("\n", messages.Select(m => m.Content));
        }

        var tmpl = string.IsNullOrEmpty(template) ? ChatTemplate ?? "chatml" : template;
        var pinned = new List<GCHandle>();
        try
        {
            byte* Pin(string s)
            {
                var bytes = Encoding.UTF8.GetBytes(s + "\0");
                var h = GCHandle.Alloc(bytes, GCHandleType.Pinned);
                pinned.Add(h);
                return (byte*)h.AddrOfPinnedObject();
            }

            var chat = new LlamaChatMessage[messages.Count];
            var total = 0;
            for (var i = 0; i < messages.Count; i++)
            {
                chat[i] = new LlamaChatMessage { Role = Pin(messages[i].Role), Content = Pin(messages[i].Content) };
                total += messages[i].Content.Length + messages[i].Role.Length;
            }

            var tmplPtr = Pin(tmpl);
            var capacity = Math.Max(256, total * 2 + 256);
            while (true)
            {
                var buffer = new byte[capacity];
                int n;
                fixed (LlamaChatMessage* c = chat)
                fixed (byte* b = buffer)
                {
                    n = NativeMethods.llama_chat_apply_template(tmplPtr, c, (nuint)chat.Length, true, b, capacity);
                }

                if (n < 0)
                {
                    if (tmpl != "chatml" && string.IsNullOrEmpty(template))
                    {
                        // The model's Jinja template is not one llama.cpp's built-in engine recognises.
                        tmpl = "chatml";
                        tmplPtr = Pin(tmpl);
                        continue;
                    }

                    throw new LlamaException($"The chat template '{Shorten(tmpl)}' is not supported by llama_chat_apply_template.");
                }

                if (n <= capacity)
                {
                    return Encoding.UTF8.GetString(buffer, 0, n);
                }

                capacity = n;
            }
        }
        finally
        {
            foreach (var h in pinned)
            {
                h.Free();
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "...";
}
