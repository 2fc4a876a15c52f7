using System.Collections.Concurrent;
using Humanizer;

namespace Explainer.Extractive;

/// <summary>Lemma of a phrase = each word singularised (Humanizer's English rules): "guitar strings" and "guitar string" merge.</summary>
internal static class Lemmas
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string Of(string phrase) => string.Join(' ', phrase.Split(' ').Select(Word));

    public static string Word(string word) => Cache.GetOrAdd(word, static w =>
        w.Length <= 3 || w.EndsWith("ss", StringComparison.Ordinal) || w.EndsWith("us", StringComparison.Ordinal) || w.EndsWith("is", StringComparison.Ordinal)
            ? w
            : w.Singularize(inputIsKnownToBePlural: false));
}
