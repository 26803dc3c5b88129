using System.Buffers.Binary;
using System.Numerics;

namespace Seaweed.Data.Curation;

/// <summary>
/// A compact fingerprint of a clip for near-duplicate detection without learned models. At <see cref="Samples"/>
/// evenly spaced frames it keeps two DCT perceptual hashes (whole frame, and the central <see cref="CropKeep"/> of
/// it), a 3×3 colour layout and the moments of the colourful pixels (see <see cref="FrameFingerprint"/>), plus the
/// frame count and rate, which fix when each sample was taken. Knowing the sample times lets <see cref="Distance"/>
/// line two clips up in time, since shot detection trims the same shot differently in different videos; the central
/// hash lets it compare a clip with a cropped-and-rescaled copy of itself. <see cref="ToBytes"/> is
/// <see cref="ByteLength"/> bytes, small enough for a grain message.
/// </summary>
public sealed class ClipSignature
{
    public const int Samples = 12;

    /// <summary>Fraction of each side kept by the central hash: the middle of the 86–94% crops seen in the wild.</summary>
    public const double CropKeep = 0.9;

    /// <summary>Two clips are compared only where they overlap in time by at least this much of the shorter one.</summary>
    public const double MinOverlap = 0.5;

    private const byte FormatVersion = 1;
    private const int HeaderBytes = 2 + sizeof(int) + sizeof(double);
    private const int HashOffset = HeaderBytes;
    private const int CropHashOffset = HashOffset + Samples * sizeof(ulong);
    private const int LayoutOffset = CropHashOffset + Samples * sizeof(ulong);
    private const int ColourOffset = LayoutOffset + Samples * FrameFingerprint.LayoutBytes;
    public const int ByteLength = ColourOffset + Samples * FrameFingerprint.ColourBytes;

    // A sample pair's distance blends the hash (structure, texture), the grid (background) and the colour moments
    // (object colour, size, position); each part is scaled so that its "entirely different" is 1. The weights and
    // scales put compressed, rescaled and cropped copies below 0.15 and look-alike shots above 0.17 on footage.
    private const double HashWeight = 0.4;
    private const double LayoutWeight = 0.2;
    private const double ObjectWeight = 1 - HashWeight - LayoutWeight;
    private const double LayoutScale = 40;
    private const double PositionScale = 0.1;
    private const double ColourScale = 40;
    private const double MassFactor = 3;

    private readonly ulong[] hashes;
    private readonly ulong[] cropHashes;
    private readonly byte[] layout;
    private readonly byte[] colour;
    private readonly double[] times;

    private ClipSignature(int frameCount, double fps, ulong[] hashes, ulong[] cropHashes, byte[] layout, byte[] colour)
    {
        FrameCount = frameCount;
        Fps = fps;
        this.hashes = hashes;
        this.cropHashes = cropHashes;
        this.layout = layout;
        this.colour = colour;
        times = new double[Samples];
        for (int i = 0; i < Samples; i++) times[i] = SampleFrame(i, frameCount) / fps;
    }

    public int FrameCount { get; }
    public double Fps { get; }

    /// <summary>Every perceptual hash kept (whole and central, 63 bits used), for candidate indexes.</summary>
    internal IEnumerable<ulong> Hashes => hashes.Concat(cropHashes);

    public static ClipSignature Compute(VideoFrames clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var hashes = new ulong[Samples];
        var cropHashes = new ulong[Samples];
        var layout = new byte[Samples * FrameFingerprint.LayoutBytes];
        var colour = new byte[Samples * FrameFingerprint.ColourBytes];
        for (int i = 0; i < Samples; i++)
        {
            var frame = clip.ReadFrame(SampleFrame(i, clip.FrameCount));
            hashes[i] = FrameFingerprint.Hash(frame, clip.Width, clip.Height, 1);
            cropHashes[i] = FrameFingerprint.Hash(frame, clip.Width, clip.Height, CropKeep);
            FrameFingerprint.Layout(frame, clip.Width, clip.Height, layout.AsSpan(i * FrameFingerprint.LayoutBytes, FrameFingerprint.LayoutBytes));
            FrameFingerprint.Colour(frame, clip.Width, clip.Height, colour.AsSpan(i * FrameFingerprint.ColourBytes, FrameFingerprint.ColourBytes));
        }
        return new ClipSignature(clip.FrameCount, clip.Fps, hashes, cropHashes, layout, colour);
    }

    /// <summary>
    /// 0 for identical clips, around 0.3 and above for unrelated ones, never above 1. Three framings are tried (same
    /// framing, b a central crop of a, a a central crop of b), and every time offset that pairs a sample of one clip
    /// with a sample of the other; at each, samples are paired with the other clip's nearest sample in time (both
    /// ways, so the result is symmetric) and their distances averaged. The smallest average wins, among offsets where
    /// the clips overlap by at least <see cref="MinOverlap"/> of the shorter one.
    /// </summary>
    public static double Distance(ClipSignature a, ClipSignature b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double best = 1;
        foreach (var framing in Enum.GetValues<Framing>())
            best = Math.Min(best, AlignedDistance(a, b, framing));
        return best;
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        bytes[0] = FormatVersion;
        bytes[1] = Samples;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), FrameCount);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(6), Fps);
        for (int i = 0; i < Samples; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(HashOffset + i * sizeof(ulong)), hashes[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(CropHashOffset + i * sizeof(ulong)), cropHashes[i]);
        }
        layout.CopyTo(bytes.AsSpan(LayoutOffset));
        colour.CopyTo(bytes.AsSpan(ColourOffset));
        return bytes;
    }

    public static ClipSignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
            throw new ArgumentException($"a clip signature has {ByteLength} bytes, got {bytes.Length}", nameof(bytes));
        if (bytes[0] != FormatVersion || bytes[1] != Samples)
            throw new ArgumentException($"unknown clip signature format {bytes[0]} with {bytes[1]} samples", nameof(bytes));
        int frameCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[2..]);
        double fps = BinaryPrimitives.ReadDoubleLittleEndian(bytes[6..]);
        if (frameCount <= 0 || !double.IsFinite(fps) || fps <= 0)
            throw new ArgumentException($"clip signature has {frameCount} frames at {fps} fps", nameof(bytes));
        var hashes = new ulong[Samples];
        var cropHashes = new ulong[Samples];
        for (int i = 0; i < Samples; i++)
        {
            hashes[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(HashOffset + i * sizeof(ulong))..]);
            cropHashes[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(CropHashOffset + i * sizeof(ulong))..]);
        }
        return new ClipSignature(frameCount, fps, hashes, cropHashes, bytes[LayoutOffset..ColourOffset].ToArray(), bytes[ColourOffset..].ToArray());
    }

    /// <summary>How b's picture relates to a's.</summary>
    private enum Framing { Same, BCropsA, ACropsB }

    private static double AlignedDistance(ClipSignature a, ClipSignature b, Framing framing)
    {
        var pair = new double[Samples, Samples];
        for (int i = 0; i < Samples; i++)
            for (int j = 0; j < Samples; j++)
                pair[i, j] = SampleDistance(a, i, b, j, framing);

        double shorter = Math.Min(a.Span, b.Span), best = 1;
        var tried = new HashSet<double>();
        for (int i = 0; i < Samples; i++)
            for (int j = 0; j < Samples; j++)
            {
                double offset = b.times[j] - a.times[i];
                if (!tried.Add(offset)) continue;
                double overlap = Math.Min(a.Span + offset, b.Span) - Math.Max(offset, 0);
                if (overlap < MinOverlap * shorter - 1e-9) continue;
                // Each direction is summed on its own so that swapping a and b gives bit-identical results.
                double sumA = 0, sumB = 0;
                int count = 0;
                for (int k = 0; k < Samples; k++)
                {
                    int m = b.Nearest(a.times[k] + offset);
                    if (m >= 0) { sumA += pair[k, m]; count++; }
                    int n = a.Nearest(b.times[k] - offset);
                    if (n >= 0) { sumB += pair[n, k]; count++; }
                }
                if (count > 0) best = Math.Min(best, (sumA + sumB) / count);
            }
        return best;
    }

    /// <summary>Seconds from the first frame to the last.</summary>
    private double Span => (FrameCount - 1) / Fps;

    /// <summary>The frame nearest to the centre of the i-th of <see cref="Samples"/> equal parts of the clip.</summary>
    private static int SampleFrame(int i, int frameCount) =>
        Math.Clamp((int)Math.Round((i + 0.5) * frameCount / Samples - 0.5, MidpointRounding.AwayFromZero), 0, frameCount - 1);

    /// <summary>The sample nearest in time to t, or -1 when t is further than half a sample spacing from all of them.</summary>
    private int Nearest(double t)
    {
        double tolerance = Math.Max((double)FrameCount / Samples, 1) / (2 * Fps) + 1e-9;
        int index = Array.BinarySearch(times, t);
        if (index >= 0) return index;
        int after = ~index, nearest = after;
        if (after == Samples || (after > 0 && t - times[after - 1] <= times[after] - t)) nearest = after - 1;
        return Math.Abs(times[nearest] - t) <= tolerance ? nearest : -1;
    }

    private static double SampleDistance(ClipSignature a, int i, ClipSignature b, int j, Framing framing)
    {
        ulong ha = framing == Framing.BCropsA ? a.cropHashes[i] : a.hashes[i];
        ulong hb = framing == Framing.ACropsB ? b.cropHashes[j] : b.hashes[j];
        double hash = BitOperations.PopCount(ha ^ hb) / (double)FrameFingerprint.HashBits;
        var la = a.layout.AsSpan(i * FrameFingerprint.LayoutBytes, FrameFingerprint.LayoutBytes);
        var lb = b.layout.AsSpan(j * FrameFingerprint.LayoutBytes, FrameFingerprint.LayoutBytes);
        double squares = 0;
        for (int k = 0; k < la.Length; k++) squares += (la[k] - lb[k]) * (la[k] - lb[k]);
        double grid = Math.Min(1, Math.Sqrt(squares / la.Length) / LayoutScale);
        var ca = a.colour.AsSpan(i * FrameFingerprint.ColourBytes, FrameFingerprint.ColourBytes);
        var cb = b.colour.AsSpan(j * FrameFingerprint.ColourBytes, FrameFingerprint.ColourBytes);
        double objects = framing == Framing.ACropsB ? ObjectDistance(cb, ca, zoomed: true) : ObjectDistance(ca, cb, zoomed: framing == Framing.BCropsA);
        return HashWeight * hash + LayoutWeight * grid + ObjectWeight * objects;
    }

    /// <summary>Distance of colour moments; when <paramref name="zoomed"/> is true, b is taken to show the central
    /// <see cref="CropKeep"/> of a enlarged, so a's centroid and mass are first mapped into b's picture.</summary>
    private static double ObjectDistance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool zoomed)
    {
        if (a[0] == 0 || b[0] == 0) return a[0] == b[0] ? 0 : 1;
        double massA = zoomed ? a[0] - FrameFingerprint.MassScale * 2 * Math.Log(CropKeep) : a[0];
        double xa = zoomed ? (a[1] / 255.0 - 0.5) / CropKeep + 0.5 : a[1] / 255.0;
        double ya = zoomed ? (a[2] / 255.0 - 0.5) / CropKeep + 0.5 : a[2] / 255.0;
        double mass = Math.Min(1, Math.Abs(massA - b[0]) / FrameFingerprint.MassScale / Math.Log(MassFactor));
        double position = Math.Min(1, Math.Sqrt(Square(xa - b[1] / 255.0) + Square(ya - b[2] / 255.0)) / PositionScale);
        double hue = Math.Min(1, Math.Sqrt(Square(a[3] - b[3]) + Square(a[4] - b[4])) / ColourScale);
        return (mass + position + hue) / 3;
    }

    private static double Square(double v) => v * v;
}
