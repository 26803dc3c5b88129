using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Seaweed.Grains.Storage;

/// <summary>
/// Grain state as one JSON file per grain and state name, <c>{root}/{state}/{grain}.json</c>, holding
/// <c>{"etag": …, "state": …}</c>. Every write gets a fresh random etag, so a stale activation can never match a newer
/// record, not even one written after a clear. Writes go to a temp file that is renamed over the record, so a crash
/// leaves the old state or the new one. One process owns a root; the etag check under per-file locks, shared by
/// every instance in the process (several in-process silos may share a root), guards it.
/// </summary>
public sealed class FileGrainStorage : IGrainStorage
{
    private const int LockStripes = 64;

    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private static readonly SemaphoreSlim[] Locks = Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <param name="serializer">Must produce JSON, as the Orleans default and System.Text.Json serializers do.</param>
    /// <param name="activators">Creates the empty state handed back for a missing or cleared record.</param>
    public FileGrainStorage(string rootDirectory, IGrainStorageSerializer serializer, IActivatorProvider activators)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(activators);
        Root = Path.GetFullPath(rootDirectory);
        _serializer = serializer;
        _activators = activators;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The file that holds <paramref name="stateName"/> of <paramref name="grainId"/>.</summary>
    public string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(Root, GrainStateFileName.Escape(stateName), GrainStateFileName.Escape(grainId.ToString()) + ".json");

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var path = PathOf(stateName, grainId);
        // Renames are atomic, so reading without the lock sees one whole record or none.
        var record = await StateRecord.ReadAsync(path, cancellationToken);
        if (record is null)
        {
            Reset(grainState);
            return;
        }
        grainState.State = _serializer.Deserialize<T>(record.State);
        grainState.ETag = record.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var path = PathOf(stateName, grainId);
        var state = _serializer.Serialize(grainState.State);
        var gate = LockFor(path);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var stored = (await StateRecord.ReadAsync(path, cancellationToken))?.ETag;
            if (stored != grainState.ETag) throw Conflict("write", stateName, grainId, stored, grainState.ETag);

            var etag = Guid.NewGuid().ToString("N");
            await StateRecord.WriteAsync(path, new StateRecord(etag, state), cancellationToken);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var path = PathOf(stateName, grainId);
        var gate = LockFor(path);
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Clearing a record that is already gone reaches the wanted end state, so only a newer record conflicts.
            var stored = (await StateRecord.ReadAsync(path, cancellationToken))?.ETag;
            if (stored is not null && stored != grainState.ETag) throw Conflict("clear", stateName, grainId, stored, grainState.ETag);
            File.Delete(path);
            Reset(grainState);
        }
        finally
        {
            gate.Release();
        }
    }

    private void Reset<T>(IGrainState<T> grainState)
    {
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static SemaphoreSlim LockFor(string path) => Locks[(path.GetHashCode() & int.MaxValue) % LockStripes];

    private static InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? stored, string? current) =>
        new($"Cannot {operation} state '{stateName}' of {grainId}: stored etag is {stored ?? "none"}, the grain holds {current ?? "none"}",
            stored ?? "none", current ?? "none");
}
