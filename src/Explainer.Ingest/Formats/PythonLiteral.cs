using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Explainer.Ingest.Formats;

/// <summary>
/// Reads one Python literal (what <c>repr()</c> of a dict prints, as in the official Amazon 2014 metadata dumps:
/// <c>{'asin': '0000031852', 'title': "Kid's Tutu", 'price': 3.17, 'related': {...}}</c>) and writes it as JSON, so the
/// JSON readers take it from there. Literals only: strings, numbers, True/False/None, dicts, lists, tuples and sets;
/// never evaluated. No .NET package parses Python literals, and this grammar is small, so it is hand-written.
/// </summary>
internal static class PythonLiteral
{
    /// <summary>Whether a line looks like a Python dict literal rather than JSON (a single-quoted first key).</summary>
    public static bool LooksLikeOne(string line)
    {
        var t = line.AsSpan().TrimStart();
        return t.Length > 1 && t[0] == '{' && t[1..].TrimStart() is [ '\'', .. ] or [ 'u', '\'', .. ];
    }

    /// <summary>The literal as JSON text; <see cref="FormatException"/> names the column where it stops making sense.</summary>
    public static string ToJson(string text)
    {
        using var buffer = new MemoryStream(text.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var parser = new Parser(text, writer);
            parser.Value();
            parser.SkipSpace();
            if (!parser.AtEnd)
            {
                throw parser.Error("unexpected text after the literal");
            }
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private sealed class Parser(string text, Utf8JsonWriter writer)
    {
        private int _at;

        public bool AtEnd => _at >= text.Length;

        public void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        public FormatException Error(string what) => new($"{what} at column {_at + 1}");

        public void Value()
        {
            SkipSpace();
            if (AtEnd)
            {
                throw Error("the literal ends early");
            }

            var c = text[_at];
            switch (c)
            {
                case '{':
                    Dict();
                    break;
                case '[':
                    Sequence('[', ']');
                    break;
                case '(':
                    Sequence('(', ')');
                    break;
                case '\'' or '"':
                    writer.WriteStringValue(String());
                    break;
                case 'u' or 'b' or 'r' or 'U' or 'B' or 'R' when _at + 1 < text.Length && text[_at + 1] is '\'' or '"':
                    _at++;
                    writer.WriteStringValue(String(raw: c is 'r' or 'R'));
                    break;
                default:
                    if (char.IsDigit(c) || c is '-' or '+' or '.')
                    {
                        Number();
                    }
                    else
                    {
                        Word();
                    }

                    break;
            }
        }

        private void Dict()
        {
            _at++; // {
            SkipSpace();

            // {} is an empty dict; {1, 2} would be a set: written as a list.
            var start = _at;
            if (Peek('}'))
            {
                _at++;
                writer.WriteStartObject();
                writer.WriteEndObject();
                return;
            }

            if (!IsDict())
            {
                _at = start - 1;
                Sequence('{', '}');
                return;
            }

            writer.WriteStartObject();
            while (true)
            {
                SkipSpace();
                if (Peek('}'))
                {
                    _at++;
                    break;
                }

                var key = Key();
                SkipSpace();
                Expect(':');
                writer.WritePropertyName(key);
                Value();
                SkipSpace();
                if (Peek(','))
                {
                    _at++;
                    continue;
                }

                Expect('}');
                break;
            }

            writer.WriteEndObject();
        }

        /// <summary>After '{': does a key and a ':' follow (a dict), or values and ',' (a set)?</summary>
        private bool IsDict()
        {
            var save = _at;
            try
            {
                using var sink = new Utf8JsonWriter(Stream.Null);
                new Parser(text, sink) { _at = _at }.ValueThenColon(out var colon);
                return colon;
            }
            catch (FormatException)
            {
                return true; // let the dict parser report the error
            }
            finally
            {
                _at = save;
            }
        }

        private void ValueThenColon(out bool colon)
        {
            writer.WriteStartArray();
            Value();
            SkipSpace();
            colon = Peek(':');
        }

        private string Key()
        {
            var c = text[_at];
            if (c is '\'' or '"')
            {
                return String();
            }

            if (c is 'u' or 'b' && _at + 1 < text.Length && text[_at + 1] is '\'' or '"')
            {
                _at++;
                return String();
            }

            // A number or word key ({1: 'a'}, {True: 1}): JSON keys are strings, so its text is the key.
            var start = _at;
            while (_at < text.Length && text[_at] is not ':' and not ',' and not '}' && !char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }

            return _at > start ? text[start.._at] : throw Error("expected a key");
        }

        private void Sequence(char open, char close)
        {
            _at++; // open
            writer.WriteStartArray();
            while (true)
            {
                SkipSpace();
                if (Peek(close))
                {
                    _at++;
                    break;
                }

                Value();
                SkipSpace();
                if (Peek(','))
                {
                    _at++;
                    continue;
                }

                Expect(close);
                break;
            }

            writer.WriteEndArray();
            _ = open;
        }

        private string String(bool raw = false)
        {
            var quote = text[_at];
            var triple = _at + 2 < text.Length && text[_at + 1] == quote && text[_at + 2] == quote;
            _at += triple ? 3 : 1;
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("a string is not closed");
                }

                var c = text[_at];
                if (c == quote && (!triple || (_at + 2 < text.Length && text[_at + 1] == quote && text[_at + 2] == quote)))
                {
                    _at += triple ? 3 : 1;
                    return sb.ToString();
                }

                if (c == '\\' && !raw)
                {
                    _at++;
                    if (AtEnd)
                    {
                        throw Error("a string ends in a backslash");
                    }

                    var e = text[_at++];
                    switch (e)
                    {
                        case 'n': sb.Append('\n'); break;
                        case 't': sb.Append('\t'); break;
                        case 'r': sb.Append('\r'); break;
                        case '0': sb.Append('\0'); break;
                        case 'a': sb.Append('\a'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'v': sb.Append('\v'); break;
                        case 'x': sb.Append((char)Hex(2)); break;
                        case 'u': sb.Append((char)Hex(4)); break;
                        case 'U': sb.Append(char.ConvertFromUtf32(Hex(8))); break;
                        case '\n': break; // line continuation
                        default: sb.Append(e); break; // \\ \' \" and unknown escapes keep the character
                    }

                    continue;
                }

                sb.Append(c);
                _at++;
            }
        }

        private int Hex(int digits)
        {
            if (_at + digits > text.Length || !int.TryParse(text.AsSpan(_at, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                throw Error($"a \\x/\\u escape needs {digits} hex digits");
            }

            _at += digits;
            return value;
        }

        private void Number()
        {
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '-' or '+' or '.' or '_'))
            {
                _at++;
            }

            var token = text[start.._at].Replace("_", string.Empty, StringComparison.Ordinal);
            if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                writer.WriteNumberValue(l);
            }
            else if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                writer.WriteNumberValue(d);
            }
            else
            {
                _at = start;
                throw Error($"'{token}' is not a number");
            }
        }

        private void Word()
        {
            var start = _at;
            while (_at < text.Length && char.IsAsciiLetter(text[_at]))
            {
                _at++;
            }

            switch (text[start.._at])
            {
                case "True": writer.WriteBooleanValue(true); break;
                case "False": writer.WriteBooleanValue(false); break;
                case "None": writer.WriteNullValue(); break;
                default:
                    _at = start;
                    throw Error($"'{(text.Length - start > 20 ? text[start..(start + 20)] + "…" : text[start..])}' is not a literal");
            }
        }

        private bool Peek(char c) => _at < text.Length && text[_at] == c;

        private void Expect(char c)
        {
            if (!Peek(c))
            {
                throw Error(AtEnd ? $"expected '{c}' but the line ends" : $"expected '{c}', found '{text[_at]}'");
            }

            _at++;
        }
    }
}
