using System.Collections.Concurrent;
using Seaweed.Grains.Generation;
using Seaweed.Model;
using Seaweed.Tests.Shared;

namespace Seaweed.Grains.Tests.Generation;

/// <summary>A cache of two models over directories a, b, c that all load the one tiny model, counting the loads.</summary>
public sealed class ModelCacheTests : IDisposable
{
    private readonly string tiny = TinyModel.SaveTemp();
    private readonly ConcurrentDictionary<string, int> loads = new();
    private readonly ModelCache cache;

    public ModelCacheTests() => cache = new ModelCache(2, (directory, _) =>
    {
        loads.AddOrUpdate(directory, 1, (_, n) => n + 1);
        return SeaweedModel.Load(tiny);
    });

    [Fact]
    public void A_third_model_evicts_the_least_recently_used_one()
    {
        cache.Get("a").Dispose();
        var b = cache.Get("b");
        b.Dispose();
        cache.Get("a").Dispose();
        cache.Get("c").Dispose();

        Assert.Empty(b.Model.parameters()); // disposed
        cache.Get("a").Dispose();
        cache.Get("b").Dispose();
        Assert.Equal((1, 2), (loads["a"], loads["b"]));
    }

    [Fact]
    public void A_model_in_use_survives_however_long_ago_it_was_asked_for()
    {
        using var a = cache.Get("a");
        cache.Get("b").Dispose();
        cache.Get("c").Dispose();

        Assert.Same(a.Model, cache.Get("a").Model);
        Assert.NotEmpty(a.Model.parameters());
        Assert.Equal(1, loads["a"]);
        cache.Get("b").Dispose();
        Assert.Equal(2, loads["b"]);
    }

    [Fact]
    public void The_capacity_must_be_positive()
    {
        Assert.Equal(nameof(GenerationOptions.CachedModels), Assert.Throws<ArgumentException>(() => new GenerationOptions { CachedModels = 0 }.Validate()).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModelCache(0));
    }

    public void Dispose()
    {
        cache.Dispose();
        Directory.Delete(Path.GetDirectoryName(tiny)!, recursive: true);
    }
}
