using Seaweed.Data.Store;
using Seaweed.Model;

namespace Seaweed.Training.Samples;

public static class SampleSources
{
    /// <summary>The source a config names; a dataset needs <paramref name="store"/>.</summary>
    public static async Task<ISampleSource> OpenAsync(TrainingConfig config, IArtefactStore? store, CancellationToken cancellationToken = default)
    {
        var data = config.Data;
        if (data.Source == DataConfig.World)
        {
            int frames = config.Curriculum!.Where(s => s.Videos is not null).SelectMany(s => s.Videos!.Frames).DefaultIfEmpty(config.ModelConfig.Video.Frames).Max();
            return new WorldSampleSource(data.Seed, Math.Max(2, frames));
        }
        if (store is null) throw new ConfigException("data.source", $"reading the dataset '{data.Name}' needs an artefact store");
        return await DatasetSampleSource.OpenAsync(store, data.Name!, data.Seed, cancellationToken);
    }
}
