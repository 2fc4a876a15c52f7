using System.Numerics.Tensors;

namespace Explainer.Core.Enrichment;

/// <summary>
/// The corpus's aspects: phrase lemmas grouped by embedding, so that "sound", "tone" and "tonal quality" can be one thing
/// people talk about while "tuning" and "tuner" stay apart. Leader clustering in the order phrases are first seen (a
/// phrase joins the aspect whose founding phrase is nearest when at least <see cref="JoinCosine"/> close, else founds
/// one), so assignments never change once made and the inventory can grow with new reviews. Mined from the reviews,
/// not a hand-kept list; the label is the aspect's most mentioned phrase.
/// </summary>
public sealed class AspectInventory
{
    /// <summary>How close (cosine) a phrase must be to an aspect's founding phrase to join it.</summary>
    public const float JoinCosine = 0.72f;

    private readonly Dictionary<string, string> _aspectOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, int>> _members = new(StringComparer.Ordinal);
    private readonly List<(string Id, float[] Vector)> _leaders = [];
    private readonly Lock _gate = new();

    /// <summary>The engine whose phrases these are: an inventory of another engine's phrases is not reused.</summary>
    public string Engine { get; init; } = string.Empty;

    /// <summary>An inventory as stored: its assignments, founding phrases (re-embedded here) and member counts.</summary>
    public static AspectInventory Restore(Domain.AspectInventoryRecord record, Func<string, float[]?> vectorOf)
    {
        var inventory = new AspectInventory { Engine = record.Engine };
        foreach (var (lemma, aspect) in record.Assignments)
        {
            inventory._aspectOf[lemma] = aspect;
        }

        foreach (var leader in record.Leaders)
        {
            if (vectorOf(leader) is { } v)
            {
                inventory._leaders.Add((leader, v));
            }
        }

        foreach (var a in record.Aspects)
        {
            inventory._members[a.Id] = new Dictionary<string, int>(a.Members, StringComparer.Ordinal);
        }

        return inventory;
    }

    public Domain.AspectInventoryRecord ToRecord()
    {
        lock (_gate)
        {
            return new Domain.AspectInventoryRecord
            {
                Engine = Engine,
                Assignments = new Dictionary<string, string>(_aspectOf, StringComparer.Ordinal),
                Leaders = [.. _leaders.Select(l => l.Id)],
                Aspects = [.. _members.Select(m => new Domain.AspectEntry(m.Key, new Dictionary<string, int>(m.Value, StringComparer.Ordinal)))],
            };
        }
    }

    /// <summary>The aspect of a phrase lemma, assigning it on first sight (from its embedding; null: it founds its own).</summary>
    public string Assign(string lemma, string surface, float[]? vector)
    {
        lock (_gate)
        {
            if (!_aspectOf.TryGetValue(lemma, out var aspect))
            {
                aspect = lemma;
                if (vector is not null && TensorPrimitives.Norm(vector) > 0)
                {
                    var best = -1f;
                    foreach (var (id, leader) in _leaders)
                    {
                        var cos = TensorPrimitives.CosineSimilarity(leader, vector);
                        if (cos >= JoinCosine && cos > best)
                        {
                            (best, aspect) = (cos, id);
                        }
                    }

                    if (aspect == lemma)
                    {
                        _leaders.Add((lemma, vector));
                    }
                }

                _aspectOf[lemma] = aspect;
            }

            var members = _members.TryGetValue(aspect, out var m) ? m : _members[aspect] = new(StringComparer.Ordinal);
            members[surface] = members.GetValueOrDefault(surface) + 1;
            return aspect;
        }
    }

    /// <summary>The aspect a lemma was assigned to, or null when it was never seen.</summary>
    public string? Find(string lemma)
    {
        lock (_gate)
        {
            return _aspectOf.GetValueOrDefault(lemma);
        }
    }

    /// <summary>What to call an aspect: its most mentioned phrase.</summary>
    public string Label(string aspect)
    {
        lock (_gate)
        {
            return _members.TryGetValue(aspect, out var m) && m.Count > 0 ? m.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).First().Key : aspect;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _members.Count;
            }
        }
    }

    /// <summary>lemma → aspect, for storing.</summary>
    public IReadOnlyDictionary<string, string> Assignments()
    {
        lock (_gate)
        {
            return new Dictionary<string, string>(_aspectOf, StringComparer.Ordinal);
        }
    }
}

/// <summary>
/// What a phrase is about: its head noun ("warm tone" is about tone, "cheap strat strings" about strings), or its
/// last two words when the head alone says little ("sound quality", "battery life", "tone control"). Keys, not whole
/// phrases, are clustered into aspects, so an aspect is founded by its plain noun, not by the first long phrase seen.
/// </summary>
public static class AspectKey
{
    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "quality", "life", "control", "level", "size", "construction", "response", "design", "material", "system", "setup", "type",
        "style", "weight", "length", "feel", "range", "side", "end", "part", "area", "option", "mode", "setting", "button",
    };

    /// <param name="lemma">The phrase's lemma, words separated by spaces.</param>
    public static string Of(string lemma)
    {
        var words = lemma.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length >= 2 && Generic.Contains(words[^1]) ? $"{words[^2]} {words[^1]}" : words.Length > 0 ? words[^1] : lemma;
    }
}
