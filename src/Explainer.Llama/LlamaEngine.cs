using System.Text;
using Explainer.Llama.Native;

namespace Explainer.Llama;

/// <summary>
/// Continuous batching over one <see cref="LlamaContext"/>: up to <see cref="LlamaContext.Sequences"/> requests decode together,
/// each as its own sequence with its own sampler; a finished sequence's slot is refilled from the queue at once.
/// Generation tokens go first in each batch, then prompt chunks fill the rest of it.
/// </summary>
internal static class LlamaEngine
{
    /// <summary>Runs every request to completion (synchronously: call it off the caller's thread). <paramref name="onText"/> gets (request index, new text).</summary>
    public static LlamaCompletion[] Run(LlamaContext context, IReadOnlyList<LlamaRequest> requests, Action<int, string>? onText, CancellationToken cancellationToken)
    {
        var model = context.Model;
        var results = new LlamaCompletion[requests.Count];

        // Tokenize and check everything first, so a prompt that does not fit fails before any work.
        var prompts = new int[requests.Count][];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.MaxTokens < 1)
            {
                throw new LlamaException($"MaxTokens must be at least 1 (request {i}).");
            }

            prompts[i] = model.Tokenize(request.Prompt, addSpecial: true, parseSpecial: true);
            if (prompts[i].Length == 0)
            {
                throw new LlamaException($"The prompt of request {i} is empty.");
            }

            if (prompts[i].Length >= context.ContextPerSequence)
            {
                throw new LlamaException(
                    $"The prompt is {prompts[i].Length} tokens but the context holds {context.ContextPerSequence} per sequence "
                    + $"(prompt and output together). Shorten the input or raise {LlamaOptions.Section}:ContextLength.");
            }
        }

        var slots = new Slot?[context.Sequences];
        var batch = context.Batch;
        var next = 0;
        var done = 0;
        context.ClearAll();
        try
        {
            while (done < requests.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var s = 0; s < slots.Length && next < requests.Count; s++)
                {
                    if (slots[s] is null)
                    {
                        context.ClearSequence(s);
                        slots[s] = new Slot(s, next, requests[next], prompts[next], requests[next].Sampling.CreateChain(model));
                        next++;
                    }
                }

                batch.Clear();
                foreach (var slot in slots)
                {
                    if (slot is { PromptDone: true })
                    {
                        slot.BatchIndex = batch.Count;
                        batch.Add(slot.LastToken, slot.Position++, slot.Sequence, wantLogits: true);
                    }
                }

                foreach (var slot in slots)
                {
                    if (slot is null || slot.PromptDone)
                    {
                        continue;
                    }

                    while (slot.PromptFed < slot.Prompt.Length && batch.Count < batch.Capacity)
                    {
                        var last = slot.PromptFed == slot.Prompt.Length - 1;
                        if (last)
                        {
                            slot.BatchIndex = batch.Count;
                        }

                        batch.Add(slot.Prompt[slot.PromptFed++], slot.Position++, slot.Sequence, wantLogits: last);
                    }
                }

                context.Decode(cancellationToken);

                for (var s = 0; s < slots.Length; s++)
                {
                    var slot = slots[s];
                    if (slot is null || slot.BatchIndex < 0)
                    {
                        continue;
                    }

                    var token = context.Sample(slot.Sampler, slot.BatchIndex);
                    slot.BatchIndex = -1;
                    var finish = slot.Accept(model, token, context.ContextPerSequence);
                    if (slot.TakeNewText() is { Length: > 0 } text)
                    {
                        onText?.Invoke(slot.RequestIndex, text);
                    }

                    if (finish is { } reason)
                    {
                        results[slot.RequestIndex] = new LlamaCompletion(slot.Text, slot.Output, slot.Prompt.Length, reason);
                        slot.Sampler.Dispose();
                        context.ClearSequence(s);
                        slots[s] = null;
                        done++;
                    }
                }
            }

            return results;
        }
        finally
        {
            foreach (var slot in slots)
            {
                slot?.Sampler.Dispose();
            }

            context.ClearAll();
        }
    }

    private sealed class Slot(int sequence, int requestIndex, LlamaRequest request, int[] prompt, SafeLlamaSamplerHandle sampler)
    {
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
        private readonly StringBuilder _text = new();
        private readonly int _holdBack = request.StopSequences.Count == 0 ? 0 : request.StopSequences.Max(s => s.Length) - 1;
        private int _emitted;
        private bool _finished;

        public int Sequence { get; } = sequence;

        public int RequestIndex { get; } = requestIndex;

        public int[] Prompt { get; } = prompt;

        public SafeLlamaSamplerHandle Sampler { get; } = sampler;

        public int PromptFed { get; set; }

        public bool PromptDone => PromptFed == Prompt.Length;

        public int Position { get; set; }

        public int BatchIndex { get; set; } = -1;

        public int LastToken { get; private set; }

        public List<int> Output { get; } = [];

        public string Text => _text.ToString();

        /// <summary>Takes a sampled token; returns a finish reason when the completion is over.</summary>
        public LlamaFinishReason? Accept(LlamaModel model, int token, int contextPerSequence)
        {
            if (!request.IgnoreEndOfGeneration && model.IsEndOfGeneration(token))
            {
                return Finish(LlamaFinishReason.Stop);
            }

            Output.Add(token);
            LastToken = token;
            var bytes = model.TokenToBytes(token);
            var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length) + 1];
            var n = _decoder.GetChars(bytes, 0, bytes.Length, chars, 0, flush: false);
            _text.Append(chars, 0, n);

            foreach (var stop in request.StopSequences)
            {
                if (stop.Length == 0)
                {
                    continue;
                }

                var from = Math.Max(0, _text.Length - n - stop.Length);
                var at = _text.ToString(from, _text.Length - from).IndexOf(stop, StringComparison.Ordinal);
                if (at >= 0)
                {
                    _text.Length = from + at;
                    return Finish(LlamaFinishReason.Stop);
                }
            }

            if (Output.Count >= request.MaxTokens || Prompt.Length + Output.Count >= contextPerSequence)
            {
                return Finish(LlamaFinishReason.Length);
            }

            return null;
        }

        /// <summary>Text not yet handed out (keeping back what could still turn into a stop sequence).</summary>
        public string TakeNewText()
        {
            var safe = _finished ? _text.Length : Math.Max(_emitted, _text.Length - _holdBack);
            if (safe <= _emitted)
            {
                return string.Empty;
            }

            var delta = _text.ToString(_emitted, safe - _emitted);
            _emitted = safe;
            return delta;
        }

        private LlamaFinishReason Finish(LlamaFinishReason reason)
        {
            // Flush a dangling partial UTF-8 sequence (becomes U+FFFD) so nothing is silently lost.
            var tail = new char[4];
            var n = _decoder.GetChars([], 0, 0, tail, 0, flush: true);
            _text.Append(tail, 0, n);
            _finished = true;
            return reason;
        }
    }
}
