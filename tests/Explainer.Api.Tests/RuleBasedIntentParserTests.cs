using Explainer.Core.Conversation;
using Explainer.Core.Domain;

namespace Explainer.Api.Tests;

/// <summary>The chat's rule-based understanding of the documented forms (no terminal, no store).</summary>
public sealed class RuleBasedIntentParserTests
{
    [Theory]
    [InlineData("recommend me something")]
    [InlineData("Recommend me something!")]
    [InlineData("something else")]
    [InlineData("can you recommend something please")]
    [InlineData("more")]
    public void Generic_requests_are_recommend(string line) => Assert.Equal(IntentKind.Recommend, RuleBasedIntentParser.Parse(line).Kind);

    [Fact]
    public void A_cheap_tuner_for_my_ukulele_is_a_query_with_a_price_bound()
    {
        var intent = RuleBasedIntentParser.Parse("a cheap tuner for my ukulele");
        Assert.Equal((IntentKind.Query, "a tuner for my ukulele", RuleBasedIntentParser.CheapPrice, (decimal?)null), (intent.Kind, intent.Text, intent.MaxPrice, intent.MinPrice));
    }

    [Theory]
    [InlineData("I'm looking for guitar strings under $20", "guitar strings", null, 20)]
    [InlineData("show me a pop filter between 10 and 30 dollars", "a pop filter", 10, 30)]
    [InlineData("a capo over $15", "a capo", 15, null)]
    [InlineData("something cheap", null, null, 25)]
    public void Price_bounds_are_taken_out_of_the_query(string line, string? query, int? min, int? max)
    {
        var intent = RuleBasedIntentParser.Parse(line);
        Assert.Equal(query is null ? IntentKind.Recommend : IntentKind.Query, intent.Kind);
        Assert.Equal(query, intent.Text);
        Assert.Equal((decimal?)min, intent.MinPrice);
        Assert.Equal((decimal?)max, intent.MaxPrice);
    }

    [Theory]
    [InlineData("more like number 2", IntentKind.MoreLike, 2)]
    [InlineData("show me more like #4", IntentKind.MoreLike, 4)]
    [InlineData("similar to the third one", IntentKind.MoreLike, 3)]
    [InlineData("why number 1?", IntentKind.Why, 1)]
    [InlineData("Why #10", IntentKind.Why, 10)]
    [InlineData("explain the second one", IntentKind.Why, 2)]
    [InlineData("why did you recommend number 5", IntentKind.Why, 5)]
    public void Numbered_references(string line, IntentKind kind, int number)
    {
        var intent = RuleBasedIntentParser.Parse(line);
        Assert.Equal((kind, (int?)number), (intent.Kind, intent.Number));
    }

    [Theory]
    [InlineData("I don't like number 3", FeedbackKind.Dislike, 3)]
    [InlineData("i dislike #2", FeedbackKind.Dislike, 2)]
    [InlineData("number 4 is boring", FeedbackKind.Dislike, 4)]
    [InlineData("not the first one", FeedbackKind.NotInterested, 1)]
    [InlineData("hide number 7", FeedbackKind.NotInterested, 7)]
    [InlineData("not interested in the last one", FeedbackKind.NotInterested, -1)]
    [InlineData("I like number 2", FeedbackKind.Like, 2)]
    [InlineData("i love the fifth one", FeedbackKind.Like, 5)]
    public void Feedback_on_a_numbered_item(string line, FeedbackKind kind, int number)
    {
        var intent = RuleBasedIntentParser.Parse(line);
        Assert.Equal((IntentKind.Feedback, (FeedbackKind?)kind, (int?)number), (intent.Kind, intent.Feedback, intent.Number));
    }

    [Theory]
    [InlineData("not the pedals", "pedals")]
    [InlineData("no cables", "cables")]
    [InlineData("no more picks", "picks")]
    [InlineData("without any strings", "strings")]
    public void Category_exclusions(string line, string category)
    {
        var intent = RuleBasedIntentParser.Parse(line);
        Assert.Equal((IntentKind.ExcludeCategory, category), (intent.Kind, intent.Text));
    }

    [Theory]
    [InlineData("/help", IntentKind.Help)]
    [InlineData("/profile", IntentKind.Profile)]
    [InlineData("/reset", IntentKind.Reset)]
    [InlineData("/quit", IntentKind.Quit)]
    [InlineData("/exit", IntentKind.Quit)]
    [InlineData("bye", IntentKind.Quit)]
    [InlineData("/frobnicate", IntentKind.Unknown)]
    [InlineData("?!?", IntentKind.Unknown)]
    [InlineData("", IntentKind.Unknown)]
    [InlineData("a quiet practice amp for my bedroom", IntentKind.Query)]
    public void Commands_and_the_rest(string line, IntentKind kind) => Assert.Equal(kind, RuleBasedIntentParser.Parse(line).Kind);
}
