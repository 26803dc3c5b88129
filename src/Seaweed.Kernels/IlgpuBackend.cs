using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using static TorchSharp.torch;

namespace Seaweed.Kernels;

/// <summary>
/// The <see cref="IlgpuKernels"/> on an ILGPU accelerator. Here that is the CPU accelerator, which binds libtorch
/// memory without copying and checks the kernels' numerics (it emulates a GPU grid, far slower than
/// <see cref="SimdBackend"/>). The same kernels compile to PTX (<see cref="IlgpuPtx"/>); launching them on libtorch's
/// CUDA tensors is not wired: ILGPU 1.5.3 opens its own CUDA context and cannot wrap libtorch's device pointers.
/// </summary>
public sealed class IlgpuBackend : IFusedBackend, IDisposable
{
    private readonly Context context;
    private readonly Accelerator accelerator;
    private readonly Lock gate = new();
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, QkDims> qkForward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, QkDims> qkBackward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowDims> modulateForward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowDims> modulateBackward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowDims> gatedForward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowDims> gatedBackward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int> swiGluForward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> swiGluBackward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, int> columnSums;

    /// <summary>The CPU accelerator with 2 threads per warp × 1 warp × 2 multiprocessors: the fastest emulation here.</summary>
    public static IlgpuBackend CreateCpu()
    {
        var context = Context.Create(b => b.CPU(new CPUDevice(2, 1, 2)));
        return new IlgpuBackend(context, context.CreateCPUAccelerator(0, CPUAcceleratorMode.Parallel));
    }

    private IlgpuBackend(Context context, Accelerator accelerator)
    {
        this.context = context;
        this.accelerator = accelerator;
        var a = accelerator;
        qkForward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, QkDims>(IlgpuKernels.QkNormRopeForward);
        qkBackward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, QkDims>(IlgpuKernels.QkNormRopeBackward);
        modulateForward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowDims>(IlgpuKernels.ModulateForward);
        modulateBackward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowDims>(IlgpuKernels.ModulateBackward);
        gatedForward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowDims>(IlgpuKernels.GatedResidualForward);
        gatedBackward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowDims>(IlgpuKernels.GatedResidualBackward);
        swiGluForward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int>(IlgpuKernels.SwiGluForward);
        swiGluBackward = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(IlgpuKernels.SwiGluBackward);
        columnSums = a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int>(IlgpuKernels.ColumnSums);
    }

    public string Name => $"ilgpu-{accelerator.AcceleratorType.ToString().ToLowerInvariant()}";

    public bool Supports(TorchSharp.torch.Device device) => device.type == TorchSharp.DeviceType.CPU;

    public void QkNormRopeForward(Tensor qkv, Tensor wQ, Tensor wK, Tensor cos, Tensor sin, double eps, Tensor q, Tensor k)
    {
        var s = QkShape.Of(qkv, q, cos, sin, wQ, wK, "q");
        Launch(v => qkForward(Count(s.Batch * s.Tokens * 2 * s.Heads), v(qkv, "qkv"), v(wQ, "wQ"), v(wK, "wK"), v(cos, "cos"), v(sin, "sin"),
            v(q, "q"), v(k, "k"), Dims(s, eps)));
    }

    public void QkNormRopeBackward(Tensor qkv, Tensor wQ, Tensor wK, Tensor cos, Tensor sin, double eps,
        Tensor gQ, Tensor gK, Tensor gQkv, Tensor gWQ, Tensor gWK)
    {
        var s = QkShape.Of(qkv, gQ, cos, sin, wQ, wK, "gQ");
        long vectors = s.Batch * s.Tokens * s.Heads;
        using var products = accelerator.Allocate1D<float>(2 * vectors * s.HeadDim);
        Launch(v =>
        {
            qkBackward(Count(3 * vectors), v(qkv, "qkv"), v(wQ, "wQ"), v(wK, "wK"), v(cos, "cos"), v(sin, "sin"),
                v(gQ, "gQ"), v(gK, "gK"), v(gQkv, "gQkv"), products.View, Dims(s, eps));
            long half = vectors * s.HeadDim;
            columnSums(s.HeadDim, products.View.SubView(0, half), v(gWQ, "gWQ"), Count(vectors), s.HeadDim);
            columnSums(s.HeadDim, products.View.SubView(half, half), v(gWK, "gWK"), Count(vectors), s.HeadDim);
        });
    }

    public void ModulateForward(Tensor x, Tensor scale, Tensor shift, double eps, Tensor y)
    {
        var d = Dims(x, scale, "x", "scale", eps);
        Launch(v => modulateForward(Count(x.shape[0] * x.shape[1]), v(x, "x"), v(scale, "scale"), v(shift, "shift"), v(y, "y"), d));
    }

    public void ModulateBackward(Tensor x, Tensor scale, double eps, Tensor gY, Tensor gX, Tensor gScale, Tensor gShift)
    {
        var d = Dims(x, scale, "x", "scale", eps);
        using var products = accelerator.Allocate1D<float>(x.numel());
        Launch(v =>
        {
            modulateBackward(Count(x.shape[0] * x.shape[1]), v(x, "x"), v(scale, "scale"), v(gY, "gY"), v(gX, "gX"), products.View, d);
            columnSums(Count(scale.numel()), products.View, v(gScale, "gScale"), d.PerSample, d.Width);
            columnSums(Count(scale.numel()), v(gY, "gY"), v(gShift, "gShift"), d.PerSample, d.Width);
        });
    }

    public void GatedResidualForward(Tensor x, Tensor gate, Tensor f, Tensor y)
    {
        var d = Dims(x, gate, "x", "gate", 0);
        Launch(v => gatedForward(Count(x.numel()), v(x, "x"), v(gate, "gate"), v(f, "f"), v(y, "y"), d));
    }

    public void GatedResidualBackward(Tensor gate, Tensor f, Tensor gY, Tensor gF, Tensor gGate)
    {
        var d = Dims(f, gate, "f", "gate", 0);
        using var products = accelerator.Allocate1D<float>(f.numel());
        Launch(v =>
        {
            gatedBackward(Count(f.numel()), v(gate, "gate"), v(f, "f"), v(gY, "gY"), v(gF, "gF"), products.View, d);
            columnSums(Count(gate.numel()), products.View, v(gGate, "gGate"), d.PerSample, d.Width);
        });
    }

    public void SwiGluForward(Tensor gateUp, Tensor y)
    {
        Shapes.SwiGlu(gateUp, y, "y");
        Launch(v => swiGluForward(Count(y.numel()), v(gateUp, "gateUp"), v(y, "y"), (int)y.shape[^1]));
    }

    public void SwiGluBackward(Tensor gateUp, Tensor gY, Tensor gGateUp)
    {
        Shapes.SwiGlu(gateUp, gY, "gY");
        Launch(v => swiGluBackward(Count(gY.numel()), v(gateUp, "gateUp"), v(gY, "gY"), v(gGateUp, "gGateUp"), (int)gY.shape[^1]));
    }

    private delegate ArrayView<float> Bind(Tensor t, string name);

    /// <summary>Runs <paramref name="body"/> with tensors bound as views over their own memory, then waits for the kernels.</summary>
    private unsafe void Launch(Action<Bind> body)
    {
        var buffers = new List<MemoryBuffer>();
        lock (gate)
        {
            try
            {
                body((t, name) =>
                {
                    var buffer = CPUMemoryBuffer.Create(accelerator, (IntPtr)TensorMemory.Floats(t, name), t.numel(), sizeof(float));
                    buffers.Add(buffer);
                    return buffer.AsArrayView<float>(0, t.numel());
                });
                accelerator.Synchronize();
            }
            finally
            {
                foreach (var b in buffers) b.Dispose();
            }
        }
    }

    private static int Count(long n) => checked((int)n);

    private static QkDims Dims(QkShape s, double eps) => new(Count(s.Tokens), s.Heads, s.HeadDim, (float)eps);

    private static RowDims Dims(Tensor x, Tensor perSample, string xName, string name, double eps)
    {
        var (_, d, rowsPerSample) = Shapes.Rows(x, perSample, xName, name);
        return new(Count(rowsPerSample), Count(d), (float)eps);
    }

    public void Dispose()
    {
        accelerator.Dispose();
        context.Dispose();
    }
}
