namespace Explainer.Storage;

/// <summary>Collection names, documented in the README's store schema.</summary>
internal static class Collections
{
    public const string Meta = "meta";
    public const string Users = "users";
    public const string Items = "items";
    public const string Reviews = "reviews";
    public const string Profiles = "profiles";
    public const string Descriptions = "descriptions";
    public const string Embeddings = "embeddings";
    public const string Explanations = "explanations";
    public const string Feedback = "feedback";
    public const string Prompts = "prompts";
}
