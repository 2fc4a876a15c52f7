using System.CommandLine;
using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer feedback --user U --item I --like|--dislike|--not-interested</c>.</summary>
public sealed class FeedbackCommand : ExplainerCommand
{
    private readonly Option<string> _user = new("--user") { Description = "The user giving feedback.", Required = true, HelpName = "ID" };
    private readonly Option<string> _item = new("--item") { Description = "The item the feedback is about.", Required = true, HelpName = "ID" };
    private readonly Option<bool> _like = new("--like") { Description = "The user likes it: its keywords gain weight in the profile." };
    private readonly Option<bool> _dislike = new("--dislike") { Description = "The user dislikes it: its keywords become dislikes." };
    private readonly Option<bool> _notInterested = new("--not-interested") { Description = "Never show it again; the profile is unchanged." };

    public FeedbackCommand()
        : base("feedback", "Record a like, dislike or not-interested; the stored profile changes at once and the item is never recommended again.")
    {
        Options.Add(_user);
        Options.Add(_item);
        Options.Add(_like);
        Options.Add(_dislike);
        Options.Add(_notInterested);
        Validators.Add(r =>
        {
            var count = new[] { r.GetValue(_like), r.GetValue(_dislike), r.GetValue(_notInterested) }.Count(b => b);
            if (count != 1)
            {
                r.AddError("Give exactly one of --like, --dislike, --not-interested.");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var kind = parseResult.GetValue(_like) ? FeedbackKind.Like : parseResult.GetValue(_dislike) ? FeedbackKind.Dislike : FeedbackKind.NotInterested;
        var user = parseResult.GetValue(_user)!;
        var item = parseResult.GetValue(_item)!;
        var profile = await context.Get<FeedbackService>().ApplyAsync(user, item, kind, cancellationToken).ConfigureAwait(false);
        context.Console.MarkupLine(profile is null
            ? $"Recorded {kind} of {Markup.Escape(item)} by {Markup.Escape(user)} (no profile yet: it applies when `explainer enrich` builds one)."
            : $"Recorded {kind} of {Markup.Escape(item)} by {Markup.Escape(user)}; profile now at version {profile.Version}.");
        return ExitCodes.Ok;
    }
}
