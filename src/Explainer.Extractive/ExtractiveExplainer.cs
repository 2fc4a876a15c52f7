using System.Globalization;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;

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

        return new ExplanationDraft(string.Join(' ', sentences), [.. ids.Distinct(StringComparer.Ordinal)]) { Reasons = stated };
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
            return Cap(Pick(seed, position, primary
                ? [$"People with a review history like yours often go on to {item}.", $"{item} is a common next step for people who reviewed what you reviewed."]
                : [$"People who reviewed what you reviewed also often review {Pronoun(evidence)}.", "Reviewers with histories like yours chose it too."]));
        }

        ids.Add(h.Piece.Id);
        var hist = Yours(h.Name);
        var n = h.Link.CoReviewers;
        var m = Math.Max(n, h.Link.Reviewers - 1);
        var ns = N(n);
        var ms = N(m);
        if (h.Said is not null && h.SaidQuote is not null)
        {
            ids.Add(h.Said.Id);
        }

        if (n < 2)
        {
            // Few people reviewed both: the model links them through the rest of the history, which is all that can be claimed.
            return Cap(Pick(seed, position, primary
                ? [$"{item} goes with the items in your history, most of all {hist}.", $"Your history points to {item}, {hist} above all.", $"{item} follows from what you reviewed, {hist} most of all."]
                : [$"It also goes with {hist} in your history.", $"It fits with {hist}, too."]));
        }

        if (!primary)
        {
            return Cap(Pick(seed, position,
            [
                $"Also, {ns} of the {ms} other people who reviewed {hist} reviewed {Pronoun(evidence)}.",
                $"And {ns} of {ms} other reviewers of {hist} reviewed it as well.",
                $"It also comes up with {hist}: {ns} of its {ms} other reviewers reviewed both.",
            ]));
        }

        // "Often", "frequent" and the like only when it is true: at least one in seven of the history item's reviewers.
        var often = n >= 0.15 * m;
        var theHist = The(h.Name);
        if (h.SaidQuote is { } said)
        {
            return Cap(Pick(seed, position,
            [
                $"You wrote \"{said}\" about {hist}, and {ns} of the {ms} other people who reviewed it also reviewed {item}.",
                $"\"{said}\", you said of {hist}; {ns} of its {ms} other reviewers also reviewed {item}.",
                $"You liked {hist} (\"{said}\"); {ns} of the {ms} others who reviewed it also reviewed {item}.",
                $"Of the {ms} other people who reviewed {hist}, which you praised (\"{said}\"), {ns} also reviewed {item}.",
                often
                    ? $"{item} is a frequent pick among reviewers of {hist}, which you liked: \"{said}\". {Cap(ns)} of {ms} reviewed both."
                    : $"{item} is among the picks of reviewers of {hist}, which you liked: \"{said}\". {Cap(ns)} of {ms} reviewed both.",
                $"Since you enjoyed {hist} (\"{said}\"): {ns} of the {ms} others who reviewed it reviewed {item} too.",
            ]));
        }

        return Cap(Pick(seed, position,
        [
            $"{ns} of the {ms} other people who reviewed {hist} also reviewed {item}.",
            $"Of the {ms} other people who reviewed {hist}, {ns} reviewed {item} too.",
            $"{item} shows up in the reviews of {ns} of the {ms} other people who reviewed {hist}.",
            often ? $"People who reviewed {hist} often review {item} as well: {ns} of {ms} did." : $"Some people who reviewed {hist} review {item} as well: {ns} of {ms} did.",
            $"Among the {ms} other reviewers of {hist}, {ns} also reviewed {item}.",
            $"You reviewed {theHist}; {ns} of the {ms} others who did also reviewed {item}.",
            often ? $"Reviewers of {hist} keep coming back to {item}: {ns} of {ms} reviewed both." : $"Reviewers of {hist} come to {item} too: {ns} of {ms} reviewed both.",
            $"{ns} of {ms} fellow reviewers of {hist} have reviewed {item} too.",
            $"Because you reviewed {theHist}: {ns} of the {ms} other people who did also reviewed {item}.",
            often ? $"{item} is often reviewed alongside {hist}: {ns} of its {ms} other reviewers reviewed both." : $"{item} is reviewed alongside {hist} by {ns} of its {ms} other reviewers.",
            $"Going by {hist}: {ns} of the {ms} other people who reviewed it have also reviewed {item}.",
            $"Reviewers of {hist} also wrote about {item}: {ns} of the {ms} others did.",
        ]));
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
            return Cap(Pick(seed, position, primary
                ?
                [
                    $"You wrote \"{uq}\", and reviewers of {item} say \"{iq}\".",
                    $"If you liked \"{uq}\", note what owners of {item} say: \"{iq}\".",
                    $"The {aspect} matters to you (\"{uq}\"), and {item} is praised for it: \"{iq}\".",
                    $"You liked \"{uq}\"; {item} gets the same praise: \"{iq}\".",
                    $"\"{iq}\", says a reviewer of {item}, close to what you liked: \"{uq}\".",
                    $"Reviewers of {item} single out its {aspect}: \"{iq}\", as you did with \"{uq}\".",
                    $"On {aspect}, which you care about (\"{uq}\"), {item} does well: \"{iq}\", one reviewer writes.",
                    $"Its reviewers praise what you praised: \"{iq}\" (you wrote \"{uq}\").",
                ]
                :
                [
                    $"Its reviewers also praise the {aspect}, which you care about: \"{iq}\".",
                    $"And on {aspect}, which mattered to you (\"{uq}\"), a reviewer says \"{iq}\".",
                    $"Owners like its {aspect} too: \"{iq}\".",
                    $"You wrote \"{uq}\"; a reviewer of it says \"{iq}\".",
                ]));
        }

        if (reason.Similar.Count > 0 && reason.Similar[0] is { } similar)
        {
            ids.Add(similar.Piece.Id);
            var sim = Yours(similar.Name);
            return Cap(Pick(seed, position, primary
                ?
                [
                    $"{item} is close in kind to {sim}, which you reviewed.",
                    $"{item} is much like {sim} from your reviews.",
                    $"In what it is and what its reviewers talk about, {item} is close to {sim}.",
                    $"{item} resembles {sim}, one of the items you reviewed.",
                    $"If {sim} suited you, {item} is of the same kind.",
                ]
                :
                [
                    $"It is also close in kind to {sim}.",
                    $"It is of the same kind as {sim}, too.",
                    $"It is also much like {sim}.",
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
    private static string Quote(EvidencePiece piece, string phrase)
    {
        var clause = Quotes.ClauseAround(piece.Text, phrase, 14) ?? phrase;
        var words = Quotes.Words(clause).Count();
        return words < 3 && Quotes.Words(piece.Text).Count() is > 2 and <= 14 ? Quotes.Tidy(piece.Text) : clause;
    }

    /// <summary>"the Snark SN-5" for a titled item, "the tuner you reviewed" otherwise (after "you reviewed": not "your").</summary>
    private static string The(ItemName name) => name.HasTitle ? "the " + name.Short : $"the {name.Short}";

    /// <summary>"your Snark SN-5" for a titled item, "the tuner you reviewed" otherwise.</summary>
    private static string Yours(ItemName name) => name.HasTitle ? "your " + name.Short : $"the {name.Short} you reviewed";

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
