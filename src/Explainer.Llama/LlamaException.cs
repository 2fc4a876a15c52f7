namespace Explainer.Llama;

/// <summary>A failure of the in-process LLM with a message meant for the user (path and reason).</summary>
public class LlamaException : Exception
{
    public LlamaException()
    {
    }

    public LlamaException(string message)
        : base(message)
    {
    }

    public LlamaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
