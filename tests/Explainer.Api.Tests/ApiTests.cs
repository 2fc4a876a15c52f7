using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Explainer.Api.Apis;
using Explainer.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Explainer.Api.Tests;

/// <summary>The HTTP API served by Kestrel on loopback over a store built from the real Amazon data.</summary>
[Collection(RealStoreCollection.Name)]
public sealed class ApiTests(RealStoreFixture fixture) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private ApiServer _server = null!;

    private HttpClient Client => _server.Client;

    // A generous explanation budget here, so every explanation is asserted; the pending path has its own test.
    public async Task InitializeAsync() => _server = await ApiServer.StartAsync(fixture.Copy("api.db"), ("Api:ExplanationBudgetMs", "60000"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_OpenApi_document_and_reference_page_are_served()
    {
        var health = await Client.GetFromJsonAsync<HealthResponse>("/health", Json);
        Assert.Equal("ok", health!.Status);

        var openApi = await Client.GetStringAsync("/openapi/v1.json");
        using var doc = JsonDocument.Parse(openApi);
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/v1/users/{id}/recommendations", "/v1/recommendations", "/v1/users/{id}/feedback", "/v1/users/{id}/profile", "/v1/items/{id}", "/health" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document lacks {path}");
        }

        var page = await Client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task User_recommendations_list_k_unseen_items_with_titles_and_matched_keywords()
    {
        var response = await Client.GetFromJsonAsync<RecommendationsResponse>($"/v1/users/{RealStoreFixture.User}/recommendations?k=10", Json);
        Assert.Equal(RealStoreFixture.User, response!.UserId);
        Assert.Equal(10, response.Items.Count);
        Assert.Equal(Enumerable.Range(1, 10), response.Items.Select(i => i.Rank));
        Assert.Equal(10, response.Items.Select(i => i.ItemId).Distinct().Count());
        Assert.All(response.Items, i => Assert.False(string.IsNullOrWhiteSpace(i.Title)));
        Assert.All(response.Items, i => Assert.Null(i.Explanation)); // explain defaults to false
        Assert.Contains(response.Items, i => i.MatchedKeywords.Count > 0);
        Assert.True(response.Items.Zip(response.Items.Skip(1)).All(p => p.First.Score >= p.Second.Score - 1e-9), "scores descend with rank");

        var five = await Client.GetFromJsonAsync<RecommendationsResponse>($"/v1/users/{RealStoreFixture.User}/recommendations?k=5&diversity=0.3", Json);
        Assert.Equal(5, five!.Items.Count);
    }

    [Fact]
    public async Task Explain_true_gives_every_item_a_verified_explanation_quoting_the_user()
    {
        var health = await Client.GetFromJsonAsync<HealthResponse>("/health", Json);
        Assert.True(health!.ExplanationsAvailable);

        var response = await Client.GetFromJsonAsync<RecommendationsResponse>($"/v1/users/{RealStoreFixture.User}/recommendations?k=10&explain=true", Json);
        Assert.Equal(10, response!.Items.Count);
        Assert.All(response.Items, i => Assert.Equal(ExplanationDto.Ready, i.Explanation!.Status));
        Assert.All(response.Items, i => Assert.False(string.IsNullOrWhiteSpace(i.Explanation!.Text)));
        Assert.All(response.Items, i => Assert.False(string.IsNullOrWhiteSpace(i.Explanation!.Engine)));
        Assert.All(response.Items, i => Assert.NotEmpty(i.Explanation!.Evidence!));
        Assert.Equal(10, response.Items.Select(i => i.Explanation!.Text).Distinct().Count());
        var words = UserWords.Of(_server.Services, RealStoreFixture.User);
        Assert.Contains(response.Items, i => UserWords.QuotesFrom(i.Explanation!.Text!, words));

        // Asked again: the same texts, now from the store.
        var again = await Client.GetFromJsonAsync<RecommendationsResponse>($"/v1/users/{RealStoreFixture.User}/recommendations?k=10&explain=true", Json);
        Assert.Equal(response.Items.Select(i => i.Explanation!.Text), again!.Items.Select(i => i.Explanation!.Text));

        var cold = await Client.PostAsJsonAsync("/v1/recommendations", new { query = "a quiet practice amp", k = 3, explain = true });
        var coldBody = await cold.Content.ReadFromJsonAsync<RecommendationsResponse>(Json);
        Assert.All(coldBody!.Items, i => Assert.Equal(ExplanationDto.Ready, i.Explanation!.Status));
    }

    [Fact]
    public async Task Cold_start_query_ranks_items_for_free_text()
    {
        var response = await Client.PostAsJsonAsync("/v1/recommendations", new { query = "a tuner for my ukulele", k = 7 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<RecommendationsResponse>(Json);
        Assert.Equal("a tuner for my ukulele", body!.Query);
        Assert.Equal(7, body.Items.Count);
        Assert.Contains(body.Items.Take(5), i => (i.Title ?? "").Contains("tuner", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Profile_and_item_are_served()
    {
        var profile = await Client.GetFromJsonAsync<ProfileResponse>($"/v1/users/{RealStoreFixture.User}/profile", Json);
        Assert.Equal(RealStoreFixture.User, profile!.UserId);
        Assert.NotEmpty(profile.Keywords);
        Assert.NotEmpty(profile.Topics);
        Assert.Contains(profile.Keywords, k => k.Evidence.Count > 0);

        var item = await Client.GetFromJsonAsync<ItemResponse>("/v1/items/1384719342", Json);
        Assert.Equal("1384719342", item!.Id);
        Assert.False(string.IsNullOrWhiteSpace(item.Title));
        Assert.NotEmpty(item.Keywords);
        Assert.False(string.IsNullOrWhiteSpace(item.Description));
        Assert.Equal(Explainer.Extractive.ExtractiveKeywordExtractor.Version, item.DescriptionEngine); // the fixture's store was enriched without an LLM
    }

    [Fact]
    public async Task Unknown_user_and_item_are_404_problem_details()
    {
        foreach (var url in new[] { "/v1/users/NOBODY/recommendations", "/v1/users/NOBODY/profile", "/v1/items/NOTHING" })
        {
            var response = await Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var feedback = await Client.PostAsJsonAsync("/v1/users/NOBODY/feedback", new { itemId = "1384719342", kind = "like" });
        Assert.Equal(HttpStatusCode.NotFound, feedback.StatusCode);
    }

    [Theory]
    [InlineData("k=0", "k")]
    [InlineData("k=1000", "k")]
    [InlineData("k=101", "k")]
    [InlineData("diversity=2", "diversity")]
    public async Task Out_of_range_parameters_are_400_naming_the_field(string query, string field)
    {
        var response = await Client.GetAsync($"/v1/users/{RealStoreFixture.User}/recommendations?{query}");
        await AssertValidationProblem(response, field);

        if (field == "k")
        {
            var k = int.Parse(query[2..], System.Globalization.CultureInfo.InvariantCulture);
            await AssertValidationProblem(await Client.PostAsJsonAsync("/v1/recommendations", new { query = "guitar strings", k }), "k");
        }
    }

    [Fact]
    public async Task Malformed_json_missing_query_long_query_and_wrong_kind_are_400()
    {
        var malformed = await Client.PostAsync("/v1/recommendations", new StringContent("{\"query\": \"amp\", \"k\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);

        var malformedFeedback = await Client.PostAsync($"/v1/users/{RealStoreFixture.User}/feedback", new StringContent("not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformedFeedback.StatusCode);

        await AssertValidationProblem(await Client.PostAsJsonAsync("/v1/recommendations", new { k = 3 }), "query");
        await AssertValidationProblem(await Client.PostAsJsonAsync("/v1/recommendations", new { query = new string('a', 501) }), "query");
        await AssertValidationProblem(await Client.PostAsJsonAsync($"/v1/users/{RealStoreFixture.User}/feedback", new { itemId = "1384719342", kind = "love" }), "kind");
        await AssertValidationProblem(await Client.PostAsJsonAsync($"/v1/users/{RealStoreFixture.User}/feedback", new { itemId = "NOTHING", kind = "like" }), "itemId");

        var huge = await Client.PostAsync("/v1/recommendations", new StringContent($"{{\"query\": \"{new string('a', 100_000)}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Theory]
    [InlineData("GET", "recommendations?k=abc", null, "k", "integer")]
    [InlineData("GET", "recommendations?explain=maybe", null, "explain", "true or false")]
    [InlineData("GET", "recommendations?diversity=lots", null, "diversity", "number")]
    [InlineData("POST", "/v1/recommendations", "{\"query\": \"tuner\", \"k\": \"abc\"}", "k", "integer")]
    [InlineData("POST", "/v1/recommendations", "{\"query\": \"tuner\", \"exclude\": \"B0002PBS6S\"}", "exclude", "list")]
    [InlineData("POST", "/v1/recommendations", "[1, 2]", "body", "JSON object")]
    [InlineData("POST", "/v1/recommendations", "null", "body", "JSON object")]
    [InlineData("POST", "/v1/recommendations", "", "body", "JSON object")]
    [InlineData("POST", "/v1/recommendations", "{\"query\": \"tu", "body", "not valid JSON")]
    [InlineData("POST", "feedback", "{\"itemId\": 5, \"kind\": \"like\"}", "itemId", "string")]
    public async Task Unparsable_values_are_problem_details_naming_the_field(string method, string path, string? body, string field, string says)
    {
        var url = path.StartsWith('/') ? path : $"/v1/users/{RealStoreFixture.User}/{path}";
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = doc.RootElement.GetProperty("errors").GetProperty(field)[0].GetString()!;
        Assert.Contains(says, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_of_unknown_words_or_markup_says_so_and_a_script_is_never_echoed()
    {
        var nonsense = await Client.PostAsJsonAsync("/v1/recommendations", new { query = "asdkjh qwoeiu zzzz" });
        await AssertValidationProblem(nonsense, "query");

        var script = await Client.PostAsJsonAsync("/v1/recommendations", new { query = "<script>alert(1)</script>tuner <img src=x onerror=alert(2)>", k = 3, explain = true });
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        var raw = await script.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("script", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("tuner", JsonDocument.Parse(raw).RootElement.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Feedback_is_stored_and_changes_the_next_recommendations()
    {
        const string user = "A14VAT5EAX3D9S"; // another real user, so other tests do not interfere
        var before = await Client.GetFromJsonAsync<RecommendationsResponse>($"/v1/users/{user}/recommendations?k=10", Json);
        var profileBefore = await Client.GetFromJsonAsync<ProfileResponse>($"/v1/users/{user}/profile", Json);
        var first = before!.Items[0].ItemId;

        var response = await Client.PostAsJsonAsync($"/v1/users/{user}/feedback", new { itemId = first, kind = "dislike" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<FeedbackResponse>(Json);
        Assert.Equal(("dislike", profileBefore!.Version + 1), (result!.Kind, result.ProfileVersion));

        var after = await Client.GetFromJsonAsync<RecommendationsResponse>($"/v1/users/{user}/recommendations?k=10", Json);
        Assert.DoesNotContain(after!.Items, i => i.ItemId == first);
        Assert.NotEqual(before.Items.Select(i => i.ItemId), after.Items.Select(i => i.ItemId));
        var profileAfter = await Client.GetFromJsonAsync<ProfileResponse>($"/v1/users/{user}/profile", Json);
        Assert.Equal(profileBefore.Version + 1, profileAfter!.Version);

        var notInterested = after.Items[0].ItemId;
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"/v1/users/{user}/feedback", new { itemId = notInterested, kind = "not-interested" })).StatusCode);
        var third = await Client.GetFromJsonAsync<RecommendationsResponse>($"/v1/users/{user}/recommendations?k=10", Json);
        Assert.DoesNotContain(third!.Items, i => i.ItemId == notInterested || i.ItemId == first);
    }

    [Fact]
    public async Task Readers_in_parallel_with_feedback_writes_all_succeed_and_see_whole_profiles()
    {
        const string user = "A1L7M2JXN4EZCR";
        var candidates = (await Client.GetFromJsonAsync<RecommendationsResponse>($"/v1/users/{user}/recommendations?k=30", Json))!.Items.Select(i => i.ItemId).ToList();
        var writes = Task.Run(async () =>
        {
            foreach (var (item, n) in candidates.Take(12).Select((x, n) => (x, n)))
            {
                var kind = (n % 3) switch { 0 => "like", 1 => "dislike", _ => "not-interested" };
                var r = await Client.PostAsJsonAsync($"/v1/users/{user}/feedback", new { itemId = item, kind });
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }
        });
        var reads = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 8; i++)
            {
                var r = await Client.GetAsync($"/v1/users/{(i % 2 == 0 ? user : RealStoreFixture.User)}/recommendations?k=10");
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                var p = await Client.GetFromJsonAsync<ProfileResponse>($"/v1/users/{user}/profile", Json);
                Assert.NotEmpty(p!.Keywords);
            }
        }));
        await Task.WhenAll([writes, .. reads]);

        var final = await Client.GetFromJsonAsync<RecommendationsResponse>($"/v1/users/{user}/recommendations?k=10", Json);
        Assert.DoesNotContain(final!.Items, i => candidates.Take(12).Contains(i.ItemId));
    }

    private static async Task AssertValidationProblem(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for '{field}' in {doc.RootElement}");
        Assert.NotEmpty(messages.EnumerateArray());
    }
}

/// <summary>Explanations not in the store come back as pending when the budget runs out, and are served once generated.</summary>
[Collection(RealStoreCollection.Name)]
public sealed class ExplanationBudgetTests(RealStoreFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_short_budget_answers_in_time_with_pending_then_ready_from_the_store()
    {
        // The real explanation service, made slow the first time each (user, item) is asked (as an LLM would be).
        await using var server = await ApiServer.StartAsync(fixture.Copy("budget.db"), SlowFirstExplanations.Install, ("Api:ExplanationBudgetMs", "250"));
        var url = "/v1/users/A1L7M2JXN4EZCR/recommendations?k=10&explain=true";
        var first = await server.Client.GetFromJsonAsync<RecommendationsResponse>(url, Json);

        // Pending items prove the response did not wait for their explanations (no wall-clock bound: CI is shared).
        Assert.Contains(first!.Items, i => i.Explanation!.Status == ExplanationDto.Pending);
        Assert.All(first.Items, i => Assert.Contains(i.Explanation!.Status, new[] { ExplanationDto.Pending, ExplanationDto.Ready }));

        RecommendationsResponse? later = null;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await Task.Delay(500);
            later = await server.Client.GetFromJsonAsync<RecommendationsResponse>(url, Json);
            if (later!.Items.All(i => i.Explanation!.Status == ExplanationDto.Ready))
            {
                break;
            }
        }

        Assert.All(later!.Items, i => Assert.Equal(ExplanationDto.Ready, i.Explanation!.Status));
        Assert.Equal(first.Items.Select(i => i.ItemId), later.Items.Select(i => i.ItemId));
    }
}

/// <summary>Wraps the registered explanation service: the first call per (user, item) takes a second longer.</summary>
internal sealed class SlowFirstExplanations(Explainer.Core.Explaining.IExplanationService inner) : Explainer.Core.Explaining.IExplanationService
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _seen = new();

    public static void Install(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(Explainer.Core.Explaining.IExplanationService));
        services.Remove(real);
        services.AddSingleton<Explainer.Core.Explaining.IExplanationService>(sp => new SlowFirstExplanations(
            (Explainer.Core.Explaining.IExplanationService)(real.ImplementationInstance
                ?? real.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, real.ImplementationType!))));
    }

    public Task<IReadOnlyList<Explainer.Core.Domain.Explanation>> ExplainAllAsync(Explainer.Core.Recommending.RecommendationResult result, CancellationToken cancellationToken) =>
        inner.ExplainAllAsync(result, cancellationToken);

    public async Task<Explainer.Core.Domain.Explanation> ExplainAsync(Explainer.Core.Recommending.RecommendationResult result, int index, CancellationToken cancellationToken)
    {
        if (_seen.TryAdd($"{result.Profile?.UserId}|{result.Items[index].Item.Id}", true))
        {
            await Task.Delay(3000, cancellationToken); // far past the 250 ms budget, even on a loaded machine
        }

        return await inner.ExplainAsync(result, index, cancellationToken);
    }
}

/// <summary>With <c>Api:Key</c> configured, /v1 requires the key; /health does not.</summary>
[Collection(RealStoreCollection.Name)]
public sealed class ApiKeyTests(RealStoreFixture fixture)
{
    [Fact]
    public async Task A_configured_key_is_required_on_v1()
    {
        await using var server = await ApiServer.StartAsync(fixture.Copy("key.db"), ("Api:Key", "s3cret"));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("/v1/items/1384719342")).StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/items/1384719342") { Headers = { { "X-Api-Key", "guess" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/items/1384719342") { Headers = { { "X-Api-Key", "s3cret" } } };
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(right)).StatusCode);
    }
}

/// <summary>A user's own review text, and whether an explanation quotes it.</summary>
internal static partial class UserWords
{
    public static string Of(IServiceProvider services, string user) =>
        string.Join("\n", services.GetRequiredService<IRecommenderStore>().ReviewsByUser(user).Select(r => $"{r.Summary}\n{r.Text}")).ToLowerInvariant();

    /// <summary>Whether a quote in <paramref name="text"/> is the user's; a quote cut with "..." marks counts when every piece is.</summary>
    public static bool QuotesFrom(string text, string words) =>
        Quoted().Matches(text)
            .Select(m => m.Groups[1].Value.ToLowerInvariant().Split(["...", "…"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p.Length >= 4).ToList())
            .Any(pieces => pieces.Count > 0 && pieces.All(p => words.Contains(p, StringComparison.Ordinal)));

    [System.Text.RegularExpressions.GeneratedRegex("[\"“]([^\"”]{4,})[\"”]")]
    private static partial System.Text.RegularExpressions.Regex Quoted();
}
