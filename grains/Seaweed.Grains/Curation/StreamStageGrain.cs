using Orleans.Streams;

namespace Seaweed.Grains.Curation;

/// <summary>
/// A pipeline stage fed by a stream: implicitly subscribed to <paramref name="streamNamespace"/>, it takes the items
/// of the stream keyed like itself. <see cref="Process"/> reports its outcome to the run; should the report itself
/// fail, the stream delivers the item again, and processing it twice writes the same artefacts.
/// </summary>
public abstract class StreamStageGrain<TTask>(string streamNamespace) : Grain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(CurationStreams.Provider)
            .GetStream<TTask>(StreamId.Create(streamNamespace, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync((task, _) => Process(task));
    }

    protected abstract Task Process(TTask task);
}
