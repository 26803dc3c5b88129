using static TorchSharp.torch;

namespace Seaweed.Kernels;

/// <summary>
/// The CPU path: each operator is one pass over the tensors' own memory, row by row, split over libtorch's own
/// intra-op threads (<see cref="TorchThreadTeam"/>), with the row's intermediates kept in cache; the row bodies are
/// <see cref="SimdRows"/>' vector loops (AVX-512 where present).
/// </summary>
public sealed unsafe partial class SimdBackend : IFusedBackend
{
    public static readonly SimdBackend Instance = new();

    /// <summary>Rows per reduction chunk: few enough float terms per partial sum to stay well inside 1e-6.</summary>
    private const long ReduceChunkRows = 32;

    public string Name => "simd";

    public bool Supports(Device device) => device.type == TorchSharp.DeviceType.CPU;

    public void ModulateForward(Tensor x, Tensor scale, Tensor shift, double eps, Tensor y)
    {
        var (rows, d, perSample) = Shapes.Rows(x, scale, "x", "scale");
        nint px = (nint)TensorMemory.Floats(x, "x"), pScale = (nint)TensorMemory.Floats(scale, "scale");
        nint pShift = (nint)TensorMemory.Floats(shift, "shift"), py = (nint)TensorMemory.Floats(y, "y");
        float e = (float)eps;
        Rows.For(rows, d, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                long b = r / perSample;
                float* xr = At(px, r, d);
                SimdRows.Modulate(xr, SimdRows.InverseRms(xr, (int)d, e), At(pScale, b, d), At(pShift, b, d), At(py, r, d), (int)d);
            }
        });
    }

    public void ModulateBackward(Tensor x, Tensor scale, double eps, Tensor gY, Tensor gX, Tensor gScale, Tensor gShift)
    {
        var (rows, d, perSample) = Shapes.Rows(x, scale, "x", "scale");
        nint px = (nint)TensorMemory.Floats(x, "x"), pScale = (nint)TensorMemory.Floats(scale, "scale");
        nint pgy = (nint)TensorMemory.Floats(gY, "gY"), pgx = (nint)TensorMemory.Floats(gX, "gX");
        float e = (float)eps;
        int width = (int)d;
        var sums = Rows.SumPerSample(rows / perSample, perSample, ReduceChunkRows, 2 * width, (b, l0, l1, partial) =>
        {
            fixed (float* sum = partial)
                for (long r = b * perSample + l0; r < b * perSample + l1; r++)
                {
                    float* xr = At(px, r, d);
                    SimdRows.ModulateBackward(xr, SimdRows.InverseRms(xr, width, e), At(pgy, r, d), At(pScale, b, d), At(pgx, r, d), sum, sum + width, width);
                }
        });
        Store(sums, gScale, "gScale", 0, width, 2 * width);
        Store(sums, gShift, "gShift", width, width, 2 * width);
    }

    public void GatedResidualForward(Tensor x, Tensor gate, Tensor f, Tensor y)
    {
        var (rows, d, perSample) = Shapes.Rows(x, gate, "x", "gate");
        nint px = (nint)TensorMemory.Floats(x, "x"), pGate = (nint)TensorMemory.Floats(gate, "gate");
        nint pf = (nint)TensorMemory.Floats(f, "f"), py = (nint)TensorMemory.Floats(y, "y");
        Rows.For(rows, d, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
                SimdRows.GatedResidual(At(px, r, d), At(pGate, r / perSample, d), At(pf, r, d), At(py, r, d), (int)d);
        });
    }

    public void GatedResidualBackward(Tensor gate, Tensor f, Tensor gY, Tensor gF, Tensor gGate)
    {
        var (rows, d, perSample) = Shapes.Rows(f, gate, "f", "gate");
        nint pGate = (nint)TensorMemory.Floats(gate, "gate"), pf = (nint)TensorMemory.Floats(f, "f");
        nint pgy = (nint)TensorMemory.Floats(gY, "gY"), pgf = (nint)TensorMemory.Floats(gF, "gF");
        var sums = Rows.SumPerSample(rows / perSample, perSample, ReduceChunkRows, (int)d, (b, l0, l1, partial) =>
        {
            fixed (float* sum = partial)
                for (long r = b * perSample + l0; r < b * perSample + l1; r++)
                    SimdRows.GatedResidualBackward(At(pgy, r, d), At(pGate, b, d), At(pf, r, d), At(pgf, r, d), sum, (int)d);
        });
        Store(sums, gGate, "gGate", 0, (int)d, (int)d);
    }

    public void SwiGluForward(Tensor gateUp, Tensor y)
    {
        long hidden = y.shape[^1], rows = y.numel() / Math.Max(1, hidden);
        Shapes.SwiGlu(gateUp, y, "y");
        nint pgu = (nint)TensorMemory.Floats(gateUp, "gateUp"), py = (nint)TensorMemory.Floats(y, "y");
        Rows.For(rows, 2 * hidden, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                float* a = At(pgu, r, 2 * hidden);
                SimdRows.SwiGlu(a, a + hidden, At(py, r, hidden), (int)hidden);
            }
        });
    }

    public void SwiGluBackward(Tensor gateUp, Tensor gY, Tensor gGateUp)
    {
        long hidden = gY.shape[^1], rows = gY.numel() / Math.Max(1, hidden);
        Shapes.SwiGlu(gateUp, gY, "gY");
        nint pgu = (nint)TensorMemory.Floats(gateUp, "gateUp"), pgy = (nint)TensorMemory.Floats(gY, "gY");
        nint pg = (nint)TensorMemory.Floats(gGateUp, "gGateUp");
        Rows.For(rows, 2 * hidden, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                float* a = At(pgu, r, 2 * hidden), g = At(pg, r, 2 * hidden);
                SimdRows.SwiGluBackward(a, a + hidden, At(pgy, r, hidden), g, g + hidden, (int)hidden);
            }
        });
    }

    private static float* At(nint basePointer, long row, long width) => (float*)basePointer + row * width;

    /// <summary>Writes columns [offset, offset + width) of every stride-long sample of <paramref name="sums"/> into <paramref name="t"/>.</summary>
    private static void Store(double[] sums, Tensor t, string name, int offset, int width, int stride)
    {
        float* p = TensorMemory.Floats(t, name);
        long samples = sums.Length / stride;
        for (long s = 0; s < samples; s++)
            for (int j = 0; j < width; j++) p[s * width + j] = (float)sums[s * stride + offset + j];
    }
}
