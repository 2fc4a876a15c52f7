using System.Security.Cryptography;
using System.Text;
using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>Hashes of what a stored result was computed from; equal hash = nothing to recompute.</summary>
public static class InputHash
{
    public static string Of(IEnumerable<string?> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(part ?? "\u0000"));
            sha.AppendData("\u001f"u8);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..32];
    }

    public static IEnumerable<string?> Fields(Review r) => [r.Id, r.Rating.ToString("R", System.Globalization.CultureInfo.InvariantCulture), r.Summary, r.Text];

    public static IEnumerable<string?> Fields(Feedback f) => [f.ItemId, f.Kind.ToString(), f.Time.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)];

    public static IEnumerable<string?> Fields(Item i) =>
        [i.Id, i.Title, string.Join('/', i.Categories), i.Price?.ToString(System.Globalization.CultureInfo.InvariantCulture), i.Brand, i.Description,
         string.Join(';', i.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + string.Join('|', a.Value)))];
}
