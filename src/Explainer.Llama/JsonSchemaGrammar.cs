using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Explainer.Llama;

/// <summary>
/// Compiles a JSON Schema into a GBNF grammar for llama.cpp's grammar sampler, so that constrained output always parses
/// and validates. Covers: type (object, array, string, number, integer, boolean, null, and lists of types), properties,
/// required (optional properties may be left out, properties come in schema order), items, minItems/maxItems,
/// minLength/maxLength, enum, const, anyOf/oneOf, local $ref (#/$defs/..., #/definitions/...), nesting.
/// Not enforced (accepted and ignored): pattern, format, minimum/maximum, additionalProperties (never generated).
/// Whitespace between tokens is bounded so a model cannot loop on it.
/// </summary>
public static class JsonSchemaGrammar
{
    private const string Primitives = """
        ws ::= | " " | "\n" [ ]{0,8}
        char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})
        string ::= "\"" char* "\"" ws
        integer ::= "-"? ([0-9] | [1-9] [0-9]{0,15}) ws
        number ::= "-"? ([0-9] | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})? ws
        boolean ::= ("true" | "false") ws
        null ::= "null" ws
        value ::= object | array | string | number | boolean | null
        object ::= "{" ws ( string ":" ws value ( "," ws string ":" ws value )* )? "}" ws
        array ::= "[" ws ( value ( "," ws value )* )? "]" ws

        """;

    /// <summary>Any JSON object (for a JSON response format without a schema).</summary>
    public static string AnyJsonObject { get; } = "root ::= ws object\n" + Primitives;

    /// <summary>The grammar for <paramref name="schema"/> (root rule "root").</summary>
    public static string FromSchema(JsonElement schema)
    {
        var compiler = new Compiler(schema);
        var root = compiler.Visit(schema, "root-value");
        var sb = new StringBuilder();
        sb.Append("root ::= ws ").Append(root).Append('\n');
        foreach (var (name, body) in compiler.Rules)
        {
            sb.Append(name).Append(" ::= ").Append(body).Append('\n');
        }

        sb.Append(Primitives);
        return sb.ToString();
    }

    /// <summary>A GBNF string literal matching exactly <paramref name="text"/>.</summary>
    internal static string Literal(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    private sealed class Compiler(JsonElement document)
    {
        private readonly Dictionary<string, string> _refs = new(StringComparer.Ordinal);
        private int _counter;

        public List<(string Name, string Body)> Rules { get; } = [];

        /// <summary>Returns a GBNF expression for <paramref name="schema"/>, adding named rules for compound parts.</summary>
        public string Visit(JsonElement schema, string hint)
        {
            if (schema.ValueKind == JsonValueKind.True || (schema.ValueKind == JsonValueKind.Object && !schema.EnumerateObject().Any()))
            {
                return "value";
            }

            if (schema.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"Unsupported JSON Schema node at '{hint}': {schema.ValueKind}.", nameof(schema));
            }

            if (schema.TryGetProperty("$ref", out var reference))
            {
                return Ref(reference.GetString() ?? string.Empty);
            }

            if (schema.TryGetProperty("const", out var constant))
            {
                return JsonLiteral(constant);
            }

            if (schema.TryGetProperty("enum", out var values))
            {
                return "(" + string.Join(" | ", values.EnumerateArray().Select(JsonLiteral)) + ")";
            }

            foreach (var key in new[] { "anyOf", "oneOf" })
            {
                if (schema.TryGetProperty(key, out var options))
                {
                    return "(" + string.Join(" | ", options.EnumerateArray().Select((o, i) => Visit(o, $"{hint}-{i}"))) + ")";
                }
            }

            if (schema.TryGetProperty("type", out var type))
            {
                if (type.ValueKind == JsonValueKind.Array)
                {
                    return "(" + string.Join(" | ", type.EnumerateArray().Select(t => ForType(schema, t.GetString() ?? "", hint))) + ")";
                }

                return ForType(schema, type.GetString() ?? "", hint);
            }

            if (schema.TryGetProperty("properties", out _))
            {
                return ForType(schema, "object", hint);
            }

            if (schema.TryGetProperty("items", out _))
            {
                return ForType(schema, "array", hint);
            }

            return "value";
        }

        private string ForType(JsonElement schema, string type, string hint) => type switch
        {
            "object" => ObjectRule(schema, hint),
            "array" => ArrayRule(schema, hint),
            "string" => StringRule(schema, hint),
            "number" => "number",
            "integer" => "integer",
            "boolean" => "boolean",
            "null" => "null",
            _ => throw new ArgumentException($"Unsupported JSON Schema type '{type}' at '{hint}'.", nameof(schema)),
        };

        private string ObjectRule(JsonElement schema, string hint)
        {
            var required = schema.TryGetProperty("required", out var req)
                ? req.EnumerateArray().Select(r => r.GetString() ?? "").ToHashSet(StringComparer.Ordinal)
                : [];
            var properties = schema.TryGetProperty("properties", out var props)
                ? props.EnumerateObject().Select(p => (p.Name, Value: Visit(p.Value, $"{hint}-{Sanitize(p.Name)}"))).ToList()
                : [];
            if (properties.Count == 0)
            {
                return "object";
            }

            string Pair((string Name, string Value) p) => $"{Literal(JsonSerializer.Serialize(p.Name))} ws \":\" ws {p.Value}";

            var mandatory = properties.Where(p => required.Contains(p.Name)).ToList();
            var optional = properties.Where(p => !required.Contains(p.Name)).ToList();
            string body;
            if (mandatory.Count > 0)
            {
                body = string.Join(" \",\" ws ", mandatory.Select(Pair));
                foreach (var p in optional)
                {
                    body += $" ( \",\" ws {Pair(p)} )?";
                }
            }
            else
            {
                // No required property: any non-empty subsequence in schema order, or nothing.
                var alternatives = new List<string>();
                for (var i = 0; i < optional.Count; i++)
                {
                    var alt = Pair(optional[i]);
                    for (var j = i + 1; j < optional.Count; j++)
                    {
                        alt += $" ( \",\" ws {Pair(optional[j])} )?";
                    }

                    alternatives.Add($"( {alt} )");
                }

                body = "( " + string.Join(" | ", alternatives) + " )?";
            }

            return AddRule(hint, $"\"{{\" ws {body} \"}}\" ws");
        }

        private string ArrayRule(JsonElement schema, string hint)
        {
            var item = schema.TryGetProperty("items", out var items) ? Visit(items, $"{hint}-item") : "value";
            var min = schema.TryGetProperty("minItems", out var mi) ? mi.GetInt32() : 0;
            int? max = schema.TryGetProperty("maxItems", out var ma) ? ma.GetInt32() : null;
            if (max is 0)
            {
                return AddRule(hint, "\"[\" ws \"]\" ws");
            }

            var itemRule = AddRule($"{hint}-item", item);
            var restMin = Math.Max(0, min - 1);
            var rest = max is { } m ? $"( \",\" ws {itemRule} ){{{restMin},{m - 1}}}" : $"( \",\" ws {itemRule} ){{{restMin},}}";
            var list = $"{itemRule} {rest}";
            return AddRule(hint, min > 0 ? $"\"[\" ws {list} \"]\" ws" : $"\"[\" ws ( {list} )? \"]\" ws");
        }

        private string StringRule(JsonElement schema, string hint)
        {
            var hasMin = schema.TryGetProperty("minLength", out var minEl);
            var hasMax = schema.TryGetProperty("maxLength", out var maxEl);
            if (!hasMin && !hasMax)
            {
                return "string";
            }

            var min = hasMin ? minEl.GetInt32() : 0;
            var repeat = hasMax ? $"{{{min},{maxEl.GetInt32()}}}" : $"{{{min},}}";
            return AddRule(hint, $"\"\\\"\" char{repeat} \"\\\"\" ws");
        }

        private string Ref(string reference)
        {
            if (_refs.TryGetValue(reference, out var existing))
            {
                return existing;
            }

            const string Defs = "#/$defs/", Definitions = "#/definitions/";
            var (container, name) = reference.StartsWith(Defs, StringComparison.Ordinal) ? ("$defs", reference[Defs.Length..])
                : reference.StartsWith(Definitions, StringComparison.Ordinal) ? ("definitions", reference[Definitions.Length..])
                : throw new ArgumentException($"Only local $ref (#/$defs/... or #/definitions/...) is supported, not '{reference}'.");
            if (!document.TryGetProperty(container, out var defs) || !defs.TryGetProperty(name, out var target))
            {
                throw new ArgumentException($"$ref '{reference}' points nowhere.");
            }

            var ruleName = $"ref-{Sanitize(name)}";
            _refs[reference] = ruleName; // set before visiting so recursive schemas terminate
            var index = Rules.Count;
            Rules.Add((ruleName, "value"));
            Rules[index] = (ruleName, Visit(target, ruleName));
            return ruleName;
        }

        private string AddRule(string hint, string body)
        {
            var name = $"{Sanitize(hint)}-{++_counter}";
            Rules.Add((name, body));
            return name;
        }

        private static string JsonLiteral(JsonElement value) => Literal(value.GetRawText()) + " ws";

        private static string Sanitize(string name)
        {
            var sb = new StringBuilder();
            foreach (var c in name)
            {
                sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
            }

            return sb.Length == 0 ? "x" : sb.ToString();
        }
    }
}
