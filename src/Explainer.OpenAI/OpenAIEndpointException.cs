namespace Explainer.OpenAI;

/// <summary>An OpenAI-compatible endpoint that is down, refuses the request or answers something unusable; names the URL.</summary>
public sealed class OpenAIEndpointException : Exception
{
    public OpenAIEndpointException(string message, Uri? endpoint, Exception? innerException = null)
        : base(message, innerException) => Endpoint = endpoint;

    public OpenAIEndpointException()
    {
    }

    public OpenAIEndpointException(string message)
        : base(message)
    {
    }

    public OpenAIEndpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Uri? Endpoint { get; }
}
