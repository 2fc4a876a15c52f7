using System.Globalization;
using Explainer.Core.Conversation;
using Explainer.Core.Domain;

namespace Explainer.Cli.Commands;

/// <summary>The chat's words: help, and what each event says. The session decides what happens; this says it.</summary>
internal static class ChatTexts
{
    public static IReadOnlyList<string> HelpLines { get; } =
    [
        "Ask in your own words, for example:",
        "  recommend me something            a list from your profile (or what you told me)",
        "  a cheap tuner for my ukulele      a search, with a price bound (cheap = under $25, or 'under $40')",
        "  more like number 2                items like #2",
        "  not the pedals                    leave a category out",
        "  why number 1?                     the full explanation of #1",
        "  I like number 2 / I don't like number 3 / not the first one   feedback, stored at once",
        "  /profile  your interests    /reset  forget this session's constraints    /help    /quit",
    ];

    public static IEnumerable<string> Lines(ChatReply reply)
    {
        var subject = Shorten(reply.Subject ?? string.Empty, 80);
        var version = reply.ProfileVersion is { } v ? $" (profile version {v.ToString(CultureInfo.InvariantCulture)})" : string.Empty;
        switch (reply.Event)
        {
            case ChatEvent.Help:
                foreach (var line in HelpLines)
                {
                    yield return line;
                }

                break;
            case ChatEvent.Quit:
                yield return "Bye.";
                break;
            case ChatEvent.Reset:
                yield return "Forgot this session's query, price bounds and left-out categories (stored feedback stays).";
                break;
            case ChatEvent.Profile:
                foreach (var line in ProfileLines(reply))
                {
                    yield return line;
                }

                break;
            case ChatEvent.LeftOut:
                yield return $"Leaving out {subject}.";
                break;
            case ChatEvent.MoreLike:
                yield return $"More like {subject}:";
                break;
            case ChatEvent.Liked:
                yield return reply.ProfileVersion is null ? $"Noted: you like {subject}." : $"Noted: you like {subject}; similar items move up{version}.";
                break;
            case ChatEvent.Disliked:
                yield return $"Noted: you don't like {subject}; it is gone{(reply.ProfileVersion is null ? "" : " and items like it move down")}{version}.";
                break;
            case ChatEvent.NotInterested:
                yield return $"OK, I won't show {subject} again{version}.";
                break;
            case ChatEvent.WhichOne:
                yield return "Which one? Say for example: why number 2?";
                break;
            case ChatEvent.WhichCategory:
                yield return "Which category should I leave out? For example: not the pedals.";
                break;
            case ChatEvent.NoList:
                yield return "There is no list yet: say \"recommend me something\" first.";
                break;
            case ChatEvent.NoSuchNumber:
                yield return reply.Number is { } n ? $"There is no #{n.ToString(CultureInfo.InvariantCulture)} in the list." : "Which one? Use its number, e.g. \"number 2\".";
                break;
            case ChatEvent.UnknownWords:
                yield return $"None of the words in \"{Shorten(reply.Subject ?? string.Empty, 60)}\" are known to me, so nothing matches.";
                yield return "Say what you are looking for in other words, or \"recommend me something\".";
                break;
            case ChatEvent.NotUnderstood:
                yield return "I didn't get that.";
                foreach (var line in HelpLines)
                {
                    yield return line;
                }

                break;
        }
    }

    private static IEnumerable<string> ProfileLines(ChatReply reply)
    {
        var c = reply.Constraints;
        if (reply.Profile is { } p)
        {
            yield return $"Interest profile of {p.UserId} (version {p.Version.ToString(CultureInfo.InvariantCulture)}):";
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
            yield return "No stored profile: this session started cold.";
            if (c.LikedInSession.Count > 0)
            {
                yield return "  liked in this session: " + string.Join(", ", c.LikedInSession);
            }

            if (c.DislikedInSession.Count > 0)
            {
                yield return "  disliked in this session: " + string.Join(", ", c.DislikedInSession);
            }
        }

        if (c.Query is not null)
        {
            yield return $"  looking for: {Shorten(c.Query, 80)}";
        }

        if (c.MaxPrice is not null || c.MinPrice is not null)
        {
            yield return $"  price: {(c.MinPrice is { } lo ? "from $" + lo.ToString("0.##", CultureInfo.InvariantCulture) + " " : "")}{(c.MaxPrice is { } hi ? "up to $" + hi.ToString("0.##", CultureInfo.InvariantCulture) : "")}".TrimEnd();
        }

        if (c.LeftOut.Count > 0)
        {
            yield return "  leaving out: " + string.Join(", ", c.LeftOut);
        }
    }

    public static string Shorten(string s, int max) => s.Length <= max ? s : string.Concat(s.AsSpan(0, max - 1), "…");
}
