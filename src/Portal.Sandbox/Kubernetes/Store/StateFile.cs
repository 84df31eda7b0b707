using System.Text.Json;

namespace Portal.Sandbox.Kubernetes.Store;

/// <summary>
/// The sandbox's <c>state.json</c>: the store written whole and atomically (a reader never sees half a file), by one
/// writer at a time. A real API server answers a write only once etcd has it; <see cref="FlushAsync"/> gives the
/// sandbox's API the same promise, so a portal killed right after a write (SIGKILL, OOM) finds it again on restart
/// instead of having recorded a change the cluster then forgot. Writes that arrive together share one save.
/// </summary>
internal sealed class StateFile(ObjectStore store, string path)
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private long _savedRevision = -1;

    public string Path { get; } = path;

    /// <summary>Writes the store now.</summary>
    public void Save()
    {
        _writer.Wait();
        try
        {
            Write();
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Returns once every change the store holds now is in the file (at once when it already is).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var wanted = store.Revision;
        if (Interlocked.Read(ref _savedRevision) >= wanted)
        {
            return;
        }

        await _writer.WaitAsync(ct);
        try
        {
            // Another write's save may have covered this one while it waited.
            if (Interlocked.Read(ref _savedRevision) < wanted)
            {
                Write();
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    private void Write()
    {
        var (revision, objects) = store.Snapshot();
        var temp = Path + ".tmp";
        using (var file = File.Create(temp))
        using (var writer = new Utf8JsonWriter(file))
        {
            writer.WriteStartObject();
            writer.WriteNumber("revision", revision);
            writer.WriteStartArray("objects");
            foreach (var (type, o) in objects)
            {
                writer.WriteStartObject();
                writer.WriteString("resource", type.QualifiedName);
                writer.WritePropertyName("object");
                o.WriteTo(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        File.Move(temp, Path, overwrite: true);
        Interlocked.Exchange(ref _savedRevision, revision);
    }
}
