using Explainer.Onnx.OnnxFormat;

namespace Explainer.Onnx.Tests;

/// <summary>
/// A tiny transformer-shaped encoder written by the tests: word + token-type + position embeddings, one masked
/// self-attention layer (padding keys get -10000 before the softmax), a dense layer with tanh, exposing
/// <c>last_hidden_state [batch, seq, 16]</c>. Random but fixed weights; a WordPiece vocabulary with "##" pieces.
/// </summary>
internal static class TinyBert
{
    public const int Dim = 16;

    public static readonly string[] Vocabulary =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
        "the", "guitar", "string", "##s", "un", "##aff", "##able", "strum", "##ming", "play", "acoustic", "bronze",
        "for", "my", "martin", "microphone", "stand", "stands", "cable", "pick", "##ed", "##er", "a", "and", "of",
        ",", ".", "!", "'", "-", "/", "1", "4", "new", "old", "red", "black", "with", "case", "hard", "soft",
    ];

    /// <summary>Writes model.onnx, vocab.txt and encoder.json into <paramref name="folder"/>.</summary>
    /// <param name="tableRows">Rows of the word-embedding table (fewer than the vocabulary makes a mismatch).</param>
    public static string Write(string folder, int? tableRows = null, EncoderPooling pooling = EncoderPooling.Mean, int maxTokens = 64, bool tokenTypes = true)
    {
        File.WriteAllLines(Path.Combine(folder, EncoderInfo.VocabFileName), Vocabulary);
        Graph(tableRows ?? Vocabulary.Length, tokenTypes).Save(Path.Combine(folder, EncoderInfo.ModelFileName));
        new EncoderInfo { Name = "tiny-bert", Dimension = Dim, MaxTokens = maxTokens, LowerCase = true, Pooling = pooling, OutputName = "last_hidden_state" }.Save(folder);
        return folder;
    }

    public static OnnxGraph Graph(int rows, bool tokenTypes)
    {
        var random = new Random(1234);
        float[] Weights(int count, double scale) => Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() - 0.5) * 2 * scale)).ToArray();

        var g = new OnnxGraph { Name = "tiny_bert" };
        g.Inputs.Add(OnnxGraph.Dynamic("input_ids", OnnxType.Int64, "batch", "sequence"));
        g.Inputs.Add(OnnxGraph.Dynamic("attention_mask", OnnxType.Int64, "batch", "sequence"));
        if (tokenTypes)
        {
            g.Inputs.Add(OnnxGraph.Dynamic("token_type_ids", OnnxType.Int64, "batch", "sequence"));
        }

        g.Outputs.Add(new OnnxValue("last_hidden_state", OnnxType.Float, ["batch", "sequence", null], [0, 0, Dim]));
        g.Initializers.Add(OnnxTensor.Of("word_embeddings", [rows, Dim], Weights(rows * Dim, 1)));
        g.Initializers.Add(OnnxTensor.Of("type_embeddings", [2, Dim], Weights(2 * Dim, 0.1)));
        g.Initializers.Add(OnnxTensor.Of("position_embeddings", [128, Dim], Weights(128 * Dim, 0.1)));
        foreach (var name in (string[])["wq", "wk", "wv", "wo"])
        {
            g.Initializers.Add(OnnxTensor.Of(name, [Dim, Dim], Weights(Dim * Dim, 0.5)));
        }

        g.Initializers.Add(OnnxTensor.Of("bo", [Dim], Weights(Dim, 0.1)));
        g.Initializers.Add(OnnxTensor.Of("one_index", [], [1L]));
        g.Initializers.Add(OnnxTensor.Of("zero_i64", [], [0L]));
        g.Initializers.Add(OnnxTensor.Of("one_i64", [], [1L]));
        g.Initializers.Add(OnnxTensor.Of("axis1", [1], [1L]));
        g.Initializers.Add(OnnxTensor.Of("one_f", [], [1f]));
        g.Initializers.Add(OnnxTensor.Of("minus_big", [], [-10000f]));
        g.Initializers.Add(OnnxTensor.Of("scale", [], [0.25f]));

        g.Add("Gather", ["word_embeddings", "input_ids"], "we", new OnnxAttribute("axis", Int: 0));
        g.Add("Shape", ["input_ids"], "shape");
        g.Add("Gather", ["shape", "one_index"], "seq_len", new OnnxAttribute("axis", Int: 0));
        g.Add("Range", ["zero_i64", "seq_len", "one_i64"], "positions");
        g.Add("Gather", ["position_embeddings", "positions"], "pe", new OnnxAttribute("axis", Int: 0));
        if (tokenTypes)
        {
            g.Add("Gather", ["type_embeddings", "token_type_ids"], "te", new OnnxAttribute("axis", Int: 0));
            g.Add("Add", ["we", "te"], "x0");
        }
        else
        {
            g.Add("Identity", ["we"], "x0");
        }

        g.Add("Add", ["x0", "pe"], "x");
        g.Add("MatMul", ["x", "wq"], "q");
        g.Add("MatMul", ["x", "wk"], "k");
        g.Add("MatMul", ["x", "wv"], "v");
        g.Add("Transpose", ["k"], "kt", new OnnxAttribute("perm", Ints: [0, 2, 1]));
        g.Add("MatMul", ["q", "kt"], "scores");
        g.Add("Mul", ["scores", "scale"], "scaled");
        g.Add("Cast", ["attention_mask"], "mask_f", new OnnxAttribute("to", Int: (long)OnnxType.Float));
        g.Add("Unsqueeze", ["mask_f", "axis1"], "mask_3d");
        g.Add("Sub", ["one_f", "mask_3d"], "inverted");
        g.Add("Mul", ["inverted", "minus_big"], "bias");
        g.Add("Add", ["scaled", "bias"], "masked");
        g.Add("Softmax", ["masked"], "probs", new OnnxAttribute("axis", Int: -1));
        g.Add("MatMul", ["probs", "v"], "context");
        g.Add("MatMul", ["context", "wo"], "dense");
        g.Add("Add", ["dense", "bo"], "biased");
        g.Add("Add", ["biased", "x"], "residual");
        g.Add("Tanh", ["residual"], "last_hidden_state");
        return g;
    }
}
