using Explainer.Onnx.Glove;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Explainer.Onnx.Tests;

/// <summary>
/// The default encoder that ./setup builds (models/glove-100d) on real text: the acceptance phrases and the
/// 900 titles of the music catalogue against a TF-IDF bag of words.
/// </summary>
public sealed class DefaultEncoderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Bronze_strings_are_closer_to_acoustic_guitar_strings_than_a_microphone_stand()
    {
        using var generator = OnnxEncoder.Open(TestPaths.DefaultEncoder);
        var v = await generator.GenerateAsync(["acoustic guitar strings", "bronze strings for my Martin guitar", "microphone stand"]);
        var near = System.Numerics.Tensors.TensorPrimitives.Dot(v[0].Vector.Span, v[1].Vector.Span);
        var far = System.Numerics.Tensors.TensorPrimitives.Dot(v[0].Vector.Span, v[2].Vector.Span);
        output.WriteLine($"cos(acoustic guitar strings, bronze strings for my Martin guitar) = {near:F3}; cos(…, microphone stand) = {far:F3}");
        Assert.True(near > far + 0.1f, $"{near} should clearly exceed {far}");
    }

    [Fact]
    public async Task On_the_catalogue_the_nearest_title_shares_the_category_more_often_than_with_tfidf()
    {
        var items = CatalogEvaluation.LoadItems(TestPaths.ItemsCsv);
        Assert.Equal(900, items.Count);
        var titles = items.Select(i => i.Title).ToList();

        var tfidf = CatalogEvaluation.SameCategoryRate(CatalogEvaluation.TfIdfVectors(titles), items);
        using var generator = OnnxEncoder.Open(new EncoderOptions { Path = TestPaths.DefaultEncoder, BatchSize = 64 });
        var embeddings = await generator.GenerateAsync(titles);
        var encoder = CatalogEvaluation.SameCategoryRate(embeddings.Select(e => e.Vector.ToArray()).ToList(), items);

        output.WriteLine($"Same-category nearest neighbour over {items.Count} titles ({items.Select(i => i.Category).Distinct().Count()} leaf categories):");
        output.WriteLine($"  TF-IDF bag of words: {tfidf:P1} ({tfidf * items.Count:F0} titles)");
        output.WriteLine($"  encoder {generator.GetService<EncoderInfo>()?.Name}: {encoder:P1} ({encoder * items.Count:F0} titles)");
        Assert.True(encoder > tfidf, $"encoder {encoder:P2} should beat TF-IDF {tfidf:P2}");
    }

    [Fact]
    public void The_default_encoder_was_built_by_the_current_builder_and_every_word_is_reachable()
    {
        var folder = TestPaths.DefaultEncoder;
        var manifest = File.ReadAllText(Path.Combine(folder, GloveEncoderBuilder.ManifestFileName));
        Assert.Contains($"\"builderVersion\": {GloveEncoderBuilder.BuilderVersion}", manifest);

        var vocab = File.ReadAllLines(Path.Combine(folder, EncoderInfo.VocabFileName));
        Assert.Equal(5 + GloveBuildOptions.DefaultVocabularySize, vocab.Length);
        using var generator = (OnnxEmbeddingGenerator)OnnxEncoder.Open(folder);
        var unreachable = Enumerable.Range(5, vocab.Length - 5).Where(id => !generator.Tokenize(vocab[id]).SequenceEqual([2, id, 3])).Select(id => vocab[id]).ToList();
        Assert.True(unreachable.Count == 0, $"{unreachable.Count} words are not single tokens: {string.Join(" ", unreachable.Take(100))}");
    }
}
