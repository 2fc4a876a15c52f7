using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Recommending;

namespace Explainer.Core.Conversation;

/// <summary>
/// One chat conversation: understands a line (<see cref="IIntentParser"/>), keeps the session's constraints, and asks
/// <see cref="RecommendationService"/> for a list with them as a <see cref="RecommendationRequest"/> (so filters apply
/// before the top k, and a search returns what matches); feedback goes through <see cref="FeedbackService"/> and
/// changes the next answer at once. "Why number N" explains the shown list's item N from the same result; "more like
/// number N" ranks for items like it. Words are the front end's: replies are events with their data.
/// </summary>
public sealed class ChatSession(RecommendationService recommendations, FeedbackService feedback, IIntentParser parser, IExplanationService? explanations, string? userId = null, int listSize = 10)
{
    private readonly HashSet<string> _dealtWith = new(StringComparer.Ordinal);
    private ChatConstraints _constraints = new();
    private string? _likeItemId;
    private RecommendationResult? _shown;

    public string? UserId { get; } = userId;

    /// <summary>The list last shown (item ids by rank).</summary>
    public IReadOnlyList<string> Shown => [.. (_shown?.Items ?? []).Select(i => i.Item.Id)];

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
        catch (QueryNotUnderstoodException)
        {
            _constraints = _constraints with { Query = null }; // nothing of it can be used, so it must not stick
            return Reply(ChatEvent.UnknownWords) with { Subject = intent.Text };
        }
    }

    private async Task<ChatReply> HandleAsync(ChatIntent intent, CancellationToken cancellationToken)
    {
        switch (intent.Kind)
        {
            case IntentKind.Quit:
                return Reply(ChatEvent.Quit);
            case IntentKind.Help:
                return Reply(ChatEvent.Help);
            case IntentKind.Reset:
                _constraints = _constraints with { Query = null, LikeTitle = null, MaxPrice = null, MinPrice = null, LeftOut = [] };
                _likeItemId = null;
                _shown = null;
                return Reply(ChatEvent.Reset);
            case IntentKind.Profile:
                return Reply(ChatEvent.Profile) with { Profile = (_shown ?? await RankAsync(cancellationToken).ConfigureAwait(false)).Profile?.Profile };
            case IntentKind.Recommend:
                // "Recommend me something" after a search asks for the user's own list again; price bounds and left-out categories stay.
                (_likeItemId, _constraints) = (null, _constraints with { Query = null, LikeTitle = null });
                if (intent.MaxPrice is not null || intent.MinPrice is not null)
                {
                    _constraints = _constraints with { MaxPrice = intent.MaxPrice, MinPrice = intent.MinPrice };
                }

                return await ListAsync(ChatEvent.Listed, null, cancellationToken).ConfigureAwait(false);
            case IntentKind.Query:
                // Judged on its own words: phrases liked earlier in a cold session are added to it, and must not hide that it is gibberish.
                if (!await recommendations.UnderstandsAsync(intent.Text ?? string.Empty, cancellationToken).ConfigureAwait(false))
                {
                    throw new QueryNotUnderstoodException(intent.Text ?? string.Empty);
                }

                (_likeItemId, _constraints) = (null, _constraints with { Query = intent.Text, LikeTitle = null, MaxPrice = intent.MaxPrice, MinPrice = intent.MinPrice });
                return await ListAsync(ChatEvent.Listed, null, cancellationToken).ConfigureAwait(false);
            case IntentKind.ExcludeCategory:
                var term = Singular(intent.Text ?? string.Empty);
                if (term.Length < 3)
                {
                    return Reply(ChatEvent.WhichCategory);
                }

                _constraints = _constraints with { LeftOut = [.. _constraints.LeftOut, term] };
                return await ListAsync(ChatEvent.LeftOut, intent.Text, cancellationToken).ConfigureAwait(false);
            case IntentKind.MoreLike when Pick(intent.Number) is { } anchor:
                (_likeItemId, _constraints) = (anchor.Item.Id, _constraints with { Query = null, LikeTitle = anchor.Item.Title ?? anchor.Item.Id });
                _dealtWith.Add(anchor.Item.Id);
                return await ListAsync(ChatEvent.MoreLike, anchor.Item.Title ?? anchor.Item.Id, cancellationToken).ConfigureAwait(false);
            case IntentKind.Feedback when Pick(intent.Number) is { } picked:
                return await RecordAsync(picked, intent.Feedback ?? FeedbackKind.NotInterested, cancellationToken).ConfigureAwait(false);
            case IntentKind.Why when intent.Number is null && _shown is not null:
                return Reply(ChatEvent.WhichOne);
            case IntentKind.Why when Pick(intent.Number) is { } why:
                var index = _shown!.Items.ToList().IndexOf(why);
                return Reply(ChatEvent.Why) with { Subject = why.Item.Title ?? why.Item.Id, Number = index + 1, List = _shown, Explanation = explanations is null ? null : Stream(_shown, index, cancellationToken) };
            case IntentKind.MoreLike or IntentKind.Feedback or IntentKind.Why:
                return Reply(_shown is null ? ChatEvent.NoList : ChatEvent.NoSuchNumber) with { Number = intent.Number };
            default:
                return Reply(ChatEvent.NotUnderstood);
        }
    }

    private async Task<ChatReply> RecordAsync(RecommendedItem picked, FeedbackKind kind, CancellationToken cancellationToken)
    {
        // Whatever was said about it, the item has been dealt with: it does not come back in this session.
        _dealtWith.Add(picked.Item.Id);
        var title = picked.Item.Title ?? picked.Item.Id;
        int? version = null;
        if (UserId is not null)
        {
            // Stored like `explainer feedback`: the profile changes now; not cancelled half-way.
            version = (await feedback.ApplyAsync(UserId, picked.Item.Id, kind, CancellationToken.None).ConfigureAwait(false))?.Version;
        }
        else if (kind == FeedbackKind.Like)
        {
            // A cold session learns in memory: the liked item's phrases join what is searched for.
            var phrases = (picked.Description?.Keywords ?? []).Where(k => k.Polarity == Polarity.Liked).Take(3).Select(k => k.Text);
            _constraints = _constraints with { LikedInSession = [.. _constraints.LikedInSession.Union(phrases, StringComparer.Ordinal)] };
        }
        else if (kind == FeedbackKind.Dislike)
        {
            _constraints = _constraints with { DislikedInSession = [.. _constraints.DislikedInSession, title] };
        }

        var said = kind switch { FeedbackKind.Like => ChatEvent.Liked, FeedbackKind.Dislike => ChatEvent.Disliked, _ => ChatEvent.NotInterested };
        return await ListAsync(said, title, cancellationToken).ConfigureAwait(false) with { ProfileVersion = version };
    }

    private async IAsyncEnumerable<string> Stream(RecommendationResult result, int index, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One piece: explanations are shown once verified, never as drafts.
        var explanation = await explanations!.ExplainAsync(result, index, cancellationToken).ConfigureAwait(false);
        yield return explanation.Text;
    }

    private async Task<ChatReply> ListAsync(ChatEvent happened, string? subject, CancellationToken cancellationToken)
    {
        var result = await RankAsync(cancellationToken).ConfigureAwait(false);

        // Cancelled while ranking (which does not check the token): this list is never shown, so it must not become the one "number 2" refers to.
        cancellationToken.ThrowIfCancellationRequested();
        _shown = result;
        return Reply(happened) with { Subject = subject, List = result };
    }

    private Task<RecommendationResult> RankAsync(CancellationToken cancellationToken)
    {
        var liked = UserId is null ? _constraints.LikedInSession : [];
        var query = string.Join(", ", new[] { _constraints.Query }.Concat(liked).Where(p => !string.IsNullOrWhiteSpace(p)));
        return recommendations.RecommendAsync(new RecommendationRequest
        {
            UserId = UserId,
            Query = query.Length > 0 ? query : null,
            LikeItemId = query.Length > 0 ? null : _likeItemId,
            K = listSize,
            MaxPrice = _constraints.MaxPrice,
            MinPrice = _constraints.MinPrice,
            ExcludeCategories = _constraints.LeftOut,
            ExcludeItems = _dealtWith,
        }, cancellationToken);
    }

    private RecommendedItem? Pick(int? number)
    {
        var items = _shown?.Items ?? [];
        var n = number == -1 ? items.Count : number ?? 0;
        return n >= 1 && n <= items.Count ? items[n - 1] : null;
    }

    private ChatReply Reply(ChatEvent happened) => new(happened) { Constraints = _constraints, List = happened == ChatEvent.Listed ? _shown : null };

    /// <summary>"pedals" and "pedal" leave out the same items.</summary>
    private static string Singular(string term)
    {
        var t = term.Trim().ToLowerInvariant();
        return t.EndsWith("es", StringComparison.Ordinal) && t.Length > 4 && (t.EndsWith("ches", StringComparison.Ordinal) || t.EndsWith("shes", StringComparison.Ordinal) || t.EndsWith("xes", StringComparison.Ordinal)) ? t[..^2]
            : t.EndsWith('s') && !t.EndsWith("ss", StringComparison.Ordinal) && t.Length > 3 ? t[..^1] : t;
    }
}
