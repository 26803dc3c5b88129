namespace Seaweed.Data.Curation;

/// <summary>
/// Finds the content rectangle inside letterbox (top/bottom) or pillarbox (left/right) bars: black bars fixed over
/// the whole video. A row is content when, in some frame, its mean luma reaches <see cref="ContentShare"/> of the
/// brightest row of the video (and likewise for columns); taking the maximum over all frames lets
/// dark shots and fades (and a dark slate background) count as content through the video's brighter frames.
/// </summary>
public static class BorderDetector
{
    /// <summary>On footage after H.264 at CRF 18–30, compression ringing lifts bar lines to at most 0.07 of the
    /// brightest line (13 luma levels), while every content line reaches at least 0.71 of it.</summary>
    public const double ContentShare = 0.2;

    /// <summary>A video whose brightest line stays under this mean luma is blank: all of it is border.</summary>
    public const double BlankLuma = 2;

    /// <summary>The content rectangle; the whole frame when there are no bars; null when the video is blank.
    /// Bars come out an even number of pixels wide (as 4:2:0 video makes them), rounding towards the content,
    /// since ringing can only make a bar line look like content.</summary>
    public static PixelRect? Detect(VideoFrames video)
    {
        ArgumentNullException.ThrowIfNull(video);
        var rows = new double[video.Height];
        var columns = new double[video.Width];
        var rowSums = new double[video.Height];
        var columnSums = new double[video.Width];
        for (int t = 0; t < video.FrameCount; t++)
        {
            Array.Clear(rowSums);
            Array.Clear(columnSums);
            var frame = video.ReadFrame(t);
            for (int y = 0; y < video.Height; y++)
                for (int x = 0; x < video.Width; x++)
                {
                    int i = 3 * (y * video.Width + x);
                    double luma = 0.299 * frame[i] + 0.587 * frame[i + 1] + 0.114 * frame[i + 2];
                    rowSums[y] += luma;
                    columnSums[x] += luma;
                }
            for (int y = 0; y < video.Height; y++) rows[y] = Math.Max(rows[y], rowSums[y] / video.Width);
            for (int x = 0; x < video.Width; x++) columns[x] = Math.Max(columns[x], columnSums[x] / video.Height);
        }

        if (Math.Max(rows.Max(), columns.Max()) < BlankLuma) return null;
        var (top, bottom) = Extent(rows);
        var (left, right) = Extent(columns);
        return new PixelRect(left, top, right - left, bottom - top);
    }

    /// <summary>First and one-past-last content line, each bar widened to an even width while content remains.</summary>
    private static (int Start, int End) Extent(double[] lines)
    {
        double threshold = ContentShare * lines.Max();
        int start = Array.FindIndex(lines, v => v >= threshold);
        int end = Array.FindLastIndex(lines, v => v >= threshold) + 1;
        int evenStart = start + start % 2, evenEnd = end - (lines.Length - end) % 2;
        return evenEnd > evenStart ? (evenStart, evenEnd) : (start, end);
    }
}
