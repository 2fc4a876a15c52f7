using Explainer.Core.Explaining;

namespace Explainer.Tests.Pipeline;

/// <summary>What may be quoted as praise, and where a long clause is cut (real review sentences from the MI data).</summary>
public sealed class QuoteTests
{
    [Theory]
    [InlineData("Definitely would not consider this a low gain overdrive as advertised")]
    [InlineData("But if you're looking for a fast-playing string with a bright sound")]
    [InlineData("I haven't found a wireless unit that I feel comfortable with on stage yet")]
    [InlineData("these straps are probably better for your lighter body styles - strats")]
    [InlineData("fix the adjustment boom screw and it will be a great stand")]
    [InlineData("One thing that's GREAT about these strings is")]
    [InlineData("I would recommend it if you don't mind the hum")]
    public void Hedged_turned_or_unfinished_clauses_are_no_praise(string clause) => Assert.True(Quotes.IsHedged(clause), clause);

    [Theory]
    [InlineData("Sturdy and easy to handle capo")]
    [InlineData("You can't go wrong with these strings")]
    [InlineData("I would recommend this tuner to anyone")]
    [InlineData("I love it")]
    [InlineData("Great tone, incredibly durable")]
    public void Plain_praise_is_quotable(string clause) => Assert.False(Quotes.IsHedged(clause), clause);

    [Fact]
    public void A_cut_clause_starts_after_a_joining_word()
    {
        const string sentence = "What I can say however with 30 years playing experience is that this is a very good pedal and I would buy it again for the money";
        var quote = Quotes.ClauseAround(sentence, "pedal", 12)!;
        Assert.StartsWith("... this is a very good pedal", quote, StringComparison.Ordinal);
        Assert.DoesNotContain(" and I", quote, StringComparison.Ordinal); // stops before the next joining word
        Assert.All(quote.Replace("...", string.Empty, StringComparison.Ordinal).Split("  "), part => Assert.Contains(part.Trim(), sentence, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("and I LOVE this tuner", "I LOVE this tuner")]
    [InlineData("and so", "and so")] // too short to strip: nothing would be left to read
    [InlineData("So far so good with these strings", "So far so good with these strings")]
    [InlineData("\"Great cable.\"", "Great cable")]
    public void Tidy_drops_a_leading_joining_word(string text, string tidy) => Assert.Equal(tidy, Quotes.Tidy(text));

    [Fact]
    public void A_cut_does_not_hide_a_condition()
    {
        const string sentence = "This would be the perfect strap for me if the leather were softer and the holes were punched a bit further apart";
        // A cut around "leather" may start after the "if"; the whole clause, which the collector also checks, keeps it.
        Assert.True(Quotes.IsHedged(Quotes.ClauseAround(sentence, "leather", int.MaxValue)!));
    }

    [Fact]
    public void Price_talk_is_a_price_claim() => Assert.True(Quotes.HasPriceClaim("Nearly half price from Amazon"));
}
