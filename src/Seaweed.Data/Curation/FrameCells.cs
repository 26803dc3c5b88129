namespace Seaweed.Data.Curation;

/// <summary>
/// What shot detection sees of a video: every frame as the mean Y, Cb, Cr (BT.601) of square cells,
/// <see cref="CellsPerShortSide"/> to the short side but never under <see cref="MinCellPixels"/> pixels. Cell means
/// average away sensor noise and the 1–2 px strokes of burned-in text alike at every frame size, while the
/// smallest object (radius 9% of the short side) still covers a few cells.
/// Inner products of nearby frames are kept for the blend fits of gradual transitions.
/// </summary>
internal sealed class FrameCells
{
    public const int CellsPerShortSide = 24;
    public const int MinCellPixels = 4;

    /// <summary>How far, in cells, <see cref="Distance"/> looks for a matching cell: 2 cells (8–10 px on footage)
    /// covers the fastest on-screen motion between two frames of footage (under 6 px).</summary>
    public const int SearchRadius = 2;

    private readonly float[][] frames;
    private readonly double[] lumas;
    private readonly double[,] products;
    private readonly int reach;

    /// <param name="reach">Inner products are kept for frames up to this many frames apart.</param>
    public FrameCells(VideoFrames video, int reach)
    {
        int shortSide = Math.Min(video.Width, video.Height);
        int cell = Math.Min(shortSide, Math.Max(MinCellPixels, shortSide / CellsPerShortSide));
        Columns = video.Width / cell;
        Rows = video.Height / cell;
        FrameCount = video.FrameCount;
        frames = new float[FrameCount][];
        lumas = new double[FrameCount];
        for (int t = 0; t < FrameCount; t++)
        {
            frames[t] = Average(video.ReadFrame(t), video.Width, cell);
            double sum = 0;
            for (int k = 0; k < CellCount; k++) sum += frames[t][k];
            lumas[t] = sum / CellCount;
        }

        this.reach = reach;
        products = new double[FrameCount, reach + 1];
        for (int t = 0; t < FrameCount; t++)
            for (int j = 0; j <= reach && t + j < FrameCount; j++)
                products[t, j] = InnerProduct(frames[t], frames[t + j]);
    }

    public int FrameCount { get; }
    private int Columns { get; }
    private int Rows { get; }
    private int CellCount => Columns * Rows;

    /// <summary>Mean luma of frame t.</summary>
    public double Luma(int t) => lumas[t];

    /// <summary>Inner product of frames a and b (all cells and channels); they must be at most the reach apart.</summary>
    public double Dot(int a, int b)
    {
        if (a > b) (a, b) = (b, a);
        if (b - a > reach) throw new ArgumentOutOfRangeException(nameof(b), b - a, $"frames are more than {reach} apart");
        return products[a, b - a];
    }

    /// <summary>
    /// Motion-tolerant difference of two frames: for each cell, the squared Y/Cb/Cr distance to the best-matching
    /// cell of the other frame within <see cref="SearchRadius"/>, averaged over cells and over both directions.
    /// Motion, pans and scaling shift content a few cells and cost little; a different picture cannot be matched.
    /// </summary>
    public double Distance(int a, int b) => (OneWay(frames[a], frames[b]) + OneWay(frames[b], frames[a])) / 2;

    private double OneWay(float[] from, float[] to)
    {
        int n = CellCount;
        double total = 0;
        for (int y = 0; y < Rows; y++)
        {
            int y0 = Math.Max(0, y - SearchRadius), y1 = Math.Min(Rows - 1, y + SearchRadius);
            for (int x = 0; x < Columns; x++)
            {
                int x0 = Math.Max(0, x - SearchRadius), x1 = Math.Min(Columns - 1, x + SearchRadius);
                int k = y * Columns + x;
                float l = from[k], cb = from[n + k], cr = from[2 * n + k];
                float best = float.MaxValue;
                for (int yy = y0; yy <= y1; yy++)
                    for (int xx = x0; xx <= x1; xx++)
                    {
                        int j = yy * Columns + xx;
                        float dl = l - to[j], dcb = cb - to[n + j], dcr = cr - to[2 * n + j];
                        best = Math.Min(best, dl * dl + dcb * dcb + dcr * dcr);
                    }
                total += best;
            }
        }
        return total / n;
    }

    /// <summary>Y plane, then Cb, then Cr, each row-major; pixels past the last whole cell are left out.</summary>
    private float[] Average(ReadOnlySpan<byte> frame, int width, int cell)
    {
        int n = CellCount;
        var sums = new float[3 * n];
        for (int y = 0; y < Rows * cell; y++)
        {
            int rowCell = y / cell * Columns;
            var line = frame.Slice(y * width * 3, Columns * cell * 3);
            for (int x = 0; x < Columns * cell; x++)
            {
                float r = line[3 * x], g = line[3 * x + 1], b = line[3 * x + 2];
                int k = rowCell + x / cell;
                sums[k] += 0.299f * r + 0.587f * g + 0.114f * b;
                sums[n + k] += -0.168736f * r - 0.331264f * g + 0.5f * b;
                sums[2 * n + k] += 0.5f * r - 0.418688f * g - 0.081312f * b;
            }
        }
        float scale = 1f / (cell * cell);
        for (int i = 0; i < sums.Length; i++) sums[i] *= scale;
        return sums;
    }

    private static double InnerProduct(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}
