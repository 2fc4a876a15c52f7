namespace Explainer.Llama.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Loads_and_tokenizes()
    {
        using var model = TestModel.Load();
        var tokens = model.Tokenize("Once upon a time");
        Assert.NotEmpty(tokens);
        Assert.Equal("Once upon a time", model.Detokenize(tokens).TrimStart());
        Assert.Equal("llama", model.Architecture);
        Assert.Equal(512, model.VocabularySize);
        Console.WriteLine($"{model.Description} ctx_train={model.TrainingContextLength} params={model.ParameterCount} tmpl={model.ChatTemplate ?? "none"} {model.Runtime.Description} threads={model.Threads}");
        Console.WriteLine(model.FormatChat([("user", "hi")]));
    }
}
