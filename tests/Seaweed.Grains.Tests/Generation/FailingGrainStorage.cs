using Orleans.Storage;

namespace Seaweed.Grains.Tests.Generation;

/// <summary>Grain storage whose writes fail, storing nothing, for the states <paramref name="fails"/> picks.</summary>
internal sealed class FailingGrainStorage(IGrainStorage inner, Func<object?, bool> fails) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => fails(grainState.State)
        ? Task.FromException(new IOException($"the grain store is unavailable: {grainId} is not written"))
        : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
