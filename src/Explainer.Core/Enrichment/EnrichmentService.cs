using System.Diagnostics;
using Explainer.Core.Domain;
using Explainer.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Explainer.Core.Enrichment;

/// <summary>Progress of enrichment: the stage ("items", "users") and how far it is.</summary>
public sealed record EnrichmentProgress(string Stage, int Done, int Total);

/// <summary>What an enrichment run did.</summary>
public sealed record EnrichmentSummary(string KeywordEngine, string DescriptionEngine, int ItemsEnriched, int ItemsUnchanged, int UsersEnriched, int UsersUnchanged, TimeSpan Elapsed);

/// <summary>
/// Writes item descriptions (with the items' own keywords) and user interest profiles. Incremental and
/// resumable: each result carries the hash of its inputs, unchanged ones are skipped, and results are committed
/// in small batches, so a killed run loses at most one batch and the next run finishes the rest. Items go first
/// because feedback on an item is applied to profiles through the item's keywords. Memory is bounded whatever the
/// corpus size: each batch reads its own reviews, extracted keywords wait in a temporary file for the users pass, and
/// the store gives back its read cache every <see cref="ReleaseEvery"/> batches (so nothing else may use the store
/// meanwhile: enrichment is a batch stage).
/// </summary>
public sealed class EnrichmentService(IRecommenderStore store, IKeywordExtractor extractor, IItemDescriber describer, PhraseVectors vectors, ILogger<EnrichmentService> logger)
{
    public const int BatchSize = 64;

    /// <summary>Every this many batches the store gives back the memory its reads took (LiteDB's page cache only grows).</summary>
    private const int ReleaseEvery = 100;

    private async Task<Func<string, float[]?>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        await vectors.EnsureAsync(texts, cancellationToken).ConfigureAwait(false);
        return vectors.Get;
    }

    public string KeywordEngine => extractor.EngineId;

    public string DescriptionEngine => describer.EngineId;

    public async Task<EnrichmentSummary> EnrichAsync(bool users, bool items, IProgress<EnrichmentProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();

        // Read once: an engine id can name a prompt version, which must not change in the middle of a run.
        var keywordEngine = extractor.EngineId;
        var descriptionEngine = describer.EngineId;
        using var keywords = new ReviewKeywordCache(extractor, spill: true);
        var prepared = false;

        // The corpus's aspects, shared by users and items so that "the user cares about X" and "reviewers praise X" mean the
        // same X. Stored and extended, never re-assigned, unless another engine wrote it.
        var storedAspects = store.FindAspectInventory();
        var inventory = storedAspects is not null && storedAspects.Engine == keywordEngine
            ? AspectInventory.Restore(storedAspects, await EmbedAsync(storedAspects.Leaders, cancellationToken).ConfigureAwait(false))
            : new AspectInventory { Engine = keywordEngine };

        async Task<List<AspectMentionOf>> MentionsAsync(IEnumerable<Review> batchReviews)
        {
            var list = batchReviews.SelectMany(r => keywords.Get(r.Id).Select(k => (r, k, Key: AspectKey.Of(k.Lemma)))).ToList();
            await vectors.EnsureAsync(list.Select(x => x.Key), cancellationToken).ConfigureAwait(false);
            return [.. list.Select(x => new AspectMentionOf(x.r, x.k, inventory.Assign(x.Key, x.k.Text, vectors.Get(x.Key))))];
        }

        // Corpus statistics from one streamed pass over the reviews, only when something is to be extracted.
        async Task Prepare()
        {
            if (!prepared)
            {
                logger.LogInformation("Learning corpus statistics from the store's reviews");
                await keywords.PrepareAsync(store.Reviews(), cancellationToken).ConfigureAwait(false);
                prepared = true;
            }
        }

        // Batches read their own reviews from the store (oldest first, as hashes and evidence expect): what is held at
        // once is one batch of reviews, the keyword offsets and the ids, not every review of the corpus.
        static Dictionary<string, List<Review>> Grouped(IEnumerable<Review> reviews, Func<Review, string> key) =>
            reviews.GroupBy(key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Time).ThenBy(r => r.Id, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

        int itemsDone = 0, itemsSkipped = 0, usersDone = 0, usersSkipped = 0, reads = 0;

        // Every ReleaseEvery reads of a piece of the catalogue, the store gives back the memory its reads took.
        void Read()
        {
            if (++reads % ReleaseEvery == 0)
            {
                store.ReleaseMemory();
            }
        }

        if (items)
        {
            var stored = store.DescriptionHashes();
            var all = store.Items().OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
            progress?.Report(new EnrichmentProgress("items", 0, all.Count));

            // Changed items wait (with their reviews) until a whole batch of them is ready, so an incremental run
            // describes them in batches as full as a first run's, whatever their place in the catalogue.
            var pending = new List<(Item Item, string Hash, List<Review> Reviews)>();
            async Task DescribeAsync(int count)
            {
                var batch = pending.Take(count).ToList();
                pending.RemoveRange(0, batch.Count);
                await Prepare().ConfigureAwait(false);
                var batchReviews = batch.SelectMany(b => b.Reviews).ToList();
                await keywords.EnsureAsync(batchReviews, cancellationToken).ConfigureAwait(false);
                await vectors.EnsureAsync(batchReviews.SelectMany(r => keywords.Get(r.Id)).Select(k => k.Text), cancellationToken).ConfigureAwait(false);
                var mentions = (await MentionsAsync(batchReviews).ConfigureAwait(false)).ToLookup(m => m.Review.ItemId, StringComparer.Ordinal);
                var toDescribe = batch.Select(b => new ItemToDescribe(b.Item, KeywordAggregator.Aggregate(b.Reviews.Select(r => (r, keywords.Get(r.Id))), vectors.Get, lemma => inventory.Find(AspectKey.Of(lemma))))).ToList();
                var written = await describer.DescribeAsync(toDescribe, cancellationToken).ConfigureAwait(false);
                var descriptions = batch.Select((b, i) => new ItemDescription
                {
                    ItemId = b.Item.Id,
                    Text = written[i].Text,
                    Keywords = toDescribe[i].Keywords,
                    Aspects = AspectScores.ForItem(mentions[b.Item.Id]),
                    Reviews = b.Reviews.Count,
                    MeanRating = b.Reviews.Count > 0 ? Math.Round(b.Reviews.Average(r => r.Rating), 4) : 0,
                    Engine = written[i].Engine,
                    InputHash = b.Hash,
                    UpdatedAt = DateTimeOffset.UtcNow,
                }).ToList();

                cancellationToken.ThrowIfCancellationRequested();
                store.SaveDescriptions(descriptions, inventory.ToRecord());
                itemsDone += descriptions.Count;
                progress?.Report(new EnrichmentProgress("items", itemsDone + itemsSkipped + pending.Count, all.Count));
            }

            foreach (var chunk in all.Chunk(BatchSize))
            {
                var byItem = Grouped(store.ReviewsOfItems([.. chunk.Select(i => i.Id)]), r => r.ItemId);
                Read();
                foreach (var item in chunk)
                {
                    var itemReviews = byItem.GetValueOrDefault(item.Id, []);
                    var hash = InputHash.Of([descriptionEngine, keywordEngine, .. InputHash.Fields(item), .. itemReviews.SelectMany(InputHash.Fields)]);
                    if (stored.GetValueOrDefault(item.Id) == hash)
                    {
                        itemsSkipped++;
                    }
                    else
                    {
                        pending.Add((item, hash, itemReviews));
                    }
                }

                if (pending.Count >= BatchSize)
                {
                    await DescribeAsync(BatchSize).ConfigureAwait(false);
                }
                else
                {
                    progress?.Report(new EnrichmentProgress("items", itemsDone + itemsSkipped + pending.Count, all.Count));
                }
            }

            while (pending.Count > 0)
            {
                await DescribeAsync(BatchSize).ConfigureAwait(false);
            }
        }

        if (users)
        {
            var stored = store.ProfileHashes();
            var all = store.Users().Select(u => u.Id).Order(StringComparer.Ordinal).ToList();
            progress?.Report(new EnrichmentProgress("users", 0, all.Count));
            var seen = 0;
            var pending = new List<(string User, string Hash, IReadOnlyList<Feedback> Feedback, List<Review> Reviews)>();
            async Task ProfileAsync(int count)
            {
                var batch = pending.Take(count).ToList();
                pending.RemoveRange(0, batch.Count);
                await Prepare().ConfigureAwait(false);
                var batchReviews = batch.SelectMany(b => b.Reviews).ToList();
                await keywords.EnsureAsync(batchReviews, cancellationToken).ConfigureAwait(false);
                await vectors.EnsureAsync(batchReviews.SelectMany(r => keywords.Get(r.Id)).Select(k => k.Text), cancellationToken).ConfigureAwait(false);
                var mentions = (await MentionsAsync(batchReviews).ConfigureAwait(false)).ToLookup(m => m.Review.UserId, StringComparer.Ordinal);
                var profiles = new List<InterestProfile>();
                foreach (var (user, hash, feedback, reviews) in batch)
                {
                    var reviewKeywords = KeywordAggregator.Aggregate(reviews.Select(r => (r, keywords.Get(r.Id))), vectors.Get, lemma => inventory.Find(AspectKey.Of(lemma)));
                    var profile = await ProfileBuilder.BuildAsync(user, reviewKeywords, feedback, store, vectors, keywordEngine, hash, previousVersion: null, cancellationToken).ConfigureAwait(false);
                    profiles.Add(profile with { Aspects = AspectScores.ForUser(mentions[user]) });
                }

                cancellationToken.ThrowIfCancellationRequested();
                store.SaveProfiles(profiles, inventory.ToRecord());
                usersDone += profiles.Count;
            }

            foreach (var chunk in all.Chunk(BatchSize))
            {
                var byUser = Grouped(store.ReviewsOfUsers(chunk), r => r.UserId);
                Read();
                foreach (var user in chunk.Where(byUser.ContainsKey))
                {
                    var feedback = store.FeedbackByUser(user);
                    var hash = ProfileBuilder.Hash(keywordEngine, byUser[user], feedback);
                    if (stored.GetValueOrDefault(user) == hash)
                    {
                        usersSkipped++;
                    }
                    else
                    {
                        pending.Add((user, hash, feedback, byUser[user]));
                    }
                }

                if (pending.Count >= BatchSize)
                {
                    await ProfileAsync(BatchSize).ConfigureAwait(false);
                }

                seen += chunk.Length;
                progress?.Report(new EnrichmentProgress("users", seen - pending.Count, all.Count));
            }

            while (pending.Count > 0)
            {
                await ProfileAsync(BatchSize).ConfigureAwait(false);
            }

            progress?.Report(new EnrichmentProgress("users", all.Count, all.Count));
        }


        logger.LogInformation("Enriched {Items} items and {Users} users with {Engine}", itemsDone, usersDone, keywordEngine);
        return new EnrichmentSummary(keywordEngine, descriptionEngine, itemsDone, itemsSkipped, usersDone, usersSkipped, clock.Elapsed);
    }
}
