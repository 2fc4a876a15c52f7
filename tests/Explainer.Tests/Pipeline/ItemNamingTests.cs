using System.Globalization;
using CsvHelper;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Text;

namespace Explainer.Tests.Pipeline;

/// <summary>What explanations call items: works by their names, products with "the", kinds of gear told from qualities.</summary>
public sealed class ItemNamingTests
{
    [Theory]
    [InlineData("Bourne Identity, The (2002)", "The Bourne Identity (2002)")]
    [InlineData("Lord of the Rings: The Return of the King, The (2003)", "The Lord of the Rings: The Return of the King (2003)")]
    [InlineData("City of Lost Children, The (Cité des enfants perdus, La) (1995)", "The City of Lost Children (Cité des enfants perdus, La) (1995)")]
    [InlineData("Misérables, Les (1995)", "Les Misérables (1995)")]
    [InlineData("Toy Story (1995)", "Toy Story (1995)")]
    [InlineData("Snark SN-5 Tuner for Guitar, Bass and Violin", "Snark SN-5 Tuner for Guitar, Bass and Violin")]
    public void Catalogue_inversions_are_undone(string stored, string said) => Assert.Equal(said, Titles.Uninvert(stored));

    [Theory]
    [InlineData("Twelve Monkeys (a.k.a. 12 Monkeys) (1995)", "Twelve Monkeys")]
    [InlineData("¡Three Amigos! (1986)", "¡Three Amigos!")]
    [InlineData("Mask, The (1994)", "The Mask")]
    public void A_work_is_named_without_article_possessive_or_year(string title, string name)
    {
        var n = ItemName.For(new Item { Id = "1", Title = title, Categories = ["Comedy"] });
        Assert.True(n.IsWork);
        Assert.Equal(name, n.Definite);
        Assert.Equal(name, n.Owned("rated"));
        Assert.Equal(name, n.Plain);
        Assert.False(n.IsPlural);
    }

    [Fact]
    public void A_product_keeps_the_and_your_and_agrees_in_number()
    {
        var picks = ItemName.For(new Item { Id = "1", Title = "Fender 351 Premium Celluloid Guitar Picks, 12 Pack", Categories = ["Picks"] });
        Assert.Equal("the Fender 351 Premium Celluloid Guitar Picks", picks.Definite);
        Assert.Equal("your Fender 351 Premium Celluloid Guitar Picks", picks.Owned("reviewed"));
        Assert.True(picks.IsPlural);
        Assert.False(ItemName.For(new Item { Id = "2", Title = "Snark SN-5 Tuner for Guitar, Bass and Violin", Categories = ["Tuners"] }).IsPlural);
        Assert.Equal("the tuner you rated", ItemName.For(new Item { Id = "3", Categories = ["Tuners"] }).Owned("rated"));
        Assert.Equal("Your Cable Store XLR 3 Pin Microphone Cable", ItemName.For(new Item { Id = "4", Title = "Your Cable Store XLR 3 Pin Microphone Cable", Categories = ["Cables"] }).Owned("reviewed"));
        Assert.Equal("Hosa XVS101F Right Angle 3.5mm", ItemName.ShortTitle("Hosa XVS101F Right Angle 3.5mm M to 3.5mm F Stereo"));
    }

    [Theory]
    [InlineData("You gave Mrs. Doubtfire 5 stars. It is listed as Comedy.", 2)]
    [InlineData("Of the 9 who rated L.A. Confidential, 4 rated it. Done.", 2)]
    [InlineData("Because you rated ¡Three Amigos! also rated Cube. Next.", 2)]
    [InlineData("It is good! Really. \"A quote. With stops.\" ends", 3)]
    public void Sentences_are_not_split_inside_names(string text, int sentences) =>
        Assert.Equal(sentences, ExplanationChecker.SentenceSplit(text).Count);

    [Fact]
    public void The_catalogue_says_which_phrases_are_kinds_of_gear_and_which_are_qualities()
    {
        using var reader = new StreamReader(TestPaths.AmazonItems);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var items = csv.GetRecords<dynamic>().Select(r => (IDictionary<string, object>)r)
            .Select(r => new Item { Id = (string)r["Product ID"], Title = (string)r["Description"], Categories = [(string)r["Category"]] }).ToList();
        var kinds = ProductKinds.From(items);

        Assert.Equal("string", kinds.KindOf("slinky 9-42 strings"));
        Assert.Equal("microphone", kinds.KindOf("heavy microphone"));
        Assert.Equal("capo", kinds.KindOf("best capo"));
        Assert.Null(kinds.KindOf("tone"));
        Assert.Null(kinds.KindOf("tuning")); // "Tuning" names a category, but as a quality, not a kind of thing
        var capo = items.First(i => i.Categories[0] == "Capos");
        Assert.True(ProductKinds.IsKindOf(capo, "capo"));
        var strings = items.First(i => i.Categories[0] == "Acoustic Guitar Strings");
        Assert.True(ProductKinds.IsKindOf(strings, "string"));
        Assert.False(ProductKinds.IsKindOf(strings, "guitar"));
    }
}
