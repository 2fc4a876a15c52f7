using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer profile --user ID</c>: a user's interest profile, topics and evidence.</summary>
public sealed class ProfileCommand : ExplainerCommand
{
    private readonly Option<string> _user = new("--user") { Description = "The user.", Required = true, HelpName = "ID" };
    private readonly Option<int> _top = new("--top") { Description = "How many keywords to show.", DefaultValueFactory = _ => 15 };
    private readonly Option<bool> _json = new("--json") { Description = "Print the whole stored profile as JSON." };

    public ProfileCommand()
        : base("profile", "Show a user's interest profile: keywords with weight, polarity and the sentence they came from, and interest topics.")
    {
        Options.Add(_user);
        Options.Add(_top);
        Options.Add(_json);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var store = context.Get<IRecommenderStore>();
        var user = parseResult.GetValue(_user)!;
        var profile = store.FindProfile(user)
            ?? throw new RecommendationException(store.FindUser(user) is null ? $"Unknown user '{user}'." : $"User '{user}' has no profile yet: run `explainer enrich`.");
        if (parseResult.GetValue(_json))
        {
            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(profile, JsonOptions));
            return Task.FromResult(ExitCodes.Ok);
        }

        context.Console.MarkupLine($"Profile of [bold]{Markup.Escape(user)}[/] (version {profile.Version}, engine {Markup.Escape(profile.Engine)})");
        context.Console.MarkupLine("Topics: " + Markup.Escape(string.Join("; ", profile.Topics.Select(t => $"{t.Label} ({string.Join(", ", t.Keywords)})"))));
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Keyword", "Weight", "", "Evidence");
        foreach (var k in profile.Keywords.Take(Math.Max(1, parseResult.GetValue(_top))))
        {
            table.AddRow(
                Markup.Escape(k.Text),
                k.Weight.ToString("0.00", CultureInfo.InvariantCulture),
                k.Polarity == Polarity.Liked ? "[green]likes[/]" : "[red]dislikes[/]",
                Markup.Escape(k.Evidence.Count > 0 ? $"\"{k.Evidence[0].Sentence}\"" : ""));
        }

        context.Console.Write(table);
        return Task.FromResult(ExitCodes.Ok);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
