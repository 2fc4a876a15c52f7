using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Explainer.Api.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Explainer.Tune.Tests;

/// <summary>
/// A whole prompt-tuning session in a real browser against a real `explainer serve` on loopback, on a copy of the
/// enriched real MI store, as a person tunes the Explain prompt: the key the server asks for, the versions, a draft with
/// an error shown inline and then a good one saved, a run with live progress (and one cancelled), the comparison with
/// the active version (metrics with deltas, improved / regressed counts, filters), a judgement, promote and roll back
/// with their history, and untrusted text kept as text. The server runs the LLM path on the tiny test model
/// (stories260K), whose drafts never pass verification; the candidate cuts max_tokens so far that its drafts are not
/// even JSON, which regresses every case whose baseline draft parsed. Afterwards the CLI shows the same history, counts
/// and judgements the page showed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class TuneSessionTests(BrowserFixture browser) : IDisposable
{
    private const string Explain = "Explain";
    private const string Xss = "<img src=x onerror=\"window.__xss = 1\"> and <script>window.__xss = 2</script>";
    private const int Users = 5;
    private const int Seed = 7;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_person_edits_runs_compares_judges_promotes_and_rolls_back_the_Explain_prompt_in_the_browser()
    {
        var db = browser.CopyStore(_dir);
        var prompts = TestPrompts.Copy(_dir);
        var environment = new Dictionary<string, string?> { ["EXPLAINER_Explain__PromptsPath"] = prompts };
        var key = "key-" + Guid.NewGuid().ToString("N");

        // A run made with the CLI and the extractive engine before the server starts: the page counts it.
        var baselineRun = await Cli(environment, "prompts", "run", Explain, "--sample", $"{Users}", "--seed", $"{Seed}", "--db", db);
        Assert.Equal(0, baselineRun.Code);
        var a = Regex.Match(baselineRun.Output, @"Run of Explain (\w{8})").Groups[1].Value;
        Assert.Equal(8, a.Length);

        string b;
        JsonElement comparison;
        await using (var serve = await ServeProcess.StartAsync(db, new Dictionary<string, string?>(environment)
        {
            ["EXPLAINER_Llm__ModelPath"] = TestPaths.StoriesModel,
            ["EXPLAINER_Api__Key"] = key,
        }))
        {
            serve.Client.DefaultRequestHeaders.Add("X-Api-Key", key);
            var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            var dialogs = new List<string>();
            page.Dialog += (_, dialog) =>
            {
                dialogs.Add(dialog.Message);
                _ = dialog.DismissAsync();
            };
            var consoleErrors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    consoleErrors.Add($"{message.Text} ({message.Location})");
                }
            };

            // The page is locked down: only its own origin's script, style and API.
            var response = await page.GotoAsync(new Uri(serve.Address, "/tune").ToString());
            Assert.NotNull(response);
            var csp = response.Headers["content-security-policy"];
            Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);

            // The server has Api:Key: the page asks for it, says when it is refused, then sends it.
            await Expect(page.Locator("#key-dialog")).ToBeVisibleAsync();
            await page.FillAsync("#api-key", "wrong");
            await page.ClickAsync("#key-submit");
            await Expect(page.Locator("#key-error")).ToHaveTextAsync("That key was refused.");
            await page.FillAsync("#api-key", key);
            await page.ClickAsync("#key-submit");
            await Expect(page.Locator("#key-dialog")).Not.ToBeVisibleAsync();

            // Versions: the four prompts; Explain with its one version, active, and the CLI's run counted.
            await Expect(page.Locator("#prompts button")).ToHaveCountAsync(4);
            await Expect(page.Locator("#prompts button.selected")).ToHaveTextAsync(Explain);
            var versions = page.Locator("#versions tbody tr");
            await Expect(versions).ToHaveCountAsync(1);
            await Expect(versions.Nth(0)).ToContainTextAsync(a + " active");
            await Expect(versions.Nth(0).Locator("td").Nth(4)).ToHaveTextAsync("1");
            await Expect(page.Locator("#version-text")).ToContainTextAsync("<message role=\"system\">"); // template markup shown as text
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "1-versions.png"), FullPage = true });

            // A draft with a mistyped variable: Semantic Kernel's check shows it inline with its line, and saving is blocked.
            await page.ClickAsync("#edit");
            var template = await page.InputValueAsync("#template");
            Assert.Contains("{{$evidence}}", template, StringComparison.Ordinal);
            var line = template[..template.IndexOf("{{$evidence}}", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
            await page.FillAsync("#template", template.Replace("{{$evidence}}", "{{$evidnce}}", StringComparison.Ordinal));
            var problems = page.Locator("#problems li.error");
            await Expect(problems.First).ToContainTextAsync($"skprompt.txt:{line}:");
            await Expect(problems.First).ToContainTextAsync("{{$evidnce}} is not an input of Explain");
            await Expect(page.Locator("#problems")).ToContainTextAsync("Missing input variable {{$evidence}}");
            await Expect(page.Locator("#save")).ToBeDisabledAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "2-inline-error.png"), FullPage = true });

            // A good draft (shorter wording, and max_tokens cut from 160 to 12), with untrusted text in its note, is saved as a new, inactive version.
            await page.FillAsync("#template", template.Replace("in one or two short sentences", "in one short sentence", StringComparison.Ordinal));
            var config = await page.InputValueAsync("#config");
            Assert.Contains("\"max_tokens\": 160", config, StringComparison.Ordinal);
            await page.FillAsync("#config", config.Replace("\"max_tokens\": 160", "\"max_tokens\": 12", StringComparison.Ordinal));
            await Expect(page.Locator("#problems")).ToHaveTextAsync("No problems.");
            await page.FillAsync("#note", Xss);
            await page.ClickAsync("#save");
            await Expect(versions).ToHaveCountAsync(2);
            await Expect(page.Locator("#version-hash")).Not.ToHaveTextAsync(a); // the page shows the new version once it has loaded it
            b = (await page.Locator("#version-hash").TextContentAsync())!;
            Assert.NotEqual(a, b);
            Assert.Equal(Xss, await versions.Nth(1).Locator("td").Nth(3).TextContentAsync());
            await Expect(page.Locator("#version-active")).ToHaveTextAsync(string.Empty);

            // A run cancelled part-way stores nothing.
            await page.FillAsync("#sample", "40");
            await page.ClickAsync("#run");
            await page.WaitForFunctionAsync("() => document.getElementById('progress').value > 0", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
            await page.ClickAsync("#cancel-run");
            await Expect(page.Locator("#progress-text")).ToContainTextAsync("cancelled", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
            Assert.DoesNotContain((await RunsAsync(serve)).EnumerateArray(), r => r.GetProperty("sample").GetInt32() == 40);

            // The run, with live progress (a value between 0 and the total is seen); the active version runs first on the
            // same sample, as the CLI's run of it was written by another engine.
            await page.FillAsync("#sample", $"{Users}");
            await page.FillAsync("#seed", $"{Seed}");
            await page.ClickAsync("#run");
            await page.WaitForFunctionAsync("() => { const p = document.getElementById('progress'); return p.value > 0 && p.value < p.max; }", null, new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 50 });
            await Expect(page.Locator("#progress-text")).ToContainTextAsync($"{2 * Users} / {2 * Users} users", new LocatorAssertionsToContainTextOptions { Timeout = 240_000 });
            await Expect(page.Locator("#progress-text")).ToContainTextAsync("done");
            await Expect(page.Locator("#progress-text")).ToContainTextAsync("the active version first");

            // Compare against the active version on the same cases: what the page shows is what the API computed.
            await Expect(page.Locator("#compare")).ToBeVisibleAsync();
            comparison = await serve.Client.GetFromJsonAsync<JsonElement>($"/v1/prompts/{Explain}/compare?candidate={b}");
            var cases = comparison.GetProperty("cases").EnumerateArray().ToList();
            var regressed = comparison.GetProperty("regressed").GetInt32();
            Assert.InRange(cases.Count, 1, Users);
            Assert.True(regressed > 0, "Cut to 12 tokens, the candidate's drafts are not JSON where the baseline's parsed: those cases regress.");
            Assert.Equal(0, comparison.GetProperty("improved").GetInt32());
            Assert.False(comparison.GetProperty("modelsDiffer").GetBoolean()); // both runs by the server's model, not the CLI's extractive run
            await Expect(page.Locator("#cmp-models")).ToBeHiddenAsync();
            await Expect(page.Locator("#cmp-baseline")).ToHaveTextAsync(a);
            await Expect(page.Locator("#cmp-candidate")).ToHaveTextAsync(b);
            await Expect(page.Locator("#count-regressed")).ToHaveTextAsync($"{regressed} regressed");
            await Expect(page.Locator("#count-improved")).ToHaveTextAsync("0 improved");
            await Expect(page.Locator("#count-unchanged")).ToHaveTextAsync($"{comparison.GetProperty("unchanged").GetInt32()} unchanged");
            var metrics = comparison.GetProperty("metrics").EnumerateArray().ToList();
            await Expect(page.Locator("#metrics tbody tr")).ToHaveCountAsync(metrics.Count);
            foreach (var metric in metrics)
            {
                var row = page.Locator($"#metrics tr[data-metric={metric.GetProperty("key").GetString()}] td");
                await Expect(row.Nth(0)).ToHaveTextAsync(metric.GetProperty("label").GetString()!);
                var digits = metric.GetProperty("format").GetString()!.Split('.') is [_, var d] ? d.Length : 0;
                await Expect(row.Nth(2)).ToHaveTextAsync(metric.GetProperty("candidate").GetDouble().ToString("F" + digits, System.Globalization.CultureInfo.InvariantCulture));
            }

            await Expect(page.Locator("#metrics tr[data-metric=tokens] td").Nth(3)).ToHaveClassAsync(new Regex("better")); // 12 tokens a draft: fewer is better
            await Expect(page.Locator("#metrics tr[data-metric=tokens] td").Nth(3)).ToContainTextAsync("-");
            await Expect(page.Locator("#prompt-diff del").First).ToContainTextAsync("or two");
            await Expect(page.Locator("#prompt-diff ins")).ToHaveTextAsync("sentence");
            await Expect(page.Locator(".case")).ToHaveCountAsync(cases.Count);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "3-compare.png"), FullPage = true });
            await page.Locator("#compare").ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "readme-compare.png") }); // the README's picture

            // Filters: regressions only, changed only, failed verification.
            await page.CheckAsync("input[name=filter][value=regressed]");
            await Expect(page.Locator(".case")).ToHaveCountAsync(regressed);
            await Expect(page.Locator(".case[data-outcome=regressed]")).ToHaveCountAsync(regressed);
            await Expect(page.Locator("#shown")).ToHaveTextAsync($"{regressed} of {cases.Count} cases");
            await page.CheckAsync("input[name=filter][value=changed]");
            await Expect(page.Locator(".case")).ToHaveCountAsync(comparison.GetProperty("changed").GetInt32());
            await page.CheckAsync("input[name=filter][value=failed]");
            await Expect(page.Locator(".case")).ToHaveCountAsync(cases.Count(c => !c.GetProperty("baselineScore").GetProperty("passed").GetBoolean() || !c.GetProperty("candidateScore").GetProperty("passed").GetBoolean()));
            await page.CheckAsync("input[name=filter][value=regressed]");

            // Judge a case: thumbs down with a comment (untrusted text again), counted in the header and stored with the run.
            var caseKey = (await page.Locator(".case").First.GetAttributeAsync("data-case"))!;
            Assert.Matches("^[A-Za-z0-9]+/[A-Za-z0-9]+$", caseKey); // Amazon ids: safe inside the selector below
            ILocator Card() => page.Locator($".case[data-case=\"{caseKey}\"]");
            await Card().Locator("button.down").ClickAsync();
            await Expect(page.Locator("#count-judged")).ToHaveTextAsync("judged 0 up / 1 down");
            await Expect(Card().Locator("button.down")).ToHaveAttributeAsync("aria-pressed", "true");
            await Card().Locator("input.comment").FillAsync(Xss);
            await Card().Locator("button.save-comment").ClickAsync();
            await Expect(Card().Locator("input.comment")).ToHaveValueAsync(Xss);
            await Expect(Card().Locator("button.down")).ToHaveAttributeAsync("aria-pressed", "true"); // saving a comment keeps the rating
            await Expect(page.Locator("#count-judged")).ToHaveTextAsync("judged 0 up / 1 down");
            var run = await serve.Client.GetFromJsonAsync<JsonElement>($"/v1/prompts/{Explain}/compare?candidate={b}");
            var judged = Assert.Single(run.GetProperty("candidateRun").GetProperty("outputs").EnumerateArray(), o => o.GetProperty("rating").GetInt32() != 0);
            Assert.Equal((caseKey, -1, Xss), ($"{judged.GetProperty("userId").GetString()}/{judged.GetProperty("itemId").GetString()}", judged.GetProperty("rating").GetInt32(), judged.GetProperty("comment").GetString()));

            // Promote: who and why go into the history; the candidate is active.
            await page.FillAsync("#who", "Tess Tuner");
            await page.FillAsync("#promote-note", "shorter wording reads better");
            await page.ClickAsync("#promote");
            await Expect(page.Locator("#version-active")).ToHaveTextAsync("active");
            var history = page.Locator("#history tbody tr");
            await Expect(history.First).ToContainTextAsync("promote");
            await Expect(history.First).ToContainTextAsync("Tess Tuner");
            await Expect(history.First).ToContainTextAsync("shorter wording reads better");
            await Expect(history.First.Locator("td").Nth(3)).ToHaveTextAsync(b);

            // Roll back: the baseline is active again, and the history says so.
            await page.FillAsync("#rollback-note", $"{regressed} regressions: the drafts fail verification");
            await page.ClickAsync("#rollback");
            await Expect(history.First).ToContainTextAsync("rollback");
            await Expect(history.First.Locator("td").Nth(2)).ToHaveTextAsync(b);
            await Expect(history.First.Locator("td").Nth(3)).ToHaveTextAsync(a);
            await Expect(page.Locator("#version-hash")).ToHaveTextAsync(a);
            await Expect(page.Locator("#version-active")).ToHaveTextAsync("active");
            await Expect(versions.Nth(0)).ToContainTextAsync(a + " active");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "4-history.png"), FullPage = true });

            // Untrusted text stayed text: nothing ran, no element was made from it.
            Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
            Assert.Equal(0, await page.Locator("main img, #compare img, script:not([src])").CountAsync());
            Assert.Empty(dialogs);
            // The requests without and with the wrong key are the only errors expected (401s).
            Assert.True(consoleErrors.All(e => e.Contains("status of 401", StringComparison.Ordinal)), string.Join("\n", consoleErrors));

            // DescribeItem runs over items, through the model: each case is the model's kept description, or the extractive
            // one with the model's rejected draft and why (the tiny model samples, so which it is varies).
            var describe = await serve.Client.PostAsJsonAsync("/v1/prompts/DescribeItem/runs", new { sample = 3, seed = Seed });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, describe.StatusCode);
            var describeJob = (await describe.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            JsonElement status;
            do
            {
                await Task.Delay(100);
                status = await serve.Client.GetFromJsonAsync<JsonElement>($"/v1/prompts/jobs/{describeJob}");
            }
            while (status.GetProperty("state").GetString() == "running");
            Assert.Equal(("done", 3, 3), (status.GetProperty("state").GetString(), status.GetProperty("done").GetInt32(), status.GetProperty("total").GetInt32()));
            var described = Assert.Single((await serve.Client.GetFromJsonAsync<JsonElement>("/v1/prompts/DescribeItem/runs")).EnumerateArray());
            Assert.Equal((3, "stories260K.gguf"), (described.GetProperty("metrics").GetProperty("outputs").GetInt32(), described.GetProperty("model").GetString()));
            var describedRun = await serve.Client.GetFromJsonAsync<JsonElement>($"/v1/prompts/DescribeItem/compare?candidate={described.GetProperty("hash").GetString()}");
            Assert.All(describedRun.GetProperty("candidateRun").GetProperty("outputs").EnumerateArray(), o =>
            {
                var engine = o.GetProperty("engine").GetString()!;
                if (engine == "extractive-fallback")
                {
                    Assert.InRange(o.GetProperty("level").GetInt32(), 1, 2);
                    Assert.Single(o.GetProperty("rejectedDrafts").EnumerateArray());
                    Assert.StartsWith("attempt 1: ", o.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
                }
                else
                {
                    Assert.StartsWith("llm:stories260K.gguf/DescribeItem@", engine, StringComparison.Ordinal);
                    Assert.Equal(3, o.GetProperty("level").GetInt32());
                    Assert.True(o.GetProperty("groundedPrecision").GetDouble() >= 0.6, "a kept description has 60% of its words from the item's data");
                }
            });
            Assert.Equal(0, await serve.StopAsync());
        }

        // The CLI, on the same store, shows the same versions, history, case counts and judgements.
        var list = await Cli(environment, "prompts", "list", "--db", db);
        Assert.Matches(new Regex($@"Explain\s*│\s*2\s*│\s*{a}\s*│"), list.Output);
        var historyCli = await Cli(environment, "prompts", "history", Explain, "--db", db);
        Assert.Equal(0, historyCli.Code);
        Assert.Contains($"promote   {a} -> {b}  by Tess Tuner: shorter wording reads better", historyCli.Output, StringComparison.Ordinal);
        Assert.Contains($"rollback  {b} -> {a}  by Tess Tuner: {comparison.GetProperty("regressed").GetInt32()} regressions: the drafts fail verification", historyCli.Output, StringComparison.Ordinal);
        var compare = await Cli(environment, "prompts", "compare", Explain, a, b, "--db", db, "--only", "regressed");
        Assert.True(compare.Code == 0, compare.Output);
        Assert.Contains($"Cases: 0 improved, {comparison.GetProperty("regressed").GetInt32()} regressed, {comparison.GetProperty("unchanged").GetInt32()} unchanged;", compare.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"Thumbs down\s*│\s*0\s*│\s*1\s*│\s*\+1\s*│"), compare.Output);
        Assert.Matches(new Regex(@"Thumbs up\s*│\s*0\s*│\s*0\s*│\s*\+0\s*│"), compare.Output);
    }

    [Fact]
    public async Task The_prompts_API_says_what_is_wrong_and_changes_nothing_on_a_bad_request()
    {
        var db = browser.CopyStore(_dir);
        var prompts = TestPrompts.Copy(_dir);
        await using var serve = await ServeProcess.StartAsync(db, new Dictionary<string, string?> { ["EXPLAINER_Explain__PromptsPath"] = prompts });
        var client = serve.Client;
        var template = await File.ReadAllTextAsync(Path.Combine(prompts, Explain, "skprompt.txt"));
        var config = await File.ReadAllTextAsync(Path.Combine(prompts, Explain, "config.json"));

        async Task<(int Status, JsonElement Body)> Send(HttpMethod method, string path, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }

        // Unknown prompt, version, job, run, page file: 404 with what is missing.
        var missing = await Send(HttpMethod.Get, "/v1/prompts/Nope/versions");
        Assert.Equal((404, "No prompt 'Nope'. See `explainer prompts list`."), (missing.Status, missing.Body.GetProperty("detail").GetString()));
        Assert.Equal(404, (await Send(HttpMethod.Get, $"/v1/prompts/{Explain}/versions/zzzz")).Status);
        Assert.Equal(404, (await Send(HttpMethod.Get, "/v1/prompts/jobs/nope")).Status);
        Assert.Equal(404, (await Send(HttpMethod.Put, "/v1/prompts/runs/nope/cases/u/i/judgement", new { rating = 1 })).Status);
        Assert.Equal(404, (await client.GetAsync("/tune/secrets.json")).StatusCode is var s ? (int)s : 0);

        // A draft with an error is refused with its problems; nothing is stored.
        var bad = await Send(HttpMethod.Post, $"/v1/prompts/{Explain}/versions", new { template = template.Replace("{{$reasons}}", "{{$reason}}", StringComparison.Ordinal), config, note = "typo" });
        Assert.Equal(400, bad.Status);
        Assert.Contains(bad.Body.GetProperty("problems").EnumerateArray(), p => p.GetProperty("message").GetString()!.StartsWith("{{$reason}} is not an input of Explain", StringComparison.Ordinal) && p.GetProperty("line").GetInt32() > 0);
        Assert.Single((await Send(HttpMethod.Get, $"/v1/prompts/{Explain}/versions")).Body.EnumerateArray());

        // Saving the text of the active version again returns that version; promoting it again is refused.
        var same = await Send(HttpMethod.Post, $"/v1/prompts/{Explain}/versions", new { template, config });
        Assert.Equal(200, same.Status); // the stored version back, not a new one
        Assert.True(same.Body.GetProperty("active").GetBoolean());
        var again = await Send(HttpMethod.Post, $"/v1/prompts/{Explain}/promote", new { version = same.Body.GetProperty("hash").GetString(), by = "t", note = "n" });
        Assert.Equal(400, again.Status);
        Assert.EndsWith("is already active.", again.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var noNote = await Send(HttpMethod.Post, $"/v1/prompts/{Explain}/rollback", new { by = "t" });
        Assert.Equal(400, noNote.Status);
        Assert.Contains("note", noNote.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Runs: only Explain, within bounds, one at a time; a cancelled one stores nothing.
        Assert.Equal(400, (await Send(HttpMethod.Post, "/v1/prompts/ExtractKeywords/runs", new { sample = 2 })).Status);
        Assert.Equal(400, (await Send(HttpMethod.Post, $"/v1/prompts/{Explain}/runs", new { sample = 0 })).Status);
        var first = await Send(HttpMethod.Post, $"/v1/prompts/{Explain}/runs", new { sample = 500 });
        Assert.Equal(202, first.Status);
        var id = first.Body.GetProperty("id").GetString();
        var busy = await Send(HttpMethod.Post, $"/v1/prompts/{Explain}/runs", new { sample = 2 });
        Assert.Equal((409, id), (busy.Status, busy.Body.GetProperty("job").GetString()));
        Assert.Equal(202, (await Send(HttpMethod.Delete, $"/v1/prompts/jobs/{id}")).Status);
        JsonElement job;
        do
        {
            await Task.Delay(50);
            job = (await Send(HttpMethod.Get, $"/v1/prompts/jobs/{id}")).Body;
        }
        while (job.GetProperty("state").GetString() == "running");
        Assert.Equal("cancelled", job.GetProperty("state").GetString());
        Assert.Empty((await RunsAsync(serve)).EnumerateArray());

        // A judgement out of range is refused.
        var done = await Send(HttpMethod.Post, $"/v1/prompts/{Explain}/runs", new { sample = 2, seed = 3 });
        do
        {
            await Task.Delay(50);
            job = (await Send(HttpMethod.Get, $"/v1/prompts/jobs/{done.Body.GetProperty("id").GetString()}")).Body;
        }
        while (job.GetProperty("state").GetString() == "running");
        var runId = job.GetProperty("runIds")[0].GetString()!;
        var run = Assert.Single((await RunsAsync(serve)).EnumerateArray());
        Assert.Equal((runId, 2, 3), (run.GetProperty("id").GetString(), run.GetProperty("sample").GetInt32(), run.GetProperty("seed").GetInt32()));
        var wrong = await Send(HttpMethod.Put, $"/v1/prompts/runs/{Uri.EscapeDataString(runId)}/cases/u/i/judgement", new { rating = 5 });
        Assert.Equal((400, "rating must be 1 (thumbs up), -1 (thumbs down) or 0 (none)."), (wrong.Status, wrong.Body.GetProperty("detail").GetString()));

        // A run over items has cases without a user ('-' in the judgement's path).
        var items = await Send(HttpMethod.Post, "/v1/prompts/DescribeItem/runs", new { sample = 2, seed = 1 });
        Assert.Equal(202, items.Status);
        do
        {
            await Task.Delay(50);
            job = (await Send(HttpMethod.Get, $"/v1/prompts/jobs/{items.Body.GetProperty("id").GetString()}")).Body;
        }
        while (job.GetProperty("state").GetString() == "running");
        var itemRunId = job.GetProperty("runIds")[0].GetString()!;
        var itemRun = (await Send(HttpMethod.Get, "/v1/prompts/DescribeItem/runs")).Body[0];
        Assert.Equal((itemRunId, 2), (itemRun.GetProperty("id").GetString(), itemRun.GetProperty("metrics").GetProperty("outputs").GetInt32()));
        var compare = await Send(HttpMethod.Get, $"/v1/prompts/DescribeItem/compare?candidate={itemRunId.Split('|')[1]}");
        var item = compare.Body.GetProperty("cases")[0];
        Assert.Equal(("", "unchanged"), (item.GetProperty("userId").GetString(), item.GetProperty("outcome").GetString())); // a version against itself
        var judged = await Send(HttpMethod.Put, $"/v1/prompts/runs/{Uri.EscapeDataString(itemRunId)}/cases/-/{item.GetProperty("itemId").GetString()}/judgement", new { rating = 1, comment = "reads well" });
        Assert.Equal((200, 1), (judged.Status, judged.Body.GetProperty("rating").GetInt32()));
        Assert.Equal(0, await serve.StopAsync());
    }

    private static async Task<JsonElement> RunsAsync(ServeProcess serve) =>
        await serve.Client.GetFromJsonAsync<JsonElement>($"/v1/prompts/{Explain}/runs");

    private static async Task<(int Code, string Output)> Cli(Dictionary<string, string?> environment, params string[] args)
    {
        var (code, output, errors) = await CliProcess.RunAsync(args, [], new Dictionary<string, string?>(environment) { ["COLUMNS"] = "200" });
        return (code, output + errors);
    }
}
