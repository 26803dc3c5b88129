using System.Collections.Concurrent;
using Seaweed.Model;

namespace Seaweed.Grains.Decoding;

/// <summary>
/// The VAEs this silo decodes with, by model name: each loaded once, on first use, and shared by the silo's tiles
/// (decoding only reads the weights). Disposed with the silo.
/// </summary>
public sealed class VaeCatalog(Func<string, CausalVae> load) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<CausalVae>> vaes = new();

    /// <summary>The model's VAE in eval mode; an unknown model throws what the loader throws (ArgumentException naming Model).</summary>
    public CausalVae Get(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var lazy = vaes.GetOrAdd(model, name => new Lazy<CausalVae>(() =>
        {
            var vae = load(name);
            vae.eval();
            return vae;
        }));
        try
        {
            return lazy.Value;
        }
        catch
        {
            vaes.TryRemove(new KeyValuePair<string, Lazy<CausalVae>>(model, lazy)); // a failed load is retried next time
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in vaes.Values)
            if (lazy.IsValueCreated) lazy.Value.Dispose();
        vaes.Clear();
    }
}
