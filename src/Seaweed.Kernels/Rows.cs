using System.Buffers;

namespace Seaweed.Kernels;

/// <summary>Splits row-wise work over the cores; reductions are summed in a fixed order, so results are deterministic.</summary>
internal static class Rows
{
    /// <summary>
    /// Elements per task: below about a million a call runs on the calling thread. libtorch's own threads spin on
    /// the cores between its ops, so a second .NET thread waits for a core about as long as it saves: the tiny
    /// DiT's ops (0.1–0.6 M elements) measured faster single-threaded in <c>seaweed bench kernels</c>.
    /// </summary>
    private const long MinElementsPerTask = 1L << 20;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, rows) in parallel chunks.</summary>
    public static void For(long rows, long width, Action<long, long> body)
    {
        long chunks = Math.Clamp(rows * width / MinElementsPerTask, 1, Math.Min(rows, 4L * Environment.ProcessorCount));
        if (chunks == 1)
        {
            body(0, rows);
            return;
        }
        System.Threading.Tasks.Parallel.For(0L, chunks, c => body(rows * c / chunks, rows * (c + 1) / chunks));
    }

    /// <summary>Adds rows [start, end) of one sample into <paramref name="partial"/> (zeroed, float).</summary>
    public delegate void ChunkBody(long sample, long start, long end, Span<float> partial);

    /// <summary>
    /// Column sums per sample of <paramref name="width"/> values: (samples, width), in double. Each chunk of at most
    /// <paramref name="chunkRows"/> rows adds in float (few terms, so little rounding); chunks are summed in double.
    /// </summary>
    public static double[] SumPerSample(long samples, long rowsPerSample, long chunkRows, int width, ChunkBody body)
    {
        long perSample = Math.Max(1, (rowsPerSample + chunkRows - 1) / chunkRows);
        long chunks = samples * perSample;
        var partials = ArrayPool<float>.Shared.Rent(checked((int)(chunks * width)));
        try
        {
            Array.Clear(partials, 0, (int)(chunks * width));
            For(chunks, chunkRows * width, (c0, c1) =>
            {
                for (long c = c0; c < c1; c++)
                {
                    long sample = c / perSample, part = c % perSample;
                    long start = rowsPerSample * part / perSample, end = rowsPerSample * (part + 1) / perSample;
                    body(sample, start, end, partials.AsSpan((int)(c * width), width));
                }
            });
            var sums = new double[samples * width];
            for (long c = 0; c < chunks; c++)
            {
                long offset = c / perSample * width;
                for (int j = 0; j < width; j++) sums[offset + j] += partials[c * width + j];
            }
            return sums;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
        }
    }
}
