using System.Globalization;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Extractive.English;

namespace Explainer.Extractive;

/// <summary>
/// "Why recommended" without a model, stating the ranking's own reasons in their order: first the reason that adds
/// most to the score, then (when it has evidence and weighs enough) the next one. Collaborative reasons name the
/// user's reviewed item behind them with honest counts ("12 of the 39 other people who reviewed your Snark SN-5 also
/// reviewed this") and, when they liked it, quote them; content reasons pair the user's sentence about an aspect with a
/// reviewer's praise of the same aspect, or name the reviewed item this one is closest to; popularity gives the count
/// and rating; a query says which of its words the item holds. Every quote is copied from the cited evidence. The
/// phrasing of each kind varies along a list (by position, from a start that depends on the user), so ten
/// explanations do not read as one template with the names swapped.
/// </summary>
public sealed class ExtractiveExplainer : IExtractiveExplainer
{
    public const string Engine = "extractive";

    /// <summary>A second reason is stated only when it carries at least this share of the score.</summary>
    public const double SecondReasonShare = 0.2;

    public string EngineId => Engine;

    public ExplanationDraft Write(ExplanationEvidence evidence)
    {
        var ids = new List<string>();
        var stated = new List<string>();
        var sentences = new List<string>();
        var seed = Seed(evidence.UserId ?? evidence.Query ?? string.Empty);
        var position = evidence.Position;
        var item = evidence.Name;

        var reasons = evidence.Reasons;
        if (reasons.Count == 0)
        {
            ids.Add(item.HasTitle ? "f:title" : "f:category");
            return new ExplanationDraft(Cap($"{item.Definite} scores close to the top for you on every signal, with no single one standing out."), ids);
        }

        var first = reasons[0];
        sentences.Add(Sentence(first, evidence, seed, position, ids, primary: true));
        stated.Add(first.Id);

        // The next reason, when it weighs enough and has something to show; an aspect link is worth a sentence even when its share is small.
        var second = reasons.Skip(1).FirstOrDefault(r => (r.Share >= SecondReasonShare && HasEvidence(r)) || (r.Kind == ReasonKind.Content && r.Links.Count > 0));
        if (second is not null)
        {
            sentences.Add(Sentence(second, evidence, seed >> 7, position, ids, primary: false));
            stated.Add(second.Id);
        }

        // What the item is, when genres and tags say it better than reviews (MovieLens): not a reason, a fact.
        if (sentences.Count < 3 && About(evidence, first.History.Count > 0 ? first.History[0] : null, ids) is { } about)
        {
            sentences.Add(about);
        }
        else if (sentences.Count < 2 && first.Kind != ReasonKind.Query && Praised(evidence, seed, position, ids) is { } praised)
        {
            sentences.Add(praised); // a count alone says people went on to it, not what they found in it
        }

        // A name ending in "!" ("¡Three Amigos!") does not take a full stop after it.
        var text = Agree(string.Join(' ', sentences), item).Replace("!.", "!", StringComparison.Ordinal).Replace("?.", "?", StringComparison.Ordinal);
        return new ExplanationDraft(text, [.. ids.Distinct(StringComparer.Ordinal)]) { Reasons = stated };
    }

    private static readonly (string Singular, string Plural)[] Verbs =
    [
        ("is", "are"), ("answers", "answer"), ("does", "do"), ("fits", "fit"), ("follows", "follow"), ("gets", "get"), ("goes", "go"),
        ("matches", "match"), ("resembles", "resemble"), ("scores", "score"), ("shows", "show"),
    ];

    /// <summary>"The D'Addario EJ26 ... Strings are", not "is": the verbs after a plural name agree with it.</summary>
    private static string Agree(string text, ItemName item)
    {
        if (!item.IsPlural)
        {
            return text;
        }

        foreach (var name in new[] { item.Definite, Cap(item.Definite) })
        {
            foreach (var (one, many) in Verbs)
            {
                text = text.Replace($"{name} {one} ", $"{name} {many} ", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static bool HasEvidence(StatedReason r) => r.Kind switch
    {
        ReasonKind.Collaborative => r.History.Count > 0,
        ReasonKind.Content => r.Links.Count > 0 || r.Similar.Count > 0,
        ReasonKind.Popularity => r.Reviewers > 0,
        ReasonKind.Query => r.MatchedWords.Count > 0 || r.ItemPraise is not null,
        _ => false,
    };

    private static string Sentence(StatedReason reason, ExplanationEvidence evidence, ulong seed, int position, List<string> ids, bool primary) => reason.Kind switch
    {
        ReasonKind.Collaborative => Collaborative(reason, evidence, seed, position, ids, primary),
        ReasonKind.Content => Content(reason, evidence, seed, position, ids, primary),
        ReasonKind.Popularity or ReasonKind.Discovery => Popularity(reason, evidence, seed, position, ids, primary),
        ReasonKind.Query => Query(reason, evidence, seed, position, ids, primary),
        _ => Cap($"{evidence.Name.Definite} fits what you look for."),
    };

    private static string Collaborative(StatedReason reason, ExplanationEvidence evidence, ulong seed, int position, List<string> ids, bool primary)
    {
        var item = evidence.Name.Definite;
        var h = reason.History.Count > 0 ? reason.History[0] : null;
        if (h is null)
        {
            ids.Add(evidence.Name.HasTitle ? "f:title" : "f:category");
            return Cap(Pick(seed, position, primary
                ? [$"People with a history like yours go on to {item}.", $"{item} is a next step that people with a history like yours take."]
                : [$"People with a history like yours also choose {Pronoun(evidence)}.", "People with histories like yours chose it too."]));
        }

        ids.Add(h.Piece.Id);
        var v = h.Verb; // "reviewed", or "rated" when the data holds only stars
        var vp = HistoryVerbs.Present(v);
        var hist = h.Name.Owned(v);
        var n = h.Link.CoReviewers;
        var m = Math.Max(n, h.Link.Reviewers - 1);
        var ns = N(n);
        var ms = N(m);
        if (h.Said is not null && h.SaidQuote is not null)
        {
            ids.Add(h.Said.Id);
        }

        if (n < 3)
        {
            // Few people had both: the model links them through the rest of the history, which is all that can be claimed.
            return Cap(Pick(seed, position, primary
                ? [$"{item} goes with the items in your history, such as {hist}.", $"{item} fits your history, which includes {hist}.", $"{item} follows from what you {v}, {hist} among them."]
                : [$"It also goes with {hist} in your history.", $"It fits with {hist}, too."]));
        }

        if (!primary)
        {
            return Cap(Pick(seed, position,
            [
                $"Also, {ns} of the {ms} other people who {v} {hist} {v} {Pronoun(evidence)}.",
                $"And {ns} of {ms} others who {v} {hist} {v} it as well.",
                $"It also comes up with {hist}: {ns} of the {ms} other people who {v} that {v} both.",
            ]));
        }

        // "Often", "frequent" and the like only when it is true: at least five people and a quarter of the history item's.
        var often = n >= 5 && n >= 0.25 * m;
        var plain = h.Name.Plain;
        if (h.SaidQuote is { } said)
        {
            return Cap(Pick(seed, position,
            [
                $"You wrote \"{said}\" about {hist}, and {ns} of the {ms} other people who {v} it also {v} {item}.",
                $"\"{said}\", you said of {hist}; {ns} of the {ms} others who {v} it also {v} {item}.",
                $"You liked {hist} (\"{said}\"); {ns} of the {ms} others who {v} it also {v} {item}.",
                $"Of the {ms} other people who {v} {hist}, which you praised (\"{said}\"), {ns} also {v} {item}.",
                often
                    ? $"{item} is a frequent pick among people who {v} {hist}, which you liked: \"{said}\". {Cap(ns)} of {ms} {v} both."
                    : $"{item} is among the picks of people who {v} {hist}, which you liked: \"{said}\". {Cap(ns)} of {ms} {v} both.",
                $"Since you enjoyed {hist} (\"{said}\"): {ns} of the {ms} others who {v} it {v} {item} too.",
            ]));
        }

        // Their own stars, when they liked it: "You gave Cube 4.5 stars".
        if (h.Stars is { } stars && h.Rating >= 4)
        {
            var starWord = h.Rating == 1 ? "star" : "stars";
            return Cap(Pick(seed, position,
            [
                $"You gave {hist} {stars} {starWord}, and {ns} of the {ms} other people who {v} it also {v} {item}.",
                $"{item} is for fans of {plain}, which you gave {stars} {starWord}: {ns} of the {ms} others who {v} it {v} both.",
                $"Of the {ms} other people who {v} {plain}, which you gave {stars} {starWord}, {ns} also {v} {item}.",
                often
                    ? $"You gave {hist} {stars} {starWord}; people who {v} it often {vp} {item} too ({ns} of {ms})."
                    : $"You gave {hist} {stars} {starWord}; {ns} of the {ms} others who {v} it {v} {item} too.",
            ]));
        }

        return Cap(Pick(seed, position,
        [
            $"{ns} of the {ms} other people who {v} {hist} also {v} {item}.",
            $"Of the {ms} other people who {v} {hist}, {ns} {v} {item} too.",
            often ? $"People who {v} {hist} often {vp} {item} as well: {ns} of {ms} did." : $"Some people who {v} {hist} {vp} {item} as well: {ns} of {ms} did.",
            $"Among the {ms} others who {v} {hist}, {ns} also {v} {item}.",
            $"You {v} {plain}; {ns} of the {ms} others who did also {v} {item}.",
            often ? $"People who {v} {hist} tend to {vp} {item} too: {ns} of {ms} {v} both." : $"People who {v} {hist} come to {item} too: {ns} of {ms} {v} both.",
            $"Because you {v} {plain}: {ns} of the {ms} other people who did also {v} {item}.",
            $"Going by {hist}: {ns} of the {ms} other people who {v} it have also {v} {item}.",
        ]));
    }

    /// <summary>
    /// What the item is, for items described by genres and the tags people put on them rather than by reviews
    /// (MovieLens): the genres it shares with the history item behind the reason, else its own, and up to three
    /// tags that are not complaints ("too violent") nor a genre again.
    /// </summary>
    private static string? About(ExplanationEvidence evidence, HistoryEvidence? anchor, List<string> ids)
    {
        var genres = evidence.Item.Attributes.TryGetValue("genre", out var g) ? [.. g.Where(Genres.IsTaste)] : new List<string>();
        var tags = evidence.Find("f:tags") is { } tagFact ? tagFact.Text.Split(" | ") : [];
        // One of "Animal", "Animal movie" and "animals": tags sharing a word say the same thing.
        var fit = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags.Where(t => FitTag(t, genres, evidence.Name.Short)))
        {
            var stems = Quotes.Words(tag).Select(ExplanationVerifier.Stem).ToList();
            if (fit.Count < 3 && !stems.Any(used.Contains))
            {
                fit.Add(tag);
                used.UnionWith(stems);
            }
        }

        if (genres.Count == 0 && fit.Count == 0)
        {
            return null;
        }

        var parts = new List<string>();
        if (genres.Count > 0 && evidence.Find("f:genres") is { } genreFact)
        {
            ids.Add(genreFact.Id);
            var shared = anchor?.Genres.Intersect(genres, StringComparer.OrdinalIgnoreCase).ToList() ?? [];
            parts.Add(shared.Count > 0 && anchor is not null
                ? $"like {anchor.Name.Plain}, it is listed as {And(shared.Take(3))}"
                : $"it is listed as {And(genres.Take(3))}");
        }

        if (fit.Count > 0)
        {
            ids.Add("f:tags");
            parts.Add($"its tags include {And(fit.Select(t => $"\"{t}\""))}");
        }

        return Cap(string.Join("; ", parts)) + ".";
    }

    /// <summary>What a reviewer praises in the item, quoted: "Its reviewers single out the tone: "...".</summary>
    private static string? Praised(ExplanationEvidence evidence, ulong seed, int position, List<string> ids)
    {
        if (evidence.Praise is not { } praise || ids.Contains(praise.Item.Id))
        {
            return null;
        }

        ids.Add(praise.Item.Id);
        var q = Quote(praise.Item, praise.ItemPhrase);
        // The aspect is not named: a reviewer's word for it ("mics" on a shockmount's page) may not be a part of the item.
        string[] options =
        [
            $"A reviewer of it says \"{q}\".",
            $"As one reviewer puts it, \"{q}\".",
            $"\"{q}\", one of its reviewers writes.",
            $"What one owner says of it: \"{q}\".",
            $"One of its owners writes \"{q}\".",
            $"One pleased owner writes \"{q}\".",
            $"From its reviews: \"{q}\".",
            $"One buyer's verdict: \"{q}\".",
        ];
        return Cap(Pick(seed >> 13, position, options));
    }

    /// <summary>A tag worth showing: short, not a genre again, not the title, and not a complaint.</summary>
    private static bool FitTag(string tag, IReadOnlyList<string> genres, string title)
    {
        var words = tag.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is 0 or > 3 || tag.Contains('"', StringComparison.Ordinal) || !Genres.IsTaste(tag) || genres.Any(g => g.Equals(tag, StringComparison.OrdinalIgnoreCase))
            || title.Contains(tag, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Shouted ("PROSTITUTES") or a verdict rather than a description ("book was better", "over-rated").
        if (tag.Any(char.IsLetter) && tag.Where(char.IsLetter).All(char.IsUpper) && tag.Count(char.IsLetter) > 4)
        {
            return false;
        }

        var lexicon = EnglishLexicon.Default;
        return !words.Any(w => w.ToLowerInvariant().Replace("-", string.Empty, StringComparison.Ordinal) is var lower
            && (lexicon.Valence(lower) < 0 || Complaints.Contains(lower) || Verdicts.Contains(lower)));
    }

    private static readonly HashSet<string> Complaints = new(StringComparer.Ordinal) { "too", "not", "no", "overrated", "predictable", "boring", "slow", "bad", "worst", "awful", "stupid", "cheesy", "disappointing" };

    /// <summary>Words that make a tag someone's verdict, a comparison or a spoiler ("twist ending"), not what the film is.</summary>
    private static readonly HashSet<string> Verdicts = new(StringComparer.Ordinal) { "better", "worse", "than", "was", "is", "overhyped", "underrated", "meh", "ok", "okay", "girlie", "dumb", "lame", "crap", "twist", "twists", "ending", "spoiler", "spoilers" };

    private static string And(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }

    private static string Content(StatedReason reason, ExplanationEvidence evidence, ulong seed, int position, List<string> ids, bool primary)
    {
        var item = evidence.Name.Definite;
        if (reason.Links.Count > 0 && reason.Links[0] is { } link)
        {
            ids.Add(link.User.Id);
            ids.Add(link.Item.Id);
            var uq = Quote(link.User, link.UserPhrase);
            var iq = Quote(link.Item, link.ItemPhrase);
            var aspect = link.ItemPhrase;

            // The aspect is named ("its tone") only when it is a quality; a kind of gear ("capo") is left to the quotes.
            string[] options = (primary, link.Nameable) switch
            {
                (true, true) =>
                [
                    $"You wrote \"{uq}\", and reviewers of {item} say \"{iq}\".",
                    $"If you liked \"{uq}\", note what owners of {item} say: \"{iq}\".",
                    $"The {aspect} matters to you (\"{uq}\"), and {item} is praised for it: \"{iq}\".",
                    $"You liked \"{uq}\"; {item} gets the same praise: \"{iq}\".",
                    $"\"{iq}\", says a reviewer of {item}, close to what you liked: \"{uq}\".",
                    $"Reviewers of {item} single out its {aspect}: \"{iq}\", as you did with \"{uq}\".",
                    $"On {aspect}, which you care about (\"{uq}\"), {item} does well: \"{iq}\", one reviewer writes.",
                    $"Its reviewers praise what you praised: \"{iq}\" (you wrote \"{uq}\").",
                ],
                (true, false) =>
                [
                    $"You wrote \"{uq}\", and reviewers of {item} say \"{iq}\".",
                    $"If you liked \"{uq}\", note what owners of {item} say: \"{iq}\".",
                    $"You liked \"{uq}\"; {item} gets the same praise: \"{iq}\".",
                    $"\"{iq}\", says a reviewer of {item}, close to what you liked: \"{uq}\".",
                    $"Its reviewers praise what you praised: \"{iq}\" (you wrote \"{uq}\").",
                ],
                // Second sentences name the item: two items of one list never share a sentence.
                (false, true) =>
                [
                    $"Reviewers of {item} also praise the {aspect}, which you care about: \"{iq}\".",
                    $"And on {aspect}, which mattered to you (\"{uq}\"), a reviewer of {item} says \"{iq}\".",
                    $"You wrote \"{uq}\"; a reviewer of {item} says \"{iq}\".",
                ],
                (false, false) =>
                [
                    $"You wrote \"{uq}\"; a reviewer of {item} says \"{iq}\".",
                    $"Like you (\"{uq}\"), a reviewer of {item} writes \"{iq}\".",
                    $"And where you wrote \"{uq}\", a reviewer of {item} writes \"{iq}\".",
                ],
            };
            return Cap(Pick(seed, position, options));
        }

        if (reason.Similar.Count > 0 && reason.Similar[0] is { } similar)
        {
            ids.Add(similar.Piece.Id);
            var sim = similar.Name.Owned(evidence.Verb);
            return Cap(Pick(seed, position, primary
                ?
                [
                    $"{item} is close in kind to {sim}, which you {evidence.Verb}.",
                    $"{item} is much like {sim} from your history.",
                    $"In what it is and what its reviewers talk about, {item} is close to {sim}.",
                    $"{item} resembles {sim}, one of the items you {evidence.Verb}.",
                    $"If {sim} suited you, {item} is of the same kind.",
                ]
                :
                [
                    $"{item} is also close in kind to {sim}.",
                    $"{item} is of the same kind as {sim}, too.",
                    $"{item} is also much like {sim}.",
                ]));
        }

        ids.Add(evidence.Name.HasTitle ? "f:title" : "f:category");
        return Cap(Pick(seed, position, primary
            ? [$"{item} matches what you write about in your reviews.", $"What you write about in your reviews points to {item}.", $"{item} is close to the things your reviews talk about."]
            : ["It also matches what you write about.", "It is close to what your reviews talk about, too."]));
    }

    private static string Popularity(StatedReason reason, ExplanationEvidence evidence, ulong seed, int position, List<string> ids, bool primary)
    {
        var item = evidence.Name.Definite;
        if (evidence.Find("f:reviews") is { } fact)
        {
            ids.Add(fact.Id);
        }

        var n = N(reason.Reviewers);
        var r = reason.MeanRating.ToString("0.0", CultureInfo.InvariantCulture);
        if (reason.Kind == ReasonKind.Discovery)
        {
            return Cap($"{item} is a less-known pick: {n} people have reviewed it, averaging {r} stars.");
        }

        return Cap(Pick(seed, position, primary
            ?
            [
                $"{item} is one of the most reviewed items here: {n} reviews, averaging {r} stars.",
                $"Many people chose {item}: {n} reviews, {r} stars on average.",
                $"{item} is a popular pick, with {n} reviews averaging {r} stars.",
                $"With {n} reviews at {r} stars on average, {item} is a safe choice.",
            ]
            :
            [
                $"It is also widely reviewed ({n} reviews, {r} stars on average).",
                $"It is popular, too: {n} reviews averaging {r} stars.",
                $"Plenty of people like it: {n} reviews, {r} stars on average.",
            ]));
    }

    private static string Query(StatedReason reason, ExplanationEvidence evidence, ulong seed, int position, List<string> ids, bool primary)
    {
        var item = evidence.Name.Definite;
        var words = reason.MatchedWords.Take(3).ToList();
        var praise = reason.ItemPraise is { } p ? p : null;
        if (praise is not null)
        {
            ids.Add(praise.Item.Id);
        }

        var said = praise is null ? null : Quote(praise.Item, praise.ItemPhrase);
        var listed = words.Count switch
        {
            0 => null,
            1 => $"\"{words[0]}\"",
            _ => string.Join(", ", words.Take(words.Count - 1).Select(w => $"\"{w}\"")) + $" and \"{words[^1]}\"",
        };
        ids.Add(evidence.Name.HasTitle ? "f:title" : "f:category");
        if (!primary)
        {
            return said is null ? Cap("It also matches your words.") : Cap($"A reviewer says \"{said}\".");
        }

        if (listed is null)
        {
            return Cap(said is null
                ? $"{item} is the closest in meaning to what you asked for."
                : $"{item} is close in meaning to what you asked for; a reviewer says \"{said}\".");
        }

        return Cap(Pick(seed, position, said is null
            ?
            [
                $"{item} matches {listed} from your request.",
                $"You asked for {listed}, and {item} is one.",
                $"{item} answers {listed} in what you asked.",
            ]
            :
            [
                $"{item} matches {listed} from your request, and a reviewer says \"{said}\".",
                $"You asked for {listed}: {item} is one, and its reviewers write \"{said}\".",
                $"For {listed}, {item} fits; one owner writes \"{said}\".",
            ]));
    }

    /// <summary>The clause of a sentence around the phrase it is cited for, cut at clause boundaries (at most 14 words).</summary>
    private static string Quote(EvidencePiece piece, string phrase) => Quotes.QuotedPart(piece.Text, phrase);

    private static string Pronoun(ExplanationEvidence evidence) => "it";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Along a list, consecutive items take consecutive phrasings, from a start that depends on the user.</summary>
    private static string Pick(ulong seed, int position, string[] options) => options[(int)((seed + (ulong)position) % (ulong)options.Length)];

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>FNV-1a: the same user always starts at the same phrasing.</summary>
    private static ulong Seed(string user)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in user)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash ^ (hash >> 29);
    }
}
