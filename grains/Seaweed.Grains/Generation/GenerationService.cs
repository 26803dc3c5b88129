using Seaweed.Data.Video;
using Seaweed.Grains.Compute;

namespace Seaweed.Grains.Generation;

/// <summary>
/// A silo's generation capacity: the bounded queue (admission of at most <see cref="GenerationOptions.QueueCapacity"/>
/// jobs, running or waiting), the dedicated threads the models run on (never Orleans scheduler threads), and the
/// silo's <see cref="ModelCache"/>. When the silo stops, running work is cancelled at its next step.
/// </summary>
public sealed class GenerationService : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CpuWorkerPool workers;
    private readonly HashSet<string> admitted = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private int disposed;

    public GenerationService(GenerationOptions options, ModelCache models)
    {
        ArgumentNullException.ThrowIfNull(models);
        Models = models;
        Options = options.Validate();
        workers = new CpuWorkerPool(options.Workers, "seaweed-generate");
        Ffmpeg = options.Ffmpeg is { } path ? new Ffmpeg(path) : Ffmpeg.Locate();
    }

    public GenerationOptions Options { get; }
    public ModelCache Models { get; }
    public Ffmpeg Ffmpeg { get; }
    public int Capacity => Options.QueueCapacity;

    /// <summary>The silo has begun to stop: work cancelled now is the next activation's to take up, not a failure.</summary>
    public bool IsStopping => stopping.IsCancellationRequested;

    /// <summary>Jobs admitted and not yet released.</summary>
    public int Count
    {
        get { lock (gate) return admitted.Count; }
    }

    /// <summary>
    /// Takes a place in the queue for <paramref name="job"/> (again true if it holds one); false when the queue is full.
    /// <paramref name="force"/> admits regardless: a job taken up after its silo died is never refused.
    /// </summary>
    public bool TryAdmit(string job, bool force = false)
    {
        lock (gate)
        {
            if (admitted.Contains(job)) return true;
            if (!force && admitted.Count >= Capacity) return false;
            admitted.Add(job);
            return true;
        }
    }

    public void Release(string job)
    {
        lock (gate) admitted.Remove(job);
    }

    /// <summary>Runs <paramref name="work"/> on a generation thread, in order; its token fires on cancellation or silo stop.</summary>
    public async Task<T> Run<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        return await workers.Run(() => work(linked.Token), linked.Token);
    }

    void ILifecycleParticipant<ISiloLifecycle>.Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(GenerationService), ServiceLifecycleStage.Active, _ => Task.CompletedTask, _ =>
        {
            stopping.Cancel();
            return Task.CompletedTask;
        });
        lifecycle.Subscribe(nameof(GenerationService), ServiceLifecycleStage.RuntimeInitialize, _ => Task.CompletedTask, _ =>
        {
            Dispose();
            return Task.CompletedTask;
        });
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        stopping.Cancel();
        workers.Dispose();
        Models.Dispose();
    }
}
