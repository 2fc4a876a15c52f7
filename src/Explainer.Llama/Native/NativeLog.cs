using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Explainer.Llama.Native;

/// <summary>
/// Routes llama.cpp/ggml log lines to an <see cref="ILogger"/> (at Debug, errors at Warning) instead of stderr,
/// and keeps the last error lines so a failed load can say why.
/// </summary>
internal static unsafe class NativeLog
{
    private static readonly object Gate = new();
    private static readonly Queue<string> RecentErrors = new();
    private static readonly StringBuilder Pending = new();
    private static GgmlLogLevel _pendingLevel;

    public static ILogger Logger { get; set; } = NullLogger.Instance;

    public static void Install() => NativeMethods.llama_log_set(&OnLog, IntPtr.Zero);

    /// <summary>Clears the remembered errors (call before an operation whose failure you want to explain).</summary>
    public static void ResetErrors()
    {
        lock (Gate)
        {
            RecentErrors.Clear();
        }
    }

    /// <summary>The error/warning lines logged since <see cref="ResetErrors"/>, oldest first.</summary>
    public static IReadOnlyList<string> Errors()
    {
        lock (Gate)
        {
            return [.. RecentErrors];
        }
    }

    [UnmanagedCallersOnly]
    private static void OnLog(GgmlLogLevel level, byte* text, IntPtr userData)
    {
        try
        {
            var line = Marshal.PtrToStringUTF8((IntPtr)text) ?? string.Empty;
            lock (Gate)
            {
                if (level != GgmlLogLevel.Continue)
                {
                    _pendingLevel = level;
                }

                Pending.Append(line);
                if (!line.EndsWith('\n'))
                {
                    return;
                }

                var message = Pending.ToString().TrimEnd();
                Pending.Clear();
                if (message.Length == 0)
                {
                    return;
                }

                if (_pendingLevel is GgmlLogLevel.Error or GgmlLogLevel.Warn)
                {
                    RecentErrors.Enqueue(message);
                    while (RecentErrors.Count > 20)
                    {
                        RecentErrors.Dequeue();
                    }
                }

                var logLevel = _pendingLevel switch
                {
                    GgmlLogLevel.Error => LogLevel.Information, // failures are reported by the exception that follows
                    GgmlLogLevel.Warn => LogLevel.Debug,
                    _ => LogLevel.Trace,
                };
                if (Logger.IsEnabled(logLevel))
                {
                    Logger.Log(logLevel, "llama.cpp: {Message}", message);
                }
            }
        }
        catch
        {
            // Never let an exception cross into native code.
        }
    }
}
