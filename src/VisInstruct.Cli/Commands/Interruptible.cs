using System.Runtime.InteropServices;

namespace VisInstruct.Cli.Commands;

/// <summary>
/// Runs a conversion so that Ctrl+C (SIGINT) and SIGTERM stop it cleanly: the work is cancelled, its staged
/// temporary file is removed, nothing the user had is touched, and the exit code says which signal it was.
/// </summary>
internal static class Interruptible
{
    public static int Run(CliConsole console, Func<CancellationToken, int> work, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int signal = 0;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            Interlocked.CompareExchange(ref signal, 2, 0);
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Interlocked.CompareExchange(ref signal, 15, 0);
            stop.Cancel();
        });
        try
        {
            return work(stop.Token);
        }
        catch (Exception ex) when (ex is not VisInstruct.IO.DiskFullException && VisInstruct.IO.DiskSpace.IsFull(ex))
        {
            // The staged output was removed with its command; the message names the path and the fix.
            throw VisInstruct.IO.DiskSpace.Explain(ex, folder: null);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            console.Error.WriteLine("interrupted: nothing was written and no temporary file was left; run the same command again");
            return Volatile.Read(ref signal) == 15 ? ExitCodes.Terminated : ExitCodes.Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
