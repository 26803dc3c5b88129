using Seaweed.Tests.Shared;
using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

/// <summary>Other tests here build modules without the construction lock: this one runs alone.</summary>
[CollectionDefinition(nameof(SeededInitTests), DisableParallelization = true)]
public sealed class SeededInitCollection;

[Collection(nameof(SeededInitTests))]
public sealed class SeededInitTests
{
    /// <summary>A silo may load a model for generation while a rank initialises its weights from the run's seed: the
    /// load's default initialisation must not draw from the seeded stream.</summary>
    [Fact]
    public async Task A_seeded_construction_gets_its_seeds_weights_while_another_thread_loads_a_model()
    {
        var directory = TinyModel.SaveTemp();
        try
        {
            Tokenizer tokenizer;
            using (var saved = SeaweedModel.Load(directory)) tokenizer = saved.Tokenizer;
            SeaweedModel Seeded() => SeededInit.Create(3, () => new SeaweedModel(TinyModel.Config, tokenizer));
            using var alone = Seeded();
            using var stop = new CancellationTokenSource();
            int loads = 0;
            var loading = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    SeaweedModel.Load(directory).Dispose();
                    Interlocked.Increment(ref loads);
                }
            });
            // Construct until the other thread has loaded many times meanwhile, so their constructions overlap.
            int start = -1;
            for (int i = 0; Volatile.Read(ref loads) < start + 20 && i < 500; i++)
            {
                if (i == 1) start = Volatile.Read(ref loads);
                using var beside = Seeded();
                foreach (var ((name, expected), (_, actual)) in alone.state_dict().Zip(beside.state_dict()))
                    Assert.True(expected.equal(actual).all().item<bool>(), $"construction {i}: {name} differs from the seed's");
            }
            stop.Cancel();
            await loading;
            Assert.True(loads >= start + 20, $"only {loads - start} loads overlapped the constructions");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
        }
    }
}
