using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using LiteDB;

namespace Explainer.Storage;

public sealed partial class ExplainerStore
{
    /// <summary>Stored runs of prompt-tuning sessions (<c>prompts run</c>).</summary>
    internal const string PromptRunsCollection = "promptRuns";

    /// <summary>Moves of prompts' active labels (promote / roll back).</summary>
    internal const string PromptHistoryCollection = "promptHistory";

    private ILiteCollection<Explanation> ExplanationsCollection => _db.GetCollection<Explanation>(Collections.Explanations);

    private ILiteCollection<PromptVersion> PromptsCollection => _db.GetCollection<PromptVersion>(Collections.Prompts);

    private ILiteCollection<PromptRun> PromptRunsStore => _db.GetCollection<PromptRun>(PromptRunsCollection);

    private ILiteCollection<PromptPromotion> PromptHistoryStore => _db.GetCollection<PromptPromotion>(PromptHistoryCollection);

    public Explanation? FindExplanation(string id) => ExplanationsCollection.FindById(id);

    public IEnumerable<Explanation> Explanations() => ExplanationsCollection.FindAll();

    public IReadOnlyDictionary<string, Explanation> FindExplanations(IReadOnlyCollection<string> ids) =>
        ids.Count == 0 ? new Dictionary<string, Explanation>()
            : ExplanationsCollection.Find(Query.In("_id", new BsonArray(ids.Distinct(StringComparer.Ordinal).Select(id => new BsonValue(id))))).ToDictionary(e => e.Id, StringComparer.Ordinal);

    public void SaveExplanation(Explanation explanation) => InTransaction(() => ExplanationsCollection.Upsert(explanation));

    public int DeleteExplanations(string promptName, string? keepVersion)
    {
        var prefix = promptName + "@";
        var doomed = ExplanationsCollection.Find(e => e.PromptVersion.StartsWith(prefix))
            .Where(e => keepVersion is null || e.PromptVersion != keepVersion).Select(e => e.Id).ToList();
        if (doomed.Count == 0)
        {
            return 0;
        }

        InTransaction(() =>
        {
            foreach (var id in doomed)
            {
                ExplanationsCollection.Delete(id);
            }
        });
        return doomed.Count;
    }

    public int CountExplanations() => ExplanationsCollection.Count();

    public IReadOnlyList<PromptVersion> PromptVersions(string? name = null) =>
        [.. (name is null ? PromptsCollection.FindAll() : PromptsCollection.Find(p => p.Name == name)).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.FirstSeen)];

    public void SavePromptVersions(IReadOnlyCollection<PromptVersion> versions) => InTransaction(() => PromptsCollection.Upsert(versions));

    public PromptRun? FindPromptRun(string id) => PromptRunsStore.FindById(id) is { } run ? Read(run) : null;

    public IEnumerable<PromptRun> PromptRuns() => PromptRunsStore.FindAll().Select(Read);

    public IReadOnlyList<PromptRun> PromptRuns(string name) => [.. PromptRunsStore.Find(r => r.Name == name).OrderBy(r => r.CreatedAt).Select(Read)];

    /// <summary>LiteDB's mapper stores an empty string as null: the cases of a run over items have no user, which is "".</summary>
    private static PromptRun Read(PromptRun run) =>
        run.Outputs.Any(o => o.UserId is null) ? run with { Outputs = [.. run.Outputs.Select(o => o.UserId is null ? o with { UserId = string.Empty } : o)] } : run;

    public void SavePromptRun(PromptRun run) => InTransaction(() => PromptRunsStore.Upsert(run));

    public IReadOnlyList<PromptPromotion> PromptHistory(string name) => [.. PromptHistoryStore.Find(p => p.Name == name).OrderBy(p => p.At).ThenBy(p => p.Id, StringComparer.Ordinal)];

    public IEnumerable<PromptPromotion> PromptHistory() => PromptHistoryStore.FindAll();

    public void MovePromptLabel(IReadOnlyCollection<PromptVersion> versions, PromptPromotion record) => InTransaction(() =>
    {
        PromptsCollection.Upsert(versions);
        PromptHistoryStore.Insert(record);
    });
}
