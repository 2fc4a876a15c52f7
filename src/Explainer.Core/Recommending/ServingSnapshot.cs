using System.Runtime.InteropServices;
using System.Text;
using Explainer.Core.Domain;
using Explainer.Core.Ranking;
using Explainer.Core.Ranking.Collaborative;

namespace Explainer.Core.Recommending;

/// <summary>
/// A <see cref="ServingIndex"/> as bytes, so a starting server reads in a second what takes tens of seconds to build
/// at 1M reviews (reading every rating through the store, fitting the neighbours). A plain binary layout with
/// <see cref="BinaryWriter"/>: the bulk is arrays of numbers written as raw little-endian blocks, which a general
/// serializer would only wrap; the format version and an end marker make a foreign, older or cut-off snapshot an error
/// (the server then builds from the store) rather than a wrong index.
/// </summary>
public static class ServingSnapshot
{
    private const string Magic = "explainer-serving-snapshot";

    /// <summary>Raised with every change of layout: an older snapshot is not read, it is rebuilt by <c>explainer index</c>.</summary>
    public const int FormatVersion = 1;

    private const long EndMarker = 0x0D0E_0A0D_5E1F_0001;

    public static void Write(ServingIndex index, Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(index.Stamp);
        w.Write(index.Key);
        w.Write(index.CollaborativeModel);

        var data = index.Data;
        WriteStrings(w, data.UserIds);
        WriteStrings(w, data.ItemIds);
        foreach (var list in data.ByUser)
        {
            w.Write(list.Length);
            foreach (var x in list)
            {
                w.Write(x.Item);
                w.Write(x.Rating);
                w.Write(x.Time);
                w.Write(x.ReviewId);
            }
        }

        foreach (var item in index.Items)
        {
            WriteItem(w, item);
        }

        var vectors = index.Vectors;
        w.Write(vectors.Dimension);
        WriteArray<bool>(w, vectors.Present);
        WriteArray(w, vectors.Rows);

        // Words as indexes into one vocabulary: item words repeat a few thousand distinct lemmas 87k times.
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var set in index.Names.Concat(index.Words))
        {
            foreach (var word in set)
            {
                vocabulary.TryAdd(word, vocabulary.Count);
            }
        }

        WriteStrings(w, [.. vocabulary.Keys]);
        for (var i = 0; i < index.Items.Length; i++)
        {
            WriteWordSet(w, index.Names[i], vocabulary);
            var same = ReferenceEquals(index.Words[i], index.Names[i]);
            w.Write(same);
            if (!same)
            {
                WriteWordSet(w, index.Words[i], vocabulary);
            }
        }

        var matrix = index.Neighbours.Matrix;
        foreach (var items in matrix.ItemsOfUser)
        {
            w.Write(items.Length);
            WriteArray<int>(w, items);
        }

        // Two arrays per list rather than the tuples' bytes: a value tuple's layout is the runtime's choice.
        foreach (var list in index.Neighbours.Neighbours)
        {
            w.Write(list.Length);
            WriteArray<int>(w, [.. list.Select(x => x.Item)]);
            WriteArray<float>(w, [.. list.Select(x => x.Similarity)]);
        }

        w.Write(index.Ease is not null);
        if (index.Ease is { } ease)
        {
            var (itemOfSlot, weights) = ease.Fitted;
            w.Write(ease.Lambda);
            w.Write(itemOfSlot.Length);
            WriteArray<int>(w, itemOfSlot);
            WriteArray<float>(w, weights);
        }

        w.Write(EndMarker);
    }

    /// <summary>Reads a snapshot; <see cref="InvalidDataException"/> (saying what is wrong) when it is not a whole one of this format.</summary>
    public static ServingIndex Read(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            return ReadIndex(r);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The serving snapshot ends early (cut off while it was written or copied).", e);
        }
    }

    private static ServingIndex ReadIndex(BinaryReader r)
    {
        if (r.ReadString() != Magic)
        {
            throw new InvalidDataException("This is not a serving snapshot.");
        }

        var version = r.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"The serving snapshot has format {version}; this Explainer reads format {FormatVersion}.");
        }

        var stamp = r.ReadString();
        var key = r.ReadString();
        var collaborativeModel = r.ReadString();
        var userIds = ReadStrings(r);
        var itemIds = ReadStrings(r);
        var byUser = new Interaction[userIds.Length][];
        for (var u = 0; u < byUser.Length; u++)
        {
            var list = new Interaction[Count(r)];
            for (var j = 0; j < list.Length; j++)
            {
                list[j] = new Interaction(u, Index(r.ReadInt32(), itemIds.Length), r.ReadSingle(), r.ReadInt64(), r.ReadString());
            }

            byUser[u] = list;
        }

        var data = InteractionData.FromParts(userIds, itemIds, byUser);
        var items = new Item[itemIds.Length];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ReadItem(r);
        }

        var dimension = Count(r);
        var present = ReadArray<bool>(r, itemIds.Length);
        var vectors = new ItemVectorIndex(dimension, ReadArray<float>(r, checked(itemIds.Length * dimension)), present);

        var vocabulary = ReadStrings(r);
        var names = new HashSet<string>[items.Length];
        var words = new HashSet<string>[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            names[i] = ReadWordSet(r, vocabulary);
            words[i] = r.ReadBoolean() ? names[i] : ReadWordSet(r, vocabulary);
        }

        var itemsOfUser = new int[userIds.Length][];
        for (var u = 0; u < itemsOfUser.Length; u++)
        {
            itemsOfUser[u] = ReadArray<int>(r, Count(r));
            CheckIndexes(itemsOfUser[u], itemIds.Length);
        }

        var matrix = new BinaryMatrix(itemIds.Length, itemsOfUser);
        var lists = new (int Item, float Similarity)[itemIds.Length][];
        for (var i = 0; i < lists.Length; i++)
        {
            var count = Count(r);
            var neighbours = ReadArray<int>(r, count);
            CheckIndexes(neighbours, itemIds.Length);
            var similarities = ReadArray<float>(r, count);
            lists[i] = [.. neighbours.Select((j, n) => (j, similarities[n]))];
        }

        EaseModel? ease = null;
        if (r.ReadBoolean())
        {
            var lambda = r.ReadDouble();
            var itemOfSlot = ReadArray<int>(r, Count(r));
            ease = EaseModel.Restore(lambda, matrix, itemOfSlot, ReadArray<float>(r, checked(itemOfSlot.Length * itemOfSlot.Length)));
        }

        if (r.ReadInt64() != EndMarker)
        {
            throw new InvalidDataException("The serving snapshot does not end where its layout says (a damaged file).");
        }

        return new ServingIndex(stamp, key, data, items, vectors, names, words, new ItemCooccurrence(matrix, lists), ease, collaborativeModel);
    }

    private static void WriteItem(BinaryWriter w, Item item)
    {
        w.Write(item.Id);
        WriteOptional(w, item.Title);
        WriteStrings(w, item.Categories);
        w.Write(item.Price.HasValue);
        if (item.Price is { } price)
        {
            w.Write(price);
        }

        WriteOptional(w, item.Brand);
        WriteOptional(w, item.Description);
        w.Write(item.Attributes.Count);
        foreach (var (name, values) in item.Attributes)
        {
            w.Write(name);
            WriteStrings(w, values);
        }
    }

    private static Item ReadItem(BinaryReader r)
    {
        var id = r.ReadString();
        var title = ReadOptional(r);
        var categories = ReadStrings(r);
        decimal? price = r.ReadBoolean() ? r.ReadDecimal() : null;
        var brand = ReadOptional(r);
        var description = ReadOptional(r);
        var count = Count(r);
        var attributes = new Dictionary<string, IReadOnlyList<string>>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            attributes[r.ReadString()] = ReadStrings(r);
        }

        return new Item { Id = id, Title = title, Categories = categories, Price = price, Brand = brand, Description = description, Attributes = attributes };
    }

    private static void WriteWordSet(BinaryWriter w, HashSet<string> set, Dictionary<string, int> vocabulary)
    {
        w.Write(set.Count);
        foreach (var word in set)
        {
            w.Write(vocabulary[word]);
        }
    }

    private static HashSet<string> ReadWordSet(BinaryReader r, string[] vocabulary)
    {
        var count = Count(r);
        var set = new HashSet<string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            set.Add(vocabulary[Index(r.ReadInt32(), vocabulary.Length)]);
        }

        return set;
    }

    private static void WriteOptional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        var values = new string[Count(r)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadString();
        }

        return values;
    }

    private static void WriteArray<T>(BinaryWriter w, ReadOnlySpan<T> values)
        where T : unmanaged => w.Write(MemoryMarshal.AsBytes(values));

    private static T[] ReadArray<T>(BinaryReader r, int count)
        where T : unmanaged
    {
        var values = new T[count];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>A length as written; a negative or absurd one means a damaged file, not an allocation to attempt.</summary>
    private static int Count(BinaryReader r)
    {
        var count = r.ReadInt32();
        return count is >= 0 and <= 1 << 28 ? count : throw new InvalidDataException($"The serving snapshot holds a length of {count} (a damaged file).");
    }

    private static int Index(int value, int count) =>
        (uint)value < (uint)count ? value : throw new InvalidDataException($"The serving snapshot refers to entry {value} of {count} (a damaged file).");

    private static void CheckIndexes(int[] values, int count)
    {
        foreach (var v in values)
        {
            Index(v, count);
        }
    }
}
