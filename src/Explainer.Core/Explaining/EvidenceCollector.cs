using System.Globalization;
using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Explainer.Core.Text;

namespace Explainer.Core.Explaining;

/// <summary>
/// Gathers the evidence for one recommendation from what the request already read (<see cref="RecommendationResult"/>:
/// no store access): for each of the ranking's reasons, in order, what supports it. Collaborative: the user's items that
/// add most, with co-reviewer counts and, when they liked one, their own sentence about it. Content: aspect links
/// (the user's positive sentence about an aspect and a reviewer's positive sentence about the same aspect of this
/// item, the explicit-factor way), else the user's reviewed items nearest in meaning. Popularity: review count and mean
/// rating. Query: the words matched and a reviewer's praise. Sentences that try to instruct a model, links, user
/// sentences that claim a price, and user sentences already quoted twice in the list (<see cref="QuoteBudget"/>) are left out.
/// </summary>
public static class EvidenceCollector
{
    /// <summary>Lowest quality (shrunk mean sentiment, -1..1) an item needs on an aspect for "its reviewers praise it".</summary>
    public const double MinQuality = 0.2;

    /// <summary>Positive mentions by other reviewers an item needs on an aspect for it to be praised.</summary>
    public const int MinPositive = 2;

    public const int MaxFeatures = 3;

    /// <summary>Tags offered to the writer (those more items share first).</summary>
    public const int MaxTags = 12;

    /// <summary>Items that must share a tag before it describes one: a tag on one film alone is one person's note.</summary>
    public const int MinTagItems = 2;

    public const int MaxLinks = 2;

    /// <summary>How positive a sentence must be to be quoted as liking something (a neutral "for my guitar" is not praise).</summary>
    public const double MinPraise = 0.3;

    public static ExplanationEvidence Collect(RecommendationResult result, int index, QuoteBudget? budget = null)
    {
        // A working copy: what this explanation picks counts at once (one sentence is not quoted twice in it); the
        // caller's budget counts what the written text really quotes.
        budget = budget?.Copy() ?? new QuoteBudget();
        var row = result.Items[index];
        var item = row.Item;
        var recommendation = row.Recommendation;
        var profile = result.Profile;
        var pieces = new Pieces();

        var kinds = new KindFilter(result.ProductKinds, item);
        var reasons = new List<StatedReason>();
        foreach (var (reason, i) in recommendation.Reasons.Select((r, i) => (r, i)))
        {
            var id = "r" + (i + 1).ToString(CultureInfo.InvariantCulture);
            reasons.Add(reason.Kind switch
            {
                ReasonKind.Collaborative => new StatedReason(id, reason.Kind, reason.Share) { History = History(reason, result, item, pieces, budget) },
                ReasonKind.Content => new StatedReason(id, reason.Kind, reason.Share)
                {
                    Links = profile is null ? [] : Links(profile.Profile, row.Description, kinds, pieces, budget, SameKindPraise(result, item)),
                    Similar = [.. reason.Similar.Where(s => result.Referenced.ContainsKey(s.ItemId) && s.Similarity > 0.3)
                        .Select(s => (pieces.History(s.ItemId, ItemName.For(result.Referenced[s.ItemId]).Short), ItemName.For(result.Referenced[s.ItemId]), s.Similarity))],
                },
                ReasonKind.Query => new StatedReason(id, reason.Kind, reason.Share)
                {
                    MatchedWords = reason.MatchedWords,
                    ItemPraise = Praise(row.Description, reason.MatchedWords, kinds, pieces),
                },
                _ => new StatedReason(id, reason.Kind, reason.Share) { Reviewers = reason.Reviewers, MeanRating = reason.MeanRating },
            });
        }

        var matches = Matches(recommendation, profile?.Profile, pieces, budget);
        AddFacts(item, row.Description, result.Tags, pieces);

        // Two items with one short name ("Planet Waves Classic Series Instrument Cable"): this one is called by more of its title.
        var name = ItemName.For(item);
        if (reasons.SelectMany(r => r.History.Select(h => h.Name.Short).Concat(r.Similar.Select(x => x.Name.Short))).Contains(name.Short, StringComparer.OrdinalIgnoreCase))
        {
            name = ItemName.For(item, words: 12);
        }

        return new ExplanationEvidence
        {
            ItemId = item.Id,
            UserId = profile?.UserId,
            Query = result.Query,
            Name = name,
            Verb = profile is { Reviews.Count: > 0 } snapshot && snapshot.Reviews.All(r => string.IsNullOrWhiteSpace(r.Text)) ? HistoryVerbs.Rated : HistoryVerbs.Reviewed,
            Item = item,
            Reasons = reasons,
            Praise = reasons.Select(r => r.ItemPraise).OfType<AspectLink>().FirstOrDefault() ?? Praise(row.Description, [], kinds, pieces, Choice(profile?.UserId)),
            Matches = matches,
            Pieces = pieces.All,
            Position = index,
        };
    }

    private static List<HistoryEvidence> History(Reason reason, RecommendationResult result, Item item, Pieces pieces, QuoteBudget budget)
    {
        var candidates = new List<(HistoryLink Link, Item Item, Review? Review, double Relatedness)>();
        foreach (var link in reason.History)
        {
            if (result.Referenced.TryGetValue(link.ItemId, out var historyItem))
            {
                candidates.Add((link, historyItem, result.Profile?.Reviews.FirstOrDefault(r => r.ItemId == link.ItemId), Relatedness(historyItem, item)));
            }
        }

        // Pieces only for the items kept (the anchor and the next ones): a prompt carries no evidence it cannot use.
        var list = new List<HistoryEvidence>();
        foreach (var (link, historyItem, review, relatedness) in Anchored(candidates).Take(MaxHistory))
        {
            var name = ItemName.For(historyItem);
            var verb = review is not null && string.IsNullOrWhiteSpace(review.Text) ? HistoryVerbs.Rated : HistoryVerbs.Reviewed;
            var yours = review is null ? string.Empty : $"you {verb} it {HistoryEvidence.StarsOf(review.Rating)} of 5; ";
            var piece = pieces.History(link.ItemId, $"{name.Short}: {yours}{link.CoReviewers} of the {Math.Max(0, link.Reviewers - 1)} other people who {verb} it also {verb} this item");
            var (said, quote) = result.Profile is { } p ? WhatTheySaid(p, link.ItemId, pieces, budget) : (null, null);
            list.Add(new HistoryEvidence(piece, name, link, said, quote)
            {
                Verb = verb,
                Rating = review?.Rating,
                Genres = historyItem.Attributes.TryGetValue("genre", out var genres) ? [.. genres.Where(Genres.IsTaste)] : [],
                Relatedness = relatedness,
            });
        }

        return list;
    }

    /// <summary>History items an explanation's evidence carries (of the ranking's up to five).</summary>
    public const int MaxHistory = 3;

    /// <summary>A history item named first must add at least this share of what the top one adds.</summary>
    public const double AnchorShare = 0.25;

    /// <summary>
    /// The history items in the order the text may name them. First, among those adding at least <see cref="AnchorShare"/>
    /// of the top one, the one the user liked and that is most like this item (their 5-star pick holder for picks, not a
    /// 3-star pedal for tuning pegs); naming a lesser contributor stays true, it does add to the score, and the text never
    /// calls it the main one. An item the user rated 1 or 2 stars is no "because you liked it" and is left out (the text
    /// then speaks of the history as a whole when nothing else is left).
    /// </summary>
    private static List<(HistoryLink Link, Item Item, Review? Review, double Relatedness)> Anchored(List<(HistoryLink Link, Item Item, Review? Review, double Relatedness)> list)
    {
        if (list.Count == 0)
        {
            return list;
        }

        // The share is measured against the top contributor, liked or not: a sliver is never named as the reason.
        var top = list.Max(h => h.Link.Contribution);
        list = [.. list.Where(h => (h.Review is null || h.Review.Rating >= 3) && h.Link.Contribution >= AnchorShare * top)];
        if (list.Count == 0)
        {
            return list;
        }

        var anchor = list.MaxBy(h => h.Link.Contribution / top * Liking(h.Review?.Rating) * (0.5 + (0.5 * h.Relatedness)));
        return [anchor, .. list.Where(h => !ReferenceEquals(h.Link, anchor.Link))];
    }

    /// <summary>How well a history item serves as "because you liked it": by the user's own stars.</summary>
    private static double Liking(double? rating) => rating switch
    {
        null => 0.6,
        >= 4 => 1,
        >= 3 => 0.35,
        _ => 0.1,
    };

    /// <summary>0..1: 1 for the same leaf category, 0.8 for the same kind of thing, else the share of genres in common.</summary>
    private static double Relatedness(Item history, Item item)
    {
        if (history.LeafCategory is { } leaf && string.Equals(leaf, item.LeafCategory, StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        if (ProductKinds.HeadsOf(history).Overlaps(ProductKinds.HeadsOf(item)))
        {
            return 0.8;
        }

        var a = history.Attributes.TryGetValue("genre", out var ga) ? ga.Where(Genres.IsTaste).ToHashSet(StringComparer.OrdinalIgnoreCase) : [];
        var b = item.Attributes.TryGetValue("genre", out var gb) ? gb.Where(Genres.IsTaste).ToHashSet(StringComparer.OrdinalIgnoreCase) : [];
        return a.Count == 0 || b.Count == 0 ? 0 : (double)a.Intersect(b).Count() / a.Union(b).Count();
    }

    /// <summary>The user's own positive sentence about a reviewed item (an aspect sentence of that review with an opinion, not a comparison); none rather than a summary that praises nothing ("Find a stud").</summary>
    private static (EvidencePiece? Piece, string? Quote) WhatTheySaid(ProfileSnapshot profile, string itemId, Pieces pieces, QuoteBudget budget)
    {
        var review = profile.Reviews.FirstOrDefault(r => r.ItemId == itemId);
        if (review is null || review.Rating < 4)
        {
            return (null, null);
        }

        // Only sentences that say something good (an opinion, not a mention): what they liked about it.
        var candidates = profile.Profile.Aspects.SelectMany(a => a.Evidence).Where(e => e.ReviewId == review.Id && e.Sentiment >= MinPraise)
            .OrderByDescending(e => Quotes.FitsWhole(e.Sentence, e.Phrase, 14)).ThenByDescending(e => e.Sentiment).Select(e => (e.Sentence, e.Phrase));
        foreach (var (sentence, phrase) in candidates)
        {
            // A comparison praises something else ("The Snark was the better of the three") more often than the item.
            if (Quotable(sentence, user: true) && !Compares(sentence) && budget.Allows(sentence) && Quotes.ClauseAround(sentence, phrase, 14) is { Length: > 0 } clause && Plain(sentence, phrase))
            {
                budget.Use(sentence);
                return (pieces.User(sentence, phrase, review.Id), clause);
            }
        }

        return (null, null);
    }

    /// <summary>A phrase about this item's kind or about a quality passes; one about other gear ("the Ernie Ball strings" on a tuner) does not.</summary>
    private sealed class KindFilter(ProductKinds kinds, Item item)
    {
        private readonly IReadOnlySet<string> _heads = ProductKinds.HeadsOf(item); // once per explanation, not per phrase

        public bool Fits(string phrase) => kinds.KindOf(phrase) is not { } kind || _heads.Contains(kind);

        /// <summary>A quality ("tone"), not a thing: the text may name it ("its tone").</summary>
        public bool IsQuality(string phrase) => kinds.KindOf(phrase) is null;
    }

    /// <summary>
    /// Whether a user's sentence (by its review id) may back a content link to <paramref name="item"/>: it comes from a
    /// review they rated 4 or 5 of an item of the same kind ("great attack" said of picks is no reason for strings, and a
    /// kind word in a 3-star review often leads into "but").
    /// </summary>
    private static Func<string, bool> SameKindPraise(RecommendationResult result, Item item)
    {
        var reviews = result.Profile?.Reviews.DistinctBy(r => r.Id).ToDictionary(r => r.Id, StringComparer.Ordinal) ?? [];
        return reviewId => reviews.TryGetValue(reviewId, out var review) && review.Rating >= 4
            && result.Reviewed.TryGetValue(review.ItemId, out var reviewed) && Relatedness(reviewed, item) >= 0.8;
    }

    /// <summary>Aspects the user is positive about and the item's reviewers praise, strongest first.</summary>
    private static List<AspectLink> Links(InterestProfile profile, ItemDescription? description, KindFilter kinds, Pieces pieces, QuoteBudget budget, Func<string, bool> fromPraise)
    {
        if (description is null)
        {
            return [];
        }

        var itemAspects = description.Aspects.Where(a => a.Score >= MinQuality && a.Positive >= MinPositive).ToDictionary(a => a.Aspect, StringComparer.Ordinal);
        var links = new List<(AspectLink Link, double Strength)>();
        foreach (var mine in profile.Aspects.Where(a => a.Positive > 0 && itemAspects.ContainsKey(a.Aspect)))
        {
            // Both sides with an opinion, and the reviewer's about this item, not about their own gear ("my guitar sounds great").
            var theirs = itemAspects[mine.Aspect];
            // Sentences quoted whole read better than cut ones ("... far they have proven"): those first.
            var userSaid = mine.Evidence.OrderByDescending(e => Quotes.FitsWhole(e.Sentence, e.Phrase, 14)).FirstOrDefault(e => e.Sentiment >= MinPraise && fromPraise(e.ReviewId) && Quotable(e.Sentence, user: true) && Plain(e.Sentence, e.Phrase) && budget.Allows(e.Sentence) && !budget.UsedHere(e.Sentence) && Quotes.IndexOfWords(e.Sentence, e.Phrase) >= 0 && kinds.Fits(e.Phrase));
            var ownReviews = profile.UserId + "|";
            var itemSaid = theirs.Evidence.OrderByDescending(e => Quotes.FitsWhole(e.Sentence, e.Phrase, 14)).FirstOrDefault(e => e.Sentiment >= MinPraise && !e.ReviewId.StartsWith(ownReviews, StringComparison.Ordinal) && Quotable(e.Sentence, user: false) && Plain(e.Sentence, e.Phrase)
                && Quotes.IndexOfWords(e.Sentence, e.Phrase) >= 0 && !OwnGear(e.Sentence, e.Phrase) && kinds.Fits(e.Phrase));
            if (userSaid is null || itemSaid is null)
            {
                continue;
            }

            var link = new AspectLink(mine.Aspect, itemSaid.Phrase, pieces.User(userSaid.Sentence, userSaid.Phrase, userSaid.ReviewId), userSaid.Phrase,
                pieces.Item(itemSaid.Sentence, itemSaid.Phrase, itemSaid.ReviewId), itemSaid.Phrase, theirs.Score)
            {
                Nameable = kinds.IsQuality(itemSaid.Phrase) && kinds.IsQuality(userSaid.Phrase),
            };
            links.Add((link, mine.Score * theirs.Score));
        }

        // One user sentence backs at most one link here, and counts against the list's budget at once.
        var chosen = new List<AspectLink>();
        foreach (var (link, _) in links.OrderByDescending(l => l.Strength).ThenBy(l => l.Link.Aspect, StringComparer.Ordinal))
        {
            if (chosen.Count < MaxLinks && budget.Allows(link.User.Text))
            {
                budget.Use(link.User.Text);
                chosen.Add(link);
            }
        }

        return chosen;
    }

    /// <summary>The clause that would be quoted says it plainly: no hedge, condition or turn (<see cref="Quotes.IsHedged"/>).</summary>
    private static bool Plain(string sentence, string phrase) =>
        Quotes.ClauseAround(sentence, phrase, int.MaxValue) is { } whole && !Quotes.IsHedged(whole) && !Quotes.IsHedged(Quotes.QuotedPart(sentence, phrase)); // a cut must not hide an "if" 

    private static bool Compares(string sentence) =>
        Quotes.Words(sentence).Any(w => w.Equals("than", StringComparison.OrdinalIgnoreCase) || w.Equals("better", StringComparison.OrdinalIgnoreCase));

    /// <summary>"my guitar", "our amp": the writer's own gear, not the item reviewed.</summary>
    private static bool OwnGear(string sentence, string phrase)
    {
        var at = Quotes.IndexOfWords(sentence, phrase);
        var before = at > 0 ? sentence[..at].TrimEnd() : string.Empty;
        var words = Quotes.Words(before).TakeLast(3).ToList();
        return words.Contains("my") || words.Contains("our") || words.Contains("mine");
    }

    /// <summary>A number fixed per user: which of an item's first five praising sentences this user sees (not all users the same one).</summary>
    private static int Choice(string? userId) => userId is null ? 0 : (int)(userId.Aggregate(17u, (h, c) => unchecked((h * 31) + c)) % 5);

    /// <summary>A reviewer's plain positive sentence about what a query asks for, else about the item's best aspect (the <paramref name="choice"/>-th of the first five).</summary>
    private static AspectLink? Praise(ItemDescription? description, IReadOnlyList<string> words, KindFilter kinds, Pieces pieces, int choice = 0)
    {
        if (description is null)
        {
            return null;
        }

        var praised = description.Aspects.Where(a => a.Score >= MinQuality && a.Positive >= MinPositive).ToList();
        var wanted = praised.FirstOrDefault(a => a.Evidence.Any(e => words.Any(w => Quotes.IndexOfWords(e.Phrase, w) >= 0))) ?? praised.OrderByDescending(a => a.Score * a.Positive).FirstOrDefault();
        var fit = wanted?.Evidence.Where(e => e.Sentiment >= MinPraise && Quotable(e.Sentence, user: false) && Plain(e.Sentence, e.Phrase) && Quotes.IndexOfWords(e.Sentence, e.Phrase) >= 0 && !OwnGear(e.Sentence, e.Phrase) && kinds.Fits(e.Phrase))
            .OrderByDescending(e => Quotes.FitsWhole(e.Sentence, e.Phrase, 14)).Take(5).ToList() ?? [];
        var said = fit.Count == 0 ? null : fit[choice % fit.Count];
        if (wanted is null || said is null)
        {
            return null;
        }

        var piece = pieces.Item(said.Sentence, said.Phrase, said.ReviewId);
        return new AspectLink(wanted.Aspect, said.Phrase, piece, said.Phrase, piece, said.Phrase, wanted.Score) { Nameable = kinds.IsQuality(said.Phrase) };
    }

    /// <summary>The matched keywords with the user's sentence for each (for the LLM prompt and the feature-match metric).</summary>
    private static List<KeywordMatch> Matches(Recommendation recommendation, InterestProfile? profile, Pieces pieces, QuoteBudget budget)
    {
        var keywords = profile?.Keywords.ToDictionary(k => k.Text, StringComparer.OrdinalIgnoreCase) ?? [];
        var list = new List<KeywordMatch>();
        foreach (var m in recommendation.MatchedKeywords.Where(m => m.Polarity == Polarity.Liked && m.Contribution > 0))
        {
            EvidencePiece? user = null;
            string? phrase = null;
            if (keywords.TryGetValue(m.Keyword, out var keyword)
                && keyword.Evidence.FirstOrDefault(e => Quotable(e.Sentence, user: true) && budget.Allows(e.Sentence) && Quotes.IndexOfWords(e.Sentence, keyword.Text) >= 0) is { } e)
            {
                var at = Quotes.IndexOfWords(e.Sentence, keyword.Text);
                phrase = e.Sentence.Substring(at, keyword.Text.Length);
                user = pieces.User(e.Sentence, keyword.Text, e.ReviewId);
            }

            list.Add(new KeywordMatch(m.Keyword, m.Polarity, m.Contribution, m.Similarity, phrase, user, null, null));
        }

        return list;
    }

    /// <summary>Fit to quote: not written to steer a model, no link, and no price claim, which only the price fact may make.</summary>
    private static bool Quotable(string sentence, bool user) =>
        !UntrustedText.IsUnfit(sentence) && !Quotes.HasPriceClaim(sentence) && Quotes.Words(sentence).Count() >= (user ? 2 : 3);

    private static void AddFacts(Item item, ItemDescription? description, TagVocabulary vocabulary, Pieces pieces)
    {
        if (!string.IsNullOrWhiteSpace(item.Title) && !UntrustedText.IsUnfit(item.Title))
        {
            pieces.Fact("f:title", item.Title);
        }

        if (item.LeafCategory is { Length: > 0 } leaf)
        {
            pieces.Fact("f:category", leaf);
        }

        // Genres and the tags people put on it (MovieLens): what the item is about when nobody wrote a review.
        if (item.Attributes.TryGetValue("genre", out var genres) && genres.Count > 0)
        {
            pieces.Fact("f:genres", string.Join(", ", genres));
        }

        if (item.Attributes.TryGetValue("tag", out var tags) && vocabulary.Ordered(tags.Where(t => !UntrustedText.IsUnfit(t) && vocabulary.Items(t) >= MinTagItems)).Take(MaxTags).ToList() is { Count: > 0 } fit)
        {
            pieces.Fact("f:tags", string.Join(" | ", fit));
        }

        if (item.Brand is { Length: > 0 } brand && !UntrustedText.IsUnfit(brand))
        {
            pieces.Fact("f:brand", brand);
        }

        if (item.Price is { } price)
        {
            pieces.Fact("f:price", "$" + price.ToString("0.00", CultureInfo.InvariantCulture));
        }

        if (description is { Reviews: > 0 } d)
        {
            pieces.Fact("f:reviews", $"{d.Reviews} reviews, average rating {d.MeanRating.ToString("0.0", CultureInfo.InvariantCulture)} of 5");
        }

        if (item.Attributes.TryGetValue("feature", out var features))
        {
            foreach (var (f, i) in features.Where(f => !UntrustedText.IsUnfit(f)).Take(MaxFeatures).Select((f, i) => (f, i)))
            {
                pieces.Fact($"f:feature{i + 1}", f.Length > 160 ? f[..160] : f);
            }
        }
    }

    /// <summary>The evidence list being built: one piece per distinct text, numbered per kind.</summary>
    private sealed class Pieces
    {
        private readonly Dictionary<string, EvidencePiece> _byText = new(StringComparer.Ordinal);

        public List<EvidencePiece> All { get; } = [];

        public EvidencePiece User(string sentence, string? keyword, string reviewId) => Add(EvidenceKind.UserSentence, "u", sentence, keyword, reviewId);

        public EvidencePiece Item(string sentence, string? keyword, string reviewId) => Add(EvidenceKind.ItemSentence, "i", sentence, keyword, reviewId);

        public EvidencePiece History(string itemId, string text) => Add(EvidenceKind.HistoryItem, "h", text, null, itemId);

        public void Fact(string id, string text) => All.Add(new EvidencePiece(id, EvidenceKind.ItemFact, text));

        private EvidencePiece Add(EvidenceKind kind, string prefix, string text, string? keyword, string? reviewId)
        {
            var key = prefix + "|" + text;
            if (_byText.TryGetValue(key, out var existing))
            {
                return existing;
            }

            var piece = new EvidencePiece($"{prefix}{All.Count(p => p.Kind == kind) + 1}", kind, text, keyword, reviewId);
            All.Add(piece);
            _byText[key] = piece;
            return piece;
        }
    }
}

/// <summary>
/// How often each of the user's sentences has been quoted in one list of explanations: at most <see cref="Max"/>
/// times, so ten explanations do not lean on the same sentence.
/// </summary>
public sealed class QuoteBudget
{
    public const int Max = 2;

    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _here = new(StringComparer.Ordinal);

    public bool Allows(string sentence) => _uses.GetValueOrDefault(Key(sentence)) < Max;

    public void Use(string sentence)
    {
        _uses[Key(sentence)] = _uses.GetValueOrDefault(Key(sentence)) + 1;
        _here.Add(Key(sentence));
    }

    /// <summary>Quoted since this copy was made (in the explanation being built): one text never quotes a sentence twice.</summary>
    public bool UsedHere(string sentence) => _here.Contains(Key(sentence));

    public int Uses(string sentence) => _uses.GetValueOrDefault(Key(sentence));

    public QuoteBudget Copy()
    {
        var copy = new QuoteBudget();
        foreach (var (key, n) in _uses)
        {
            copy._uses[key] = n;
        }

        return copy;
    }

    private static string Key(string sentence) => string.Join(' ', Quotes.Words(sentence));
}
