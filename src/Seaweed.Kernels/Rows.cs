using System.Buffers;

namespace Seaweed.Kernels;

/// <summary>Splits row-wise work over the cores; reductions are summed in a fixed order, so results are deterministic.</summary>
internal static class Rows
{
    /// <summary>
    /// Elements per thread below which a call stays on the calling thread: about libtorch's own grain (32K), where
    /// waking a thread costs about what it saves.
    /// </summary>
    private const long MinElementsPerThread = 1L << 15;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, rows) in one contiguous chunk per libtorch intra-op thread.</summary>
    public static void For(long rows, long width, Action<long, long> body)
    {
        int chunks = (int)Math.Clamp(rows * width / MinElementsPerThread, 1, Math.Min(rows, TorchThreadTeam.Threads));
        if (chunks == 1)
        {
            body(0, rows);
            return;
        }
        TorchThreadTeam.Run(chunks, c => body(rows * c / chunks, rows * (c + 1) / chunks));
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
