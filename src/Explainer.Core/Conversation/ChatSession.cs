using System.Globalization;
using System.Runtime.CompilerServices;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;

namespace Explainer.Core.Conversation;

/// <summary>
/// One chat conversation: understands a line (through <see cref="IIntentParser"/>), keeps the session's constraints
/// (query, price bounds, left-out categories, items waved away), ranks through <see cref="RecommendationService"/> and
/// stores feedback through <see cref="FeedbackService"/> so it changes the next answer at once. With a user it starts
/// from their profile; without one it starts cold and learns from what is said and rated in the session.
/// No terminal here: the CLI draws the replies, tests read them.
/// </summary>
public sealed class ChatSession(
    RecommendationService recommendations,
    FeedbackService feedback,
    IRecommenderStore store,
    IIntentParser parser,
    IExplanationService? explanations,
    string? userId = null,
    int listSize = 10)
{
    private readonly HashSet<string> _waved = new(StringComparer.Ordinal);
    private readonly List<string> _excludedCategories = [];
    private readonly List<string> _likedKeywords = [];
    private readonly List<string> _dislikedTitles = [];
    private List<(Recommendation Rec, Item? Item)> _shown = [];
    private string? _query;
    private string? _anchor;
    private decimal? _maxPrice;
    private decimal? _minPrice;
    private IReadOnlyList<Recommendation>? _popular;

    public string? UserId { get; } = userId;

    /// <summary>The list last shown (item ids by rank).</summary>
    public IReadOnlyList<string> Shown => [.. _shown.Select(s => s.Rec.ItemId)];

    public static IReadOnlyList<string> HelpLines { get; } =
    [
        "Ask in your own words, for example:",
        "  recommend me something            a list from your profile (or what you told me)",
        "  a cheap tuner for my ukulele      a query, with a price bound (cheap = under $25, or 'under $40')",
        "  more like number 2                items close to #2",
        "  not the pedals                    leave a category out",
        "  why number 1?                     the full explanation of #1",
        "  I like number 2 / I don't like number 3 / not the first one   feedback, stored at once",
        "  /profile  your interests    /reset  forget this session's constraints    /help    /quit",
    ];

    public async Task<ChatReply> HandleAsync(string line, CancellationToken cancellationToken)
    {
        ChatIntent intent;
        try
        {
            intent = await parser.ParseAsync(line, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            intent = RuleBasedIntentParser.Parse(line); // an LLM parser that fails falls back to the rules
        }

        try
        {
            return await HandleAsync(intent, cancellationToken).ConfigureAwait(false);
        }
        catch (RecommendationException ex)
        {
            return ChatReply.Say(ex.Message);
        }
        catch (QueryNotUnderstoodException ex)
        {
            _query = null; // nothing of it can be used, so it must not stick to the next answers
            return ChatReply.Say(ex.Message, "Say what you are looking for in other words, or \"recommend me something\".");
        }
    }

    private async Task<ChatReply> HandleAsync(ChatIntent intent, CancellationToken cancellationToken)
    {
        switch (intent.Kind)
        {
            case IntentKind.Quit:
                return new ChatReply { Quit = true, Lines = ["Bye."] };
            case IntentKind.Help:
                return new ChatReply { Lines = HelpLines };
            case IntentKind.Reset:
                _query = null;
                _anchor = null;
                _maxPrice = _minPrice = null;
                _excludedCategories.Clear();
                _shown = [];
                return ChatReply.Say("Forgot this session's query, price bounds and left-out categories (stored feedback stays).");
            case IntentKind.Profile:
                return ChatReply.Say([.. ProfileLines()]);
            case IntentKind.Recommend:
                _anchor = null;
                if (intent.MaxPrice is not null || intent.MinPrice is not null)
                {
                    (_maxPrice, _minPrice) = (intent.MaxPrice, intent.MinPrice);
                }

                return await ListAsync(null, cancellationToken).ConfigureAwait(false);
            case IntentKind.Query:
                if (intent.Text is not { } text || !await recommendations.UnderstandsAsync(text, cancellationToken).ConfigureAwait(false))
                {
                    return ChatReply.Say($"None of the words in \"{Shorten(intent.Text ?? string.Empty, 60)}\" are known to me, so nothing matches.", "Say what you are looking for in other words, or \"recommend me something\".");
                }

                _query = intent.Text;
                _anchor = null;
                (_maxPrice, _minPrice) = (intent.MaxPrice, intent.MinPrice);
                return await ListAsync(null, cancellationToken).ConfigureAwait(false);
            case IntentKind.ExcludeCategory:
                var term = Stem(intent.Text ?? "");
                if (term.Length < 3)
                {
                    return ChatReply.Say("Which category should I leave out? For example: not the pedals.");
                }

                _excludedCategories.Add(term);
                return await ListAsync($"Leaving out {intent.Text}.", cancellationToken).ConfigureAwait(false);
            case IntentKind.MoreLike:
            {
                if (Pick(intent.Number) is not { } picked)
                {
                    return NoSuchNumber(intent.Number);
                }

                var description = store.FindDescription(picked.Rec.ItemId);
                _anchor = string.Join(", ", new[] { picked.Item?.Title ?? "" }.Concat((description?.Keywords ?? []).Where(k => k.Polarity == Polarity.Liked).Take(5).Select(k => k.Text)).Where(s => s.Length > 0));
                _waved.Add(picked.Rec.ItemId);
                return await ListAsync($"More like #{picked.Rec.Rank}, {Title(picked)}:", cancellationToken).ConfigureAwait(false);
            }

            case IntentKind.Feedback:
            {
                if (Pick(intent.Number) is not { } picked)
                {
                    return NoSuchNumber(intent.Number);
                }

                var kind = intent.Feedback ?? FeedbackKind.NotInterested;
                var said = await RecordAsync(picked, kind, cancellationToken).ConfigureAwait(false);
                return await ListAsync(said, cancellationToken).ConfigureAwait(false);
            }

            case IntentKind.Why:
            {
                if (intent.Number is null && _shown.Count > 0)
                {
                    return ChatReply.Say("Which one? Say for example: why number 2?");
                }

                if (Pick(intent.Number) is not { } picked)
                {
                    return NoSuchNumber(intent.Number);
                }

                return Explain(picked, cancellationToken);
            }

            default:
                return ChatReply.Say(["I didn't get that.", .. HelpLines]);
        }
    }

    private async Task<string> RecordAsync((Recommendation Rec, Item? Item) picked, FeedbackKind kind, CancellationToken cancellationToken)
    {
        var title = Title(picked);

        // Whatever was said about it, the item has been dealt with: it does not come back in this session.
        _waved.Add(picked.Rec.ItemId);

        if (UserId is not null)
        {
            // Stored like `explainer feedback`: the profile changes now; not cancelled half-way.
            var profile = await feedback.ApplyAsync(UserId, picked.Rec.ItemId, kind, CancellationToken.None).ConfigureAwait(false);
            _ = cancellationToken;
            var version = profile is null ? "" : $" (profile version {profile.Version.ToString(CultureInfo.InvariantCulture)})";
            return kind switch
            {
                FeedbackKind.Like => $"Noted: you like {title}; similar items move up{version}.",
                FeedbackKind.Dislike => $"Noted: you don't like {title}; it is gone and items like it move down{version}.",
                _ => $"OK, I won't show {title} again{version}.",
            };
        }

        // A cold session learns in memory: liked keywords join the query, dislikes are left out.
        var keywords = store.FindDescription(picked.Rec.ItemId)?.Keywords.Where(k => k.Polarity == Polarity.Liked).Take(3).Select(k => k.Text) ?? [];
        if (kind == FeedbackKind.Like)
        {
            _likedKeywords.AddRange(keywords.Where(k => !_likedKeywords.Contains(k)));
            return $"Noted: you like {title}.";
        }

        if (kind == FeedbackKind.Dislike)
        {
            _dislikedTitles.Add(title);
        }

        return kind == FeedbackKind.Dislike ? $"Noted: you don't like {title}." : $"OK, I won't show {title} again.";
    }

    private ChatReply Explain((Recommendation Rec, Item? Item) picked, CancellationToken cancellationToken)
    {
        var title = $"Why #{picked.Rec.Rank.ToString(CultureInfo.InvariantCulture)}, {Title(picked)}:";
        if (explanations is null)
        {
            var matched = picked.Rec.MatchedKeywords.Where(m => m.Contribution > 0).Take(3).Select(m => $"\"{m.Keyword}\"").ToList();
            return new ChatReply
            {
                ExplanationTitle = title,
                Lines = [
                    "Explanations are not available in this build yet.",
                    matched.Count > 0 ? $"The ranking matched it to your interests {string.Join(", ", matched)}." : "It ranked high on the ranking signals (no single keyword stood out).",
                ],
            };
        }

        return new ChatReply { ExplanationTitle = title, Explanation = Stream(picked.Rec, cancellationToken) };
    }

    private async IAsyncEnumerable<string> Stream(Recommendation recommendation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (UserId is not null)
        {
            var streamed = false;
            await foreach (var chunk in explanations!.ExplainStreamingAsync(UserId, recommendation, cancellationToken).ConfigureAwait(false))
            {
                if (chunk.Text.Length > 0)
                {
                    yield return chunk.Text;
                }
                else if (chunk.Final is { } final && final.Text.Length > 0 && !streamed)
                {
                    yield return final.Text;
                }

                streamed |= chunk.Text.Length > 0;
            }

            yield break;
        }

        var text = ColdQuery() ?? "popular items";
        var explanation = await explanations!.ExplainQueryAsync(text, recommendation, cancellationToken).ConfigureAwait(false);
        yield return explanation.Text;
    }

    private async Task<ChatReply> ListAsync(string? preface, CancellationToken cancellationToken)
    {
        var ranked = await RankAsync(cancellationToken).ConfigureAwait(false);

        // Cancelled while ranking (which does not check the token): this list is never shown, so it must not become
        // the one "number 2" refers to.
        cancellationToken.ThrowIfCancellationRequested();
        var items = new List<(Recommendation Rec, Item? Item)>();
        foreach (var r in ranked)
        {
            if (_waved.Contains(r.ItemId))
            {
                continue;
            }

            var item = store.FindItem(r.ItemId);
            if (!Allowed(item))
            {
                continue;
            }

            items.Add((r with { Rank = items.Count + 1 }, item));
            if (items.Count == listSize)
            {
                break;
            }
        }

        _shown = items;
        var lines = new List<string>();
        if (preface is not null)
        {
            lines.Add(preface);
        }

        if (items.Count == 0)
        {
            lines.Add("Nothing matches all of that. Try /reset, a higher price bound, or other words.");
        }

        return new ChatReply { Lines = lines, Items = [.. items.Select(x => new ChatItem(x.Rec.Rank, x.Rec.ItemId, Title(x), x.Item?.Price, x.Item?.LeafCategory, Reason(x.Rec)))] };
    }

    private async Task<IReadOnlyList<Recommendation>> RankAsync(CancellationToken cancellationToken)
    {
        var text = ColdQuery();
        if (text is not null)
        {
            var exclude = new HashSet<string>(_waved, StringComparer.Ordinal);
            if (UserId is not null)
            {
                exclude.UnionWith(store.ReviewsByUser(UserId).Select(r => r.ItemId));
                exclude.UnionWith(store.FeedbackByUser(UserId).Select(f => f.ItemId));
            }

            return await recommendations.ForQueryAsync(text, RecommendationService.MaxK, 0, exclude, cancellationToken).ConfigureAwait(false);
        }

        if (UserId is not null)
        {
            return await recommendations.ForUserAsync(UserId, RecommendationService.MaxK, 0, cancellationToken).ConfigureAwait(false);
        }

        return _popular ??= Popular();
    }

    /// <summary>The text a query-based answer ranks for: the session's words, the anchor of "more like", liked keywords.</summary>
    private string? ColdQuery()
    {
        var parts = new[] { _query, _anchor }.Concat(UserId is null ? _likedKeywords : []).Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return parts.Count > 0 ? string.Join(", ", parts) : null;
    }

    /// <summary>Cold start with nothing said yet: well-rated items many people reviewed (shrunk mean rating × log count).</summary>
    private List<Recommendation> Popular()
    {
        var stats = store.Reviews().GroupBy(r => r.ItemId, StringComparer.Ordinal)
            .Select(g => (Item: g.Key, Count: g.Count(), Sum: g.Sum(r => r.Rating)))
            .ToList();
        var mean = stats.Sum(s => s.Sum) / Math.Max(1, stats.Sum(s => s.Count));
        var zero = new ScoreParts(0, 0, 0, 0, 0, 0, 0);
        return [.. stats
            .Select(s => (s.Item, Score: (s.Sum + 10 * mean) / (s.Count + 10) * Math.Log(1 + s.Count)))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Item, StringComparer.Ordinal)
            .Take(RecommendationService.MaxK)
            .Select((s, i) => new Recommendation { Rank = i + 1, ItemId = s.Item, Score = s.Score, Parts = zero })];
    }

    private bool Allowed(Item? item)
    {
        if (_maxPrice is not null && (item?.Price is not { } p || p > _maxPrice))
        {
            return false;
        }

        if (_minPrice is not null && (item?.Price is not { } q || q < _minPrice))
        {
            return false;
        }

        if (_excludedCategories.Count > 0 && item is not null)
        {
            var haystack = string.Join(" | ", item.Categories.Append(item.Title ?? "")).ToLowerInvariant();
            if (_excludedCategories.Any(c => haystack.Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private string Reason(Recommendation r)
    {
        var matched = r.MatchedKeywords.Where(m => m.Contribution > 0 && m.Polarity == Polarity.Liked).OrderByDescending(m => m.Contribution).Take(2).Select(m => $"\"{Shorten(m.Keyword, 40)}\"").ToList();
        if (matched.Count > 0)
        {
            return (UserId is not null && ColdQuery() is null ? "matches your interest in " : "matches ") + string.Join(" and ", matched);
        }

        if (ColdQuery() is { } q)
        {
            return $"close to \"{Shorten(q, 40)}\"";
        }

        return UserId is null ? "popular and well rated" : "people with your history liked it";
    }

    private IEnumerable<string> ProfileLines()
    {
        if (UserId is not null && store.FindProfile(UserId) is { } p)
        {
            yield return $"Interest profile of {UserId} (version {p.Version.ToString(CultureInfo.InvariantCulture)}):";
            foreach (var t in p.Topics.Take(6))
            {
                yield return $"  topic {t.Label}: {string.Join(", ", t.Keywords.Take(6))}";
            }

            var likes = p.Keywords.Where(k => k.Polarity == Polarity.Liked).Take(10).Select(k => k.Text).ToList();
            var dislikes = p.Keywords.Where(k => k.Polarity == Polarity.Disliked).Take(5).Select(k => k.Text).ToList();
            yield return "  likes: " + (likes.Count > 0 ? string.Join(", ", likes) : "(none yet)");
            if (dislikes.Count > 0)
            {
                yield return "  dislikes: " + string.Join(", ", dislikes);
            }
        }
        else
        {
            yield return UserId is null ? "No stored profile: this session started cold." : $"User {UserId} has no stored profile yet.";
            if (_likedKeywords.Count > 0)
            {
                yield return "  liked in this session: " + string.Join(", ", _likedKeywords);
            }

            if (_dislikedTitles.Count > 0)
            {
                yield return "  disliked in this session: " + string.Join(", ", _dislikedTitles);
            }
        }

        if (_query is not null)
        {
            yield return $"  looking for: {_query}";
        }

        if (_maxPrice is not null || _minPrice is not null)
        {
            yield return $"  price: {(_minPrice is { } lo ? "from $" + lo.ToString("0.##", CultureInfo.InvariantCulture) + " " : "")}{(_maxPrice is { } hi ? "up to $" + hi.ToString("0.##", CultureInfo.InvariantCulture) : "")}".TrimEnd();
        }

        if (_excludedCategories.Count > 0)
        {
            yield return "  leaving out: " + string.Join(", ", _excludedCategories);
        }
    }

    private (Recommendation Rec, Item? Item)? Pick(int? number)
    {
        if (_shown.Count == 0 || number is null)
        {
            return null;
        }

        var n = number == -1 ? _shown.Count : number.Value;
        return n >= 1 && n <= _shown.Count ? _shown[n - 1] : null;
    }

    private ChatReply NoSuchNumber(int? number) => _shown.Count == 0
        ? ChatReply.Say("There is no list yet: say \"recommend me something\" first.")
        : ChatReply.Say(number is null
            ? "Which one? Use its number, e.g. \"number 2\"."
            : $"There is no #{number.Value.ToString(CultureInfo.InvariantCulture)}: the list has {_shown.Count.ToString(CultureInfo.InvariantCulture)} items.");

    private static string Title((Recommendation Rec, Item? Item) x) => Shorten(x.Item?.Title ?? x.Rec.ItemId, 80);

    private static string Shorten(string s, int max) => s.Length <= max ? s : string.Concat(s.AsSpan(0, max - 1), "…");

    /// <summary>"pedals" and "pedal" leave out the same items.</summary>
    private static string Stem(string term)
    {
        var t = term.Trim().ToLowerInvariant();
        return t.EndsWith("es", StringComparison.Ordinal) && t.Length > 4 && (t.EndsWith("ches", StringComparison.Ordinal) || t.EndsWith("shes", StringComparison.Ordinal) || t.EndsWith("xes", StringComparison.Ordinal)) ? t[..^2]
            : t.EndsWith('s') && !t.EndsWith("ss", StringComparison.Ordinal) && t.Length > 3 ? t[..^1] : t;
    }
}
