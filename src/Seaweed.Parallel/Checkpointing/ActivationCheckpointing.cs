using System.Runtime.ExceptionServices;
using Seaweed.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>
/// Multi-level activation checkpointing (Seaweed §7.3) as a block runner for the DiT: each block runs at its
/// <see cref="CheckpointPolicy"/> level. Checkpointed blocks keep only their inputs — on the device, in host memory
/// or in a spill file — and are recomputed in backward. Offloads run on a background thread, one block behind the
/// forward (the newest inputs stay on the device: backward starts with them); while block i runs backward, block
/// i−1's inputs are brought back. Use one instance per rank, from the thread that runs the step, and call
/// <see cref="Backward"/> instead of <c>loss.backward()</c> so a failure inside backward is rethrown.
/// </summary>
/// <remarks>
/// Besides the block inputs, a checkpointed block keeps the output of its one compute-bound op that dominates:
/// attention (~90% of the forward FLOPs at 4k tokens, `seaweed bench mlac`), with its log-sum-exp, through
/// <see cref="Attention"/>; the recompute replays it instead of running it again. That adds about the inputs' size
/// again per block (d floats a token, plus one per head). The matmul outputs (qkv, MLP: ~13·d floats a token) are
/// recomputed: they would cost far more memory for little time. Run the DiT with <see cref="Execution"/> so its
/// attention goes through this instance.
/// </remarks>
public sealed class ActivationCheckpointing : IDisposable
{
    private readonly WorkerThread queue = new("mlac-transfer"); // in order: a block's prefetch always follows its offload
    private readonly List<SavedInputs> live = [];
    private readonly List<Tensor> handedOver = [];
    private readonly Lock gate = new();
    private long saves;
    private int recomputes;
    private ExceptionDispatchInfo? failure;
    private bool disposed;

    /// <param name="spillRoot">Where Disk-level spill files go (a fresh subdirectory, removed on
    /// <see cref="Dispose"/>); the system temporary directory when null.</param>
    public ActivationCheckpointing(CheckpointPolicy policy, string? spillRoot = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy.Validate();
        if (policy.Uses(ActivationLevel.Disk))
            SpillDirectory = Directory.CreateDirectory(Path.Combine(spillRoot ?? Path.GetTempPath(), $"seaweed-mlac-{Guid.NewGuid():N}")).FullName;
    }

    public CheckpointPolicy Policy { get; }
    public ActivationMemory Memory { get; } = new();

    /// <summary>The directory holding this instance's spill files; null unless the policy uses Disk.</summary>
    public string? SpillDirectory { get; }

    /// <summary>Blocks recomputed in backward so far.</summary>
    public int Recomputes => Volatile.Read(ref recomputes);

    /// <summary>The DiT seam for blocks: part of <see cref="Execution"/>.</summary>
    public BlockRunner Runner => Run;

    /// <summary>The DiT seam for attention: part of <see cref="Execution"/>.</summary>
    public AttentionReplay Attention { get; } = new();

    /// <summary>How to run the DiT under this instance: <c>dit.Forward(input, mlac.Execution())</c>.</summary>
    public DitExecution Execution(SequenceShard? shard = null) => new(Runner, shard, Attention);

    /// <summary>Runs one DiT block at its policy's level; inputs = [text, video, emb], outputs = [text, video].</summary>
    public Tensor[] Run(int layer, MMDiTBlock block, Func<Tensor[], Tensor[]> run, Tensor[] inputs)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length != 3) throw new ArgumentException($"expected [text, video, emb], got {inputs.Length} tensors", nameof(inputs));
        ThrowIfFailed();
        DisposeHandedOver();

        var parameters = block.parameters().Cast<Tensor>().ToArray();
        // Without a graph to differentiate there is no backward to save for (evaluation, frozen blocks).
        if (!is_grad_enabled() || !inputs.Concat(parameters).Any(t => t.requires_grad)) return run(inputs);
        var level = Policy.For(block);
        if (level != ActivationLevel.Keep) return RunCheckpointed(layer, level, run, inputs, parameters);
        // A kept block is accounted until the backward reaches its inputs, so only when one of them has a gradient.
        return inputs.Any(x => x.requires_grad) ? RunKept(run, inputs) : run(inputs);
    }

    /// <summary><c>loss.backward()</c>, then rethrows a failure of a checkpointed block's backward.</summary>
    public void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        loss.backward();
        DisposeHandedOver();
        ThrowIfFailed();
    }

    private Tensor[] RunKept(Func<Tensor[], Tensor[]> run, Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        long accounted = 0;
        void Release(List<Tensor> grads)
        {
            Memory.Add(MemoryTier.Device, -Interlocked.Exchange(ref accounted, 0));
            foreach (var g in grads) DisposeAfterHandOver(g);
        }
        var kept = KeptInputsFunction.apply([(Action<List<Tensor>>)Release, .. inputs]).ToArray();
        long? before = NativeHeap.BytesInUse();
        var outputs = run(kept);
        // Where the heap cannot be read, count what the graph surely holds: the inputs.
        long held = before is { } b && NativeHeap.BytesInUse() is { } after
            ? Math.Max(0, after - b)
            : inputs.Sum(x => x.NumberOfElements * x.ElementSize);
        Interlocked.Add(ref accounted, held);
        Memory.Add(MemoryTier.Device, held);
        return outputs.Select(o => o.MoveToOuterDisposeScope()).ToArray();
    }

    private Tensor[] RunCheckpointed(int layer, ActivationLevel level, Func<Tensor[], Tensor[]> run, Tensor[] inputs, Tensor[] parameters)
    {
        using var scope = NewDisposeScope(); // also frees the output placeholders TorchSharp allocates per node
        var call = new CheckpointedBlock(this, layer, level, run, parameters);
        try
        {
            var outputs = RecomputeFunction.apply([call, .. inputs, .. parameters]);
            return outputs.Select(o => o.MoveToOuterDisposeScope()).ToArray();
        }
        catch
        {
            ReleaseAll(); // the step this block belongs to cannot be finished: nothing it saved will be read
            throw;
        }
    }

    internal SavedInputs Save(int layer, ActivationLevel level, Tensor[] inputs)
    {
        long n = Interlocked.Increment(ref saves);
        string? file = level == ActivationLevel.Disk ? Path.Combine(SpillDirectory!, $"{n:D8}-layer{layer}.act") : null;
        var saved = new SavedInputs(inputs, level, Memory, queue, file);
        lock (gate)
        {
            if (live.Count > 0) live[^1].BeginOffload();
            live.Add(saved);
        }
        return saved;
    }

    /// <summary>Starts bringing back the inputs saved just before <paramref name="saved"/>: the next block backward needs.</summary>
    internal void PrefetchBefore(SavedInputs saved)
    {
        lock (gate)
        {
            int i = live.IndexOf(saved);
            if (i > 0) live[i - 1].Prefetch();
        }
    }

    internal void Release(SavedInputs saved)
    {
        lock (gate) live.Remove(saved);
        saved.Release();
    }

    /// <summary>Blocks until every offload and prefetch asked for so far has finished.</summary>
    internal void WaitForTransfers() => queue.Run(() => { }).GetAwaiter().GetResult();

    internal void CountRecompute() => Interlocked.Increment(ref recomputes);

    /// <summary>A gradient returned to the autograd engine: it copies the handle on return, so free ours later.</summary>
    internal void DisposeAfterHandOver(Tensor gradient)
    {
        lock (gate) handedOver.Add(gradient);
    }

    internal void Fail(int layer, Exception e)
    {
        lock (gate) failure ??= ExceptionDispatchInfo.Capture(new InvalidOperationException($"backward of checkpointed layer {layer} failed: {e.Message}", e));
        ReleaseAll();
    }

    private void ThrowIfFailed()
    {
        ExceptionDispatchInfo? f;
        lock (gate) (f, failure) = (failure, null);
        f?.Throw();
    }

    private void DisposeHandedOver()
    {
        Tensor[] done;
        lock (gate)
        {
            done = handedOver.ToArray();
            handedOver.Clear();
        }
        foreach (var g in done) g.Dispose();
    }

    private void ReleaseAll()
    {
        SavedInputs[] all;
        lock (gate)
        {
            all = live.ToArray();
            live.Clear();
        }
        foreach (var s in all) s.Release();
    }

    /// <summary>Frees whatever a graph dropped without backward left behind and removes the spill directory.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        ReleaseAll();
        DisposeHandedOver();
        queue.Dispose();
        if (SpillDirectory is not null && Directory.Exists(SpillDirectory)) Directory.Delete(SpillDirectory, recursive: true);
    }
}
