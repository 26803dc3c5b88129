using Microsoft.Extensions.DependencyInjection;

namespace Seaweed.Grains;

/// <summary>
/// Fires as soon as the silo begins to stop, killed or not. Work that fails afterwards failed because the silo went
/// (its threads and peers are going), not on its own: a grain that persists an outcome must not record it, because
/// its next activation on another silo carries on from the state it had.
/// </summary>
public sealed class SiloStopping : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource stopping = new();

    public CancellationToken Token => stopping.Token;
    public bool IsStopping => stopping.IsCancellationRequested;

    void ILifecycleParticipant<ISiloLifecycle>.Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloStopping), ServiceLifecycleStage.Active, _ => Task.CompletedTask, _ =>
        {
            stopping.Cancel();
            return Task.CompletedTask;
        });

    /// <summary>Registers the service once, however many parts of the silo ask for it.</summary>
    public static void AddTo(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SiloStopping))) return;
        services.AddSingleton<SiloStopping>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<SiloStopping>());
    }
}
