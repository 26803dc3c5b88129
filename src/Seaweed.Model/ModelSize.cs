using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Model;

public sealed record ParameterCounts(long Vae, long Dit, long Text)
{
    public long Total => Vae + Dit + Text;
}

/// <summary>Parameter counts of a configuration, from modules built on the meta device: shapes only, no memory.</summary>
public static class ModelSize
{
    /// <remarks>libtorch's default device is process-wide: no other thread should create tensors meanwhile. The
    /// construction lock keeps other modules from being built on the meta device.</remarks>
    public static ParameterCounts Count(SeaweedConfig config)
    {
        config.Validate();
        return SeededInit.Unseeded(() =>
        {
            var previous = get_default_device();
            set_default_device(new Device(DeviceType.META));
            try
            {
                using var vae = new CausalVae(config.Vae);
                using var dit = new HybridStreamDiT(config);
                using var text = new TextEncoder(config.Text);
                return new ParameterCounts(SeaweedModel.CountParameters(vae), SeaweedModel.CountParameters(dit), SeaweedModel.CountParameters(text));
            }
            finally
            {
                set_default_device(previous);
            }
        });
    }
}
