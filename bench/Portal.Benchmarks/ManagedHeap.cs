using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Portal.Benchmarks;

/// <summary>
/// The live managed heap of another .NET process, the way dotnet-gcdump does it: an EventPipe session with the
/// GCHeapCollect keyword makes the runtime run a full, blocking collection, whose heap statistics we read.
/// </summary>
internal static class ManagedHeap
{
    public static long AfterFullCollection(int pid)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession([new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords)], requestRundown: false);
        using var source = new EventPipeEventSource(session.EventStream);
        var induced = false;
        long heap = -1;
        using var done = new ManualResetEventSlim();
        source.Clr.GCStart += e => induced = e.Reason == GCReason.Induced && e.Depth == 2;
        source.Clr.GCHeapStats += e =>
        {
            if (induced)
            {
                heap = e.TotalHeapSize;
                done.Set();
            }
        };
        var reader = Task.Run(source.Process);
        var ok = done.Wait(TimeSpan.FromSeconds(30));
        session.Stop();
        reader.Wait(TimeSpan.FromSeconds(10));
        return ok ? heap : throw new TimeoutException("the portal did not report a full collection");
    }
}
