using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Explainer.Llama.Tests;

public sealed class JsonSchemaTests : IDisposable
{
    private const string KeywordsSchema = """
        {
          "type": "object",
          "properties": {
            "keywords": { "type": "array", "items": { "type": "string", "maxLength": 24 }, "minItems": 1, "maxItems": 5 }
          },
          "required": ["keywords"],
          "additionalProperties": false
        }
        """;

    private readonly LlamaModel _model = TestModel.Load();

    [Fact]
    public async Task Twenty_sampled_runs_with_different_seeds_all_parse_and_validate()
    {
        using var client = _model.AsChatClient();
        var schema = JsonDocument.Parse(KeywordsSchema).RootElement;
        var texts = new List<string>();
        for (var seed = 1; seed <= 20; seed++)
        {
            var response = await client.GetResponseAsync(
                "Once upon a time",
                new ChatOptions { Temperature = 0.8f, Seed = seed, MaxOutputTokens = 400, ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "keywords") });

            Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
            using var json = JsonDocument.Parse(response.Text);
            var root = json.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            Assert.Equal(["keywords"], root.EnumerateObject().Select(p => p.Name));
            var keywords = root.GetProperty("keywords");
            Assert.Equal(JsonValueKind.Array, keywords.ValueKind);
            Assert.InRange(keywords.GetArrayLength(), 1, 5);
            Assert.All(keywords.EnumerateArray(), k =>
            {
                Assert.Equal(JsonValueKind.String, k.ValueKind);
                Assert.True(k.GetString()!.Length <= 24);
            });
            texts.Add(response.Text);
        }

        Assert.True(texts.Distinct().Count() > 10, "different seeds sample different outputs");
    }

    [Fact]
    public async Task Nested_objects_enums_numbers_booleans_and_nulls_are_respected()
    {
        const string schema = """
            {
              "type": "object",
              "properties": {
                "mood": { "enum": ["happy", "sad", "neutral"] },
                "score": { "type": "integer" },
                "ratio": { "type": "number" },
                "ok": { "type": "boolean" },
                "note": { "type": ["string", "null"], "maxLength": 10 },
                "tags": { "type": "array", "items": { "$ref": "#/$defs/tag" }, "maxItems": 2 },
                "optional": { "type": "string", "maxLength": 5 }
              },
              "required": ["mood", "score", "ratio", "ok", "note", "tags"],
              "$defs": { "tag": { "type": "object", "properties": { "name": { "type": "string", "maxLength": 8 } }, "required": ["name"] } }
            }
            """;
        using var client = _model.AsChatClient();
        for (var seed = 1; seed <= 5; seed++)
        {
            var response = await client.GetResponseAsync("Once upon a time", new ChatOptions
            {
                Temperature = 0.8f,
                Seed = seed,
                MaxOutputTokens = 400,
                ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(schema).RootElement),
            });

            using var json = JsonDocument.Parse(response.Text);
            var root = json.RootElement;
            Assert.Contains(root.GetProperty("mood").GetString(), new[] { "happy", "sad", "neutral" });
            Assert.True(root.GetProperty("score").TryGetInt64(out _));
            Assert.Equal(JsonValueKind.Number, root.GetProperty("ratio").ValueKind);
            Assert.Contains(root.GetProperty("ok").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.Contains(root.GetProperty("note").ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });
            Assert.All(root.GetProperty("tags").EnumerateArray(), t => Assert.Equal(JsonValueKind.String, t.GetProperty("name").ValueKind));
            var names = root.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(names.Count, names.Distinct().Count());
            Assert.Subset(new HashSet<string> { "mood", "score", "ratio", "ok", "note", "tags", "optional" }, names.ToHashSet());
            Assert.Superset(new HashSet<string> { "mood", "score", "ratio", "ok", "note", "tags" }, names.ToHashSet());
        }
    }

    [Fact]
    public async Task Json_without_a_schema_gives_an_object()
    {
        using var client = _model.AsChatClient();
        var response = await client.GetResponseAsync("Once upon a time", new ChatOptions
        {
            Temperature = 0.8f,
            Seed = 1,
            MaxOutputTokens = 200,
            ResponseFormat = ChatResponseFormat.Json,
            StopSequences = [],
        });

        // Generic JSON has unbounded strings, so a small model may run out of tokens; when it stops, it is an object.
        if (response.FinishReason == ChatFinishReason.Stop)
        {
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(response.Text).RootElement.ValueKind);
        }
        else
        {
            Assert.StartsWith("{", response.Text.TrimStart(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_grammar_compiler_emits_rules_llama_accepts()
    {
        var grammar = JsonSchemaGrammar.FromSchema(JsonDocument.Parse(KeywordsSchema).RootElement);

        Assert.StartsWith("root ::= ", grammar, StringComparison.Ordinal);
        Assert.Contains("char{0,24}", grammar, StringComparison.Ordinal);
        Assert.Contains("){0,4}", grammar, StringComparison.Ordinal);
        using var sampler = new LlamaSampling { Grammar = grammar }.CreateChain(_model);
        Assert.False(sampler.IsInvalid);
        var bad = Assert.Throws<LlamaException>(() => new LlamaSampling { Grammar = "root ::= (" }.CreateChain(_model));
        Assert.Contains("grammar", bad.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Literals_are_escaped()
    {
        Assert.Equal("\"\\\"a\\\\b\\n\"", JsonSchemaGrammar.Literal("\"a\\b\n"));
    }

    public void Dispose() => _model.Dispose();
}
