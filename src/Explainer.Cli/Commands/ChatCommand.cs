using System.CommandLine;
using System.Globalization;
using Explainer.Core.Conversation;
using Explainer.Core.Explaining;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary>
/// <c>explainer chat [--user ID]</c>: "recommend me something" in the terminal. When stdin is not a terminal it
/// reads plain lines and prints plain text, so it can be scripted. Ctrl+C cancels the current answer; a second
/// Ctrl+C (or <c>/quit</c>, or the end of input) exits with 0.
/// </summary>
public sealed class ChatCommand : ExplainerCommand
{
    private readonly Option<string?> _user = new("--user") { Description = "Start from this user's profile (feedback is stored for them). Without it the chat starts cold.", HelpName = "ID" };

    public ChatCommand()
        : base("chat", "Talk to the recommender: ask in your own words, refine, give feedback, ask why.")
    {
        Options.Add(_user);

        // A synchronous action: the chat handles Ctrl+C itself (cancel the answer, then exit), which the
        // process-termination handling of asynchronous actions would pre-empt.
        SetAction(parseResult =>
        {
            using var context = CliContext.Create(parseResult);
            try
            {
                return ExecuteAsync(parseResult, context, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (IsUserFacing(ex))
            {
                context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
                return ExitCodes.Failed;
            }
        });
    }

    /// <summary>Longer lines are cut (with a note): nobody types more, and the rest would only be echoed back.</summary>
    public const int MaxLineLength = 500;

    /// <summary>Set to 1 (tests only) to hold the first answer until Ctrl+C cancels it.</summary>
    public const string HoldFirstAnswerVariable = "EXPLAINER_CHAT_HOLD_FIRST_ANSWER";

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var store = context.Get<IRecommenderStore>();
        var user = parseResult.GetValue(_user);
        if (user is not null && store.FindUser(user) is null)
        {
            throw new RecommendationException($"Unknown user '{user}'.");
        }

        var session = new ChatSession(
            context.Get<RecommendationService>(),
            context.Get<FeedbackService>(),
            context.Services.GetService<IIntentParser>() ?? new RuleBasedIntentParser(),
            context.Services.GetService<IExplanationService>(),
            user);
        var plain = System.Console.IsInputRedirected;
        var view = new ChatView(context.Console, plain);
        view.Welcome(user);

        using var interrupts = new Interrupts();
        var holdFirstAnswer = Environment.GetEnvironmentVariable(HoldFirstAnswerVariable) == "1";
        while (true)
        {
            if (!plain)
            {
                context.Console.Markup("[bold]>[/] ");
            }

            var line = await interrupts.ReadLineAsync().ConfigureAwait(false);
            if (line is null)
            {
                return ExitCodes.Ok; // end of input, or Ctrl+C twice
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cut = line.Length > MaxLineLength;
            if (cut)
            {
                line = line[..MaxLineLength];
            }

            // The answer begins before the echo: a Ctrl+C right after the echo cancels this answer, not an idle press.
            using var answer = interrupts.BeginAnswer();
            if (plain)
            {
                view.Echo(line);
            }

            if (cut)
            {
                view.Note($"(Your message was cut to its first {MaxLineLength} characters.)");
            }

            try
            {
                var handling = session.HandleAsync(line, answer.Token);
                if (holdFirstAnswer)
                {
                    // Test hook: the first answer is held until Ctrl+C cancels it, so a test of cancelling never races the answer.
                    holdFirstAnswer = false;
                    _ = handling.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    await Task.Delay(Timeout.Infinite, answer.Token).ConfigureAwait(false);
                }

                var reply = await handling.ConfigureAwait(false);

                // Ctrl+C may land in code that does not check the token (ranking is plain CPU work): the reply
                // computed anyway is dropped, as the user asked for it not to come.
                answer.Token.ThrowIfCancellationRequested();
                await view.ShowAsync(reply, answer.Token).ConfigureAwait(false);
                if (reply.Quit)
                {
                    return ExitCodes.Ok;
                }
            }
            catch (OperationCanceledException) when (answer.Token.IsCancellationRequested)
            {
                view.Cancelled();
            }
        }
    }

    /// <summary>
    /// Ctrl+C: cancels the answer in progress; when idle, the first press warns and a second one ends the chat.
    /// Reads happen on a background task so a blocked read never keeps the chat from exiting.
    /// </summary>
    private sealed class Interrupts : IDisposable
    {
        private readonly TaskCompletionSource _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenSource? _answer;
        private int _idlePresses;

        public Interrupts() => System.Console.CancelKeyPress += OnCancel;

        public CancellationTokenSource BeginAnswer()
        {
            _idlePresses = 0;
            var cts = new CancellationTokenSource();
            Volatile.Write(ref _answer, cts);
            return cts;
        }

        public async Task<string?> ReadLineAsync()
        {
            Volatile.Write(ref _answer, null);
            var read = Task.Run(System.Console.In.ReadLine);
            var done = await Task.WhenAny(read, _exit.Task).ConfigureAwait(false);
            return done == read ? await read.ConfigureAwait(false) : null;
        }

        private void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            var answer = Volatile.Read(ref _answer);
            if (answer is not null && !answer.IsCancellationRequested)
            {
                try
                {
                    answer.Cancel();
                    return;
                }
                catch (ObjectDisposedException)
                {
                    // The answer finished meanwhile: treat the press as idle.
                }
            }

            if (++_idlePresses >= 2)
            {
                _exit.TrySetResult();
            }
            else
            {
                System.Console.Error.WriteLine();
                System.Console.Error.WriteLine("(Press Ctrl+C again or type /quit to leave.)");
            }
        }

        public void Dispose() => System.Console.CancelKeyPress -= OnCancel;
    }
}

/// <summary>Draws chat replies: tables and colour in a terminal, plain numbered lines when scripted. All item and model text is escaped.</summary>
internal sealed class ChatView(IAnsiConsole console, bool plain)
{
    // Plain mode writes whole lines to the console's writer: no markup, no wrapping at a guessed width.
    private readonly TextWriter _out = console.Profile.Out.Writer;

    public void Welcome(string? user)
    {
        var who = user is null ? "Starting cold: tell me what you are looking for." : $"Recommending for {user}.";
        if (plain)
        {
            _out.WriteLine($"Explainer chat. {who} /help for examples, /quit to leave.");
        }
        else
        {
            console.MarkupLine($"[bold]Explainer chat.[/] {Markup.Escape(who)} [grey]/help for examples, /quit or Ctrl+C twice to leave.[/]");
        }
    }

    public void Echo(string line) => _out.WriteLine("> " + line);

    private void Line(string text, bool bold = false)
    {
        if (plain)
        {
            _out.WriteLine(text);
        }
        else if (bold)
        {
            console.MarkupLine($"[bold]{Markup.Escape(text)}[/]");
        }
        else
        {
            console.WriteLine(text);
        }
    }

    public void Note(string text) => _out.WriteLine(text);

    public void Cancelled()
    {
        if (plain)
        {
            _out.WriteLine("(cancelled)");
        }
        else
        {
            console.MarkupLine("[yellow](cancelled)[/]");
        }
    }

    public async Task ShowAsync(ChatReply reply, CancellationToken cancellationToken)
    {
        if (reply.Event == ChatEvent.Why)
        {
            Line($"Why #{reply.Number?.ToString(CultureInfo.InvariantCulture)}, {ChatTexts.Shorten(reply.Subject ?? "", 80)}:", bold: true);
        }

        foreach (var line in ChatTexts.Lines(reply))
        {
            Line(line);
        }

        if (reply.Explanation is { } stream)
        {
            await foreach (var piece in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (plain)
                {
                    _out.Write(piece);
                    _out.Flush();
                }
                else
                {
                    console.Write(new Text(piece));
                }
            }

            Line(string.Empty);
        }
        else if (reply.Event == ChatEvent.Why)
        {
            Line("Explanations are not available in this build.");
        }

        if (reply.Event != ChatEvent.Why && reply.List is { } list && list.Items.Count > 0)
        {
            if (plain)
            {
                foreach (var row in list.Items)
                {
                    var i = row.Item;
                    var price = i.Price is { } p ? "$" + p.ToString("0.00", CultureInfo.InvariantCulture) : "no price";
                    _out.WriteLine($"{row.Recommendation.Rank,2}. {ChatTexts.Shorten(i.Title ?? i.Id, 80)} ({price}, {i.LeafCategory ?? "uncategorised"}) [{i.Id}]");
                    _out.WriteLine($"    {ReasonText.Short(row, list)}");
                }
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "Item", "Price", "Category", "Why (say \"why number N\" for more)");
                foreach (var row in list.Items)
                {
                    var i = row.Item;
                    table.AddRow(
                        row.Recommendation.Rank.ToString(CultureInfo.InvariantCulture),
                        Markup.Escape(ChatTexts.Shorten(i.Title ?? i.Id, 80)),
                        i.Price is { } p ? "$" + p.ToString("0.00", CultureInfo.InvariantCulture) : "",
                        Markup.Escape(i.LeafCategory ?? ""),
                        Markup.Escape(ReasonText.Short(row, list)));
                }

                console.Write(table);
            }
        }

        if (reply.Event != ChatEvent.Why && reply.List is { } shown && ReasonText.Note(shown) is { } note)
        {
            Line(note);
        }

        if (plain)
        {
            _out.Flush();
        }
    }
}
