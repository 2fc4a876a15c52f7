namespace Explainer.Onnx;

/// <summary>An encoder folder cannot be used (missing, corrupt, inconsistent) or a run failed; the message says what to do.</summary>
public sealed class EncoderException : Exception
{
    public EncoderException()
    {
    }

    public EncoderException(string message)
        : base(message)
    {
    }

    public EncoderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
