namespace Explainer.Core.Domain;

/// <summary>What an embedding represents.</summary>
public enum EmbeddingKind
{
    UserProfile,
    ItemDescription,
    Keyword,
}

/// <summary>A stored, L2-normalised vector, tied to the encoder that produced it.</summary>
public sealed record EmbeddingRecord
{
    /// <summary><c>kind|owner</c>.</summary>
    public required string Id { get; init; }

    public required EmbeddingKind Kind { get; init; }

    public required string OwnerId { get; init; }

    /// <summary>Encoder name and dimension; vectors from different encoders are never compared.</summary>
    public required string Encoder { get; init; }

    public required float[] Vector { get; init; }

    public required string InputHash { get; init; }

    public static string MakeId(EmbeddingKind kind, string ownerId) => $"{kind}|{ownerId}";
}
