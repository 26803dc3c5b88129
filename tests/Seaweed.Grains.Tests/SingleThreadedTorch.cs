using System.Runtime.CompilerServices;

namespace Seaweed.Grains.Tests;

/// <summary>
/// Exactness tests here compare training runs bit for bit, or within 1e-5 after AdamW steps, which magnify any
/// difference: with one intra-op thread, set before any test runs, libtorch's kernels take the same path whatever
/// else the test process is doing at the time.
/// </summary>
internal static class SingleThreadedTorch
{
#pragma warning disable CA2255 // a test assembly's own set-up, not a library's
    [ModuleInitializer]
    internal static void Initialize() => TorchSharp.torch.set_num_threads(1);
#pragma warning restore CA2255
}
