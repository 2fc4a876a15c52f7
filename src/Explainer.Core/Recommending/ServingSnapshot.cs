using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Explainer.Core.Domain;
using Explainer.Core.Ranking;
using Explainer.Core.Ranking.Collaborative;

namespace Explainer.Core.Recommending;

/// <summary>
/// A <see cref="ServingIndex"/> as bytes, so a starting server reads in about a second what takes tens of seconds to
/// build at 1M reviews (reading every rating through the store, fitting the neighbours). A plain binary layout with
/// <see cref="BinaryWriter"/>: the bulk is arrays of numbers written as raw little-endian blocks, which a general
/// serializer would only wrap. Eleven sections, each after its length, so they are parsed in parallel; the format
/// version, the lengths and an end marker make a foreign, older or cut-off snapshot an error (the server then builds
/// from the store) rather than a wrong index.
/// </summary>
public static class ServingSnapshot
{
    private const string Magic = "explainer-serving-snapshot";

    /// <summary>Raised with every change of layout: an older snapshot is not read, it is rebuilt by <c>explainer index</c>.</summary>
    public const int FormatVersion = 3;

    private const long EndMarker = 0x0D0E_0A0D_5E1F_0001;

    /// <summary>Writes the snapshot; <paramref name="stream"/> must be seekable (each section's length is written after it).</summary>
    public static void Write(ServingIndex index, Stream stream)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("A serving snapshot is written to a seekable stream.", nameof(stream));
        }

        var start = stream.Position;
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        var data = index.Data;
        Section(w, () =>
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(index.Stamp);
            w.Write(index.Key);
            w.Write(index.CollaborativeModel);
            w.Write(data.UserCount);
            w.Write(data.ItemCount);
        });
        Section(w, () => WriteStrings(w, data.UserIds));
        Section(w, () => WriteStrings(w, data.ItemIds));
        // Interactions as flat blocks (per-user counts, then items, ratings and times) and the review ids apart: the
        // numbers are copied in one go and the million id strings are decoded on another core.
        var all = data.ByUser.SelectMany(l => l).ToArray();
        Section(w, () =>
        {
            WriteArray<int>(w, [.. data.ByUser.Select(l => l.Length)]);
            WriteArray<int>(w, [.. all.Select(x => x.Item)]);
            WriteArray<float>(w, [.. all.Select(x => x.Rating)]);
            WriteArray<long>(w, [.. all.Select(x => x.Time)]);
        });
        Section(w, () =>
        {
            foreach (var x in all)
            {
                w.Write(x.ReviewId);
            }
        });
        Section(w, () =>
        {
            foreach (var item in index.Items)
            {
                WriteItem(w, item);
            }
        });
        Section(w, () =>
        {
            w.Write(index.Vectors.Dimension);
            WriteArray<bool>(w, index.Vectors.Present);
            WriteArray(w, index.Vectors.Rows);
        });
        Section(w, () => WriteWords(w, index));
        Section(w, () =>
        {
            foreach (var items in index.Neighbours.Matrix.ItemsOfUser)
            {
                w.Write(items.Length);
                WriteArray<int>(w, items);
            }
        });
        Section(w, () =>
        {
            // Flat arrays rather than the tuples' bytes (a value tuple's layout is the runtime's choice): counts, items, similarities.
            var lists = index.Neighbours.Neighbours;
            WriteArray<int>(w, [.. lists.Select(l => l.Length)]);
            WriteArray<int>(w, [.. lists.SelectMany(l => l).Select(x => x.Item)]);
            WriteArray<float>(w, [.. lists.SelectMany(l => l).Select(x => x.Similarity)]);
        });
        Section(w, () =>
        {
            w.Write(index.Ease is not null);
            if (index.Ease is { } ease)
            {
                var (itemOfSlot, weights) = ease.Fitted;
                w.Write(ease.Lambda);
                w.Write(itemOfSlot.Length);
                WriteArray<int>(w, itemOfSlot);
                WriteArray<float>(w, weights);
            }
        });
        w.Write(EndMarker);
        w.Flush();

        // A SHA-256 of everything before it: a byte changed on disk makes the snapshot unreadable, never a wrong index.
        var end = stream.Position;
        stream.Position = start;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (var left = end - start; left > 0;)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0)
            {
                throw new IOException("The serving snapshot could not be read back to be hashed.");
            }

            hash.AppendData(buffer, 0, n);
            left -= n;
        }

        stream.Position = end;
        w.Write(hash.GetHashAndReset());
    }

    private const int HashBytes = 32;

    /// <summary>Whether <paramref name="stream"/> holds a whole snapshot of this format whose bytes are as written (the hash checked, nothing parsed).</summary>
    public static bool IsIntact(Stream stream)
    {
        try
        {
            var bytes = ReadAll(stream);
            return bytes.Length > HashBytes && HashMatches(bytes);
        }
        catch (Exception e) when (e is IOException or OverflowException or OutOfMemoryException)
        {
            return false;
        }
    }

    private static bool HashMatches(byte[] bytes) =>
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashBytes)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes));

    private static byte[] ReadAll(Stream stream)
    {
        if (!stream.CanSeek)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        var length = stream.Length - stream.Position;
        if (length > Array.MaxLength)
        {
            throw new InvalidDataException($"The serving snapshot is {length:N0} bytes, more than one array holds.");
        }

        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>One section: its length first, so a reader can find every section and parse them at once on all cores.</summary>
    private static void Section(BinaryWriter w, Action body)
    {
        w.Flush();
        var at = w.BaseStream.Position;
        w.Write(0L);
        body();
        w.Flush();
        var end = w.BaseStream.Position;
        w.BaseStream.Position = at;
        w.Write(end - at - sizeof(long));
        w.Flush();
        w.BaseStream.Position = end;
    }

    private static void WriteWords(BinaryWriter w, ServingIndex index)
    {
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
    }

    /// <summary>
    /// Reads a snapshot: the bytes at once, then its sections in parallel (175 MB at 1M reviews: strings, sets and
    /// arrays to allocate, which one core does in about twice the time). <see cref="InvalidDataException"/>, saying what
    /// is wrong, when it is not a whole snapshot of this format.
    /// </summary>
    public static ServingIndex Read(Stream stream)
    {
        try
        {
            var bytes = ReadAll(stream);
            if (bytes.Length <= HashBytes || !HashMatches(bytes))
            {
                throw new InvalidDataException("The serving snapshot's bytes are not those written (its SHA-256 differs): cut off or damaged.");
            }

            return ReadIndex(bytes, bytes.Length - HashBytes);
        }
        catch (AggregateException e) when (e.InnerException is InvalidDataException inner)
        {
            throw inner;
        }
        catch (Exception e) when (e is not (InvalidDataException or OutOfMemoryException or OperationCanceledException))
        {
            // Whatever the damage leads the parser to (a bad length prefix, an impossible count): the same answer.
            throw new InvalidDataException($"The serving snapshot is damaged ({(e is AggregateException a ? a.InnerException ?? e : e).Message}).", e);
        }
    }

    private const int Sections = 11;

    private static ServingIndex ReadIndex(byte[] bytes, int length)
    {
        // Find the sections by their lengths, then the end marker right after the last.
        var sections = new (int Offset, int Length)[Sections];
        var at = 0L;
        for (var i = 0; i < Sections; i++)
        {
            if (at + sizeof(long) > length)
            {
                throw new EndOfStreamException();
            }

            var size = BitConverter.ToInt64(bytes, (int)at);
            if (size < 0 || at + sizeof(long) + size > length)
            {
                throw new InvalidDataException("The serving snapshot ends early (cut off while it was written or copied).");
            }

            sections[i] = ((int)at + sizeof(long), (int)size);
            at += sizeof(long) + size;
        }

        if (at + sizeof(long) != length || BitConverter.ToInt64(bytes, (int)at) != EndMarker)
        {
            throw new InvalidDataException("The serving snapshot does not end where its layout says (a damaged file).");
        }

        BinaryReader Reader(int section) => new(new MemoryStream(bytes, sections[section].Offset, sections[section].Length, writable: false), Encoding.UTF8);

        using var header = Reader(0);
        if (header.ReadString() != Magic)
        {
            throw new InvalidDataException("This is not a serving snapshot.");
        }

        var version = header.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"The serving snapshot has format {version}; this Explainer reads format {FormatVersion}.");
        }

        var stamp = header.ReadString();
        var key = header.ReadString();
        var collaborativeModel = header.ReadString();
        var userCount = header.ReadInt32();
        var itemCount = header.ReadInt32();
        if (userCount < 0 || itemCount < 0 || userCount > length || itemCount > length)
        {
            throw new InvalidDataException($"The serving snapshot's header counts {userCount} users and {itemCount} items (a damaged file).");
        }

        Task<T> Parse<T>(int section, Func<BinaryReader, T> parse) => Task.Run(() =>
        {
            using var r = Reader(section);
            var value = parse(r);
            return r.BaseStream.Position == r.BaseStream.Length ? value
                : throw new InvalidDataException($"Section {section} of the serving snapshot holds more than its layout says (a damaged file).");
        });

        var userIds = Parse(1, r => Expect(ReadStrings(r), userCount, "user ids"));
        var itemIds = Parse(2, r => Expect(ReadStrings(r), itemCount, "item ids"));
        var interactions = Parse(3, r =>
        {
            var (counts, items) = ReadFlatLists(r, userCount, itemCount, "interactions");
            return (counts, items, ReadArray<float>(r, items.Length), ReadArray<long>(r, items.Length));
        });
        var reviewIds = Parse(4, r =>
        {
            var ids = new List<string>();
            while (r.BaseStream.Position < r.BaseStream.Length)
            {
                ids.Add(r.ReadString());
            }

            return ids;
        });
        var items = Parse(5, r => Enumerable.Range(0, itemCount).Select(_ => ReadItem(r)).ToArray());
        var vectors = Parse(6, r =>
        {
            var dimension = Count(r);
            var present = ReadArray<bool>(r, itemCount);
            return new ItemVectorIndex(dimension, ReadArray<float>(r, checked(itemCount * dimension)), present);
        });
        var words = Parse(7, r => ReadWords(r, itemCount));
        var matrix = Parse(8, r =>
        {
            var itemsOfUser = new int[userCount][];
            for (var u = 0; u < itemsOfUser.Length; u++)
            {
                itemsOfUser[u] = ReadArray<int>(r, Count(r));
                CheckIndexes(itemsOfUser[u], itemCount);
            }

            return new BinaryMatrix(itemCount, itemsOfUser);
        });
        var neighbours = Parse(9, r =>
        {
            var (counts, items) = ReadFlatLists(r, itemCount, itemCount, "neighbours");
            var similarities = ReadArray<float>(r, items.Length);
            var lists = new (int Item, float Similarity)[itemCount][];
            var at = 0;
            for (var i = 0; i < lists.Length; i++)
            {
                var list = new (int, float)[counts[i]];
                for (var n = 0; n < list.Length; n++, at++)
                {
                    list[n] = (items[at], similarities[at]);
                }

                lists[i] = list;
            }

            return lists;
        });
        var ease = Parse(10, r =>
        {
            if (!r.ReadBoolean())
            {
                return ((double Lambda, int[] ItemOfSlot, float[] Weights)?)null;
            }

            var lambda = r.ReadDouble();
            var itemOfSlot = ReadArray<int>(r, Count(r));
            return (lambda, itemOfSlot, ReadArray<float>(r, checked(itemOfSlot.Length * itemOfSlot.Length)));
        });
        Task.WaitAll(userIds, itemIds, interactions, reviewIds, items, vectors, words, matrix, neighbours, ease);

        var (counts, itemOf, ratings, times) = interactions.Result;
        if (reviewIds.Result.Count != itemOf.Length)
        {
            throw new InvalidDataException($"The serving snapshot holds {reviewIds.Result.Count} review ids for {itemOf.Length} interactions (a damaged file).");
        }

        var byUser = new Interaction[userCount][];
        for (int u = 0, next = 0; u < userCount; u++)
        {
            var list = new Interaction[counts[u]];
            for (var j = 0; j < list.Length; j++, next++)
            {
                list[j] = new Interaction(u, itemOf[next], ratings[next], times[next], reviewIds.Result[next]);
            }

            byUser[u] = list;
        }

        var data = InteractionData.FromParts(userIds.Result, itemIds.Result, byUser);
        var fitted = ease.Result is { } e ? EaseModel.Restore(e.Lambda, matrix.Result, e.ItemOfSlot, e.Weights) : null;
        return new ServingIndex(stamp, key, data, items.Result, vectors.Result, words.Result.Names, words.Result.Words, new ItemCooccurrence(matrix.Result, neighbours.Result), fitted, collaborativeModel);
    }

    /// <summary>
    /// Lists written flat (<see cref="Write"/>): each list's length, then every list's item indexes in one block. Reads
    /// both and checks them: lengths that are negative or add up to more than the bytes left, indexes outside the catalogue.
    /// </summary>
    private static (int[] Counts, int[] Items) ReadFlatLists(BinaryReader r, int lists, int itemCount, string what)
    {
        var counts = ReadArray<int>(r, lists);
        var total = counts.Sum(c => (long)c);
        if (counts.Any(c => c < 0) || total > 1 << 28)
        {
            throw new InvalidDataException($"The serving snapshot holds {total} {what} (a damaged file).");
        }

        var items = ReadArray<int>(r, (int)total);
        CheckIndexes(items, itemCount);
        return (counts, items);
    }

    private static string[] Expect(string[] values, int count, string what) =>
        values.Length == count ? values : throw new InvalidDataException($"The serving snapshot holds {values.Length} {what}, its header says {count} (a damaged file).");

    private static (HashSet<string>[] Names, HashSet<string>[] Words) ReadWords(BinaryReader r, int itemCount)
    {
        var vocabulary = ReadStrings(r, Count(r));
        var names = new HashSet<string>[itemCount];
        var words = new HashSet<string>[itemCount];
        for (var i = 0; i < itemCount; i++)
        {
            names[i] = ReadWordSet(r, vocabulary);
            words[i] = r.ReadBoolean() ? names[i] : ReadWordSet(r, vocabulary);
        }

        return (names, words);
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

    /// <summary>With the count first (a list inside a section); <see cref="ReadStrings(BinaryReader)"/> reads it back.</summary>
    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }

    private static string[] ReadStrings(BinaryReader r) => ReadStrings(r, Count(r));

    private static string[] ReadStrings(BinaryReader r, int count)
    {
        var values = new string[count];
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
        if (count < 0 || (long)count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new InvalidDataException($"The serving snapshot holds a block of {count} values where fewer bytes are left (a damaged file).");
        }

        var values = new T[count];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>A length as written; a negative or absurd one means a damaged file, not an allocation to attempt.</summary>
    private static int Count(BinaryReader r)
    {
        // Everything counted takes at least a byte, so a count above the bytes left is damage, not a size to allocate.
        var count = r.ReadInt32();
        return count >= 0 && count <= r.BaseStream.Length - r.BaseStream.Position ? count
            : throw new InvalidDataException($"The serving snapshot holds a length of {count} (a damaged file).");
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
