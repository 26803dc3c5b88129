using Seaweed.Data;
using Seaweed.Data.Video;

namespace Seaweed.Eval;

public readonly record struct PlotPoint(double X, double Y);

/// <summary>One curve of a chart, drawn in the order of its x values.</summary>
public sealed record PlotSeries(string Name, IReadOnlyList<PlotPoint> Points);

public sealed record PlotOptions
{
    public int Width { get; init; } = 640;
    public int Height { get; init; } = 400;
    public string Title { get; init; } = "";
    public string XLabel { get; init; } = "step";
    public string YLabel { get; init; } = "loss";
    /// <summary>A log-scaled y axis (decades), for losses that fall by orders of magnitude.</summary>
    public bool LogY { get; init; }
}

/// <summary>Where a chart's plot area lies in the image (pixels, bottom and right exclusive) and the data range it shows.</summary>
public sealed record PlotArea(int Left, int Top, int Right, int Bottom, double XMin, double XMax, double YMin, double YMax, bool LogY)
{
    /// <summary>The pixel that shows data point (x, y).</summary>
    public (int X, int Y) Pixel(double x, double y)
    {
        double fx = (x - XMin) / (XMax - XMin);
        double fy = LogY ? (Math.Log10(y) - Math.Log10(YMin)) / (Math.Log10(YMax) - Math.Log10(YMin)) : (y - YMin) / (YMax - YMin);
        return ((int)Math.Round(Left + fx * (Right - 1 - Left)), (int)Math.Round(Bottom - 1 - fy * (Bottom - 1 - Top)));
    }
}

/// <summary>
/// A line chart as an RGB image: light grid lines and labelled ticks at round values, the axes, one 2-pixel
/// polyline per series in its own colour, and a legend in the top right corner. Written as PNG by
/// <see cref="Png"/> with the project's encoder.
/// </summary>
public static class PlotChart
{
    private const int Scale = 2;
    private const int Tick = 4;
    private static readonly (byte, byte, byte) Black = (0, 0, 0), Grid = (225, 225, 225), Paper = (255, 255, 255), Frame = (150, 150, 150);

    private static readonly (byte R, byte G, byte B)[] Palette =
        [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75)];

    /// <summary>Colour of series <paramref name="index"/>; the palette repeats after six.</summary>
    public static (byte R, byte G, byte B) Colour(int index) => Palette[index % Palette.Length];

    public static byte[] Png(IReadOnlyList<PlotSeries> series, PlotOptions options) => PngEncoder.Encode(Render(series, options));

    /// <summary>Checks the input and places the plot area: margins for the tick labels, the title and the axis labels.</summary>
    public static PlotArea Layout(IReadOnlyList<PlotSeries> series, PlotOptions options)
    {
        Check(series, options);
        var points = series.SelectMany(s => s.Points).ToArray();
        var xs = PlotTicks.Linear(points.Min(p => p.X), points.Max(p => p.X));
        var ys = YTicks(points, options.LogY);
        int labelWidth = ys.Max(y => PlotFont.Width(PlotTicks.Label(y), Scale));
        int line = PlotFont.Height(Scale) + 6;
        return new PlotArea(labelWidth + Tick + 8, 2 * line + 4, options.Width - 16, options.Height - 2 * line - 4, xs[0], xs[^1], ys[0], ys[^1], options.LogY);
    }

    /// <summary>The chart as a one-frame video of <see cref="PlotOptions.Width"/> × <see cref="PlotOptions.Height"/>.</summary>
    public static VideoFrames Render(IReadOnlyList<PlotSeries> series, PlotOptions options)
    {
        var area = Layout(series, options);
        var image = new Canvas(new VideoFrames(options.Width, options.Height, 1, 1));
        image.Fill(0, 0, options.Width, options.Height, Paper);
        var points = series.SelectMany(s => s.Points).ToArray();
        int textHeight = PlotFont.Height(Scale);

        foreach (double x in PlotTicks.Linear(points.Min(p => p.X), points.Max(p => p.X)))
        {
            int px = area.Pixel(x, area.YMin).X;
            image.Fill(px, area.Top, 1, area.Bottom - area.Top, Grid);
            image.Fill(px, area.Bottom, 1, Tick, Black);
            string label = PlotTicks.Label(x);
            image.Text(label, px - PlotFont.Width(label, Scale) / 2, area.Bottom + Tick + 3, Black);
        }
        foreach (double y in YTicks(points, options.LogY))
        {
            int py = area.Pixel(area.XMin, y).Y;
            image.Fill(area.Left, py, area.Right - area.Left, 1, Grid);
            image.Fill(area.Left - Tick, py, Tick, 1, Black);
            string label = PlotTicks.Label(y);
            image.Text(label, area.Left - Tick - 3 - PlotFont.Width(label, Scale), py - textHeight / 2, Black);
        }
        image.Fill(area.Left, area.Top, 1, area.Bottom - area.Top, Black);
        image.Fill(area.Left, area.Bottom - 1, area.Right - area.Left, 1, Black);

        image.Text(options.Title, (options.Width - PlotFont.Width(options.Title, Scale)) / 2, 4, Black);
        image.Text(options.YLabel, 4, area.Top - textHeight - 6, Black);
        image.Text(options.XLabel, (area.Left + area.Right - PlotFont.Width(options.XLabel, Scale)) / 2, options.Height - textHeight - 4, Black);

        for (int s = 0; s < series.Count; s++)
        {
            var ordered = series[s].Points.OrderBy(p => p.X).Select(p => area.Pixel(p.X, p.Y)).ToArray();
            image.Dot(ordered[0], Colour(s));
            for (int i = 1; i < ordered.Length; i++) image.Line(ordered[i - 1], ordered[i], Colour(s));
        }
        Legend(image, series, area);
        return image.Frames;
    }

    private static void Legend(Canvas image, IReadOnlyList<PlotSeries> series, PlotArea area)
    {
        const int swatch = 16, pad = 5;
        int row = PlotFont.Height(Scale) + 4;
        int width = swatch + 3 * pad + series.Max(s => PlotFont.Width(s.Name, Scale));
        int height = series.Count * row + pad;
        int x = area.Right - width - pad, y = area.Top + pad;
        image.Fill(x, y, width, height, Frame);
        image.Fill(x + 1, y + 1, width - 2, height - 2, Paper);
        for (int s = 0; s < series.Count; s++)
        {
            int top = y + pad + s * row;
            image.Fill(x + pad, top + PlotFont.Height(Scale) / 2 - 1, swatch, 2, Colour(s));
            image.Text(series[s].Name, x + 2 * pad + swatch, top, Black);
        }
    }

    private static double[] YTicks(PlotPoint[] points, bool log) => log
        ? PlotTicks.Log(points.Min(p => p.Y), points.Max(p => p.Y))
        : PlotTicks.Linear(points.Min(p => p.Y), points.Max(p => p.Y));

    private static void Check(IReadOnlyList<PlotSeries> series, PlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Width < 200 || options.Height < 150)
            throw new ArgumentOutOfRangeException(nameof(options), $"a {options.Width}x{options.Height} chart is smaller than 200x150");
        if (series.Count == 0) throw new ArgumentException("no series to plot", nameof(series));
        foreach (var s in series)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(series));
            if (s.Points.Count == 0) throw new ArgumentException($"series '{s.Name}' has no points", nameof(series));
            foreach (var p in s.Points)
            {
                if (!double.IsFinite(p.X) || !double.IsFinite(p.Y))
                    throw new ArgumentException($"series '{s.Name}' has a point that is not finite: ({p.X}, {p.Y})", nameof(series));
                if (options.LogY && p.Y <= 0)
                    throw new ArgumentException($"series '{s.Name}' has y = {p.Y}, which a log axis cannot show", nameof(series));
            }
        }
    }

    /// <summary>Drawing on one RGB frame; everything outside the image is clipped.</summary>
    private sealed class Canvas(VideoFrames frames)
    {
        public VideoFrames Frames => frames;

        public void Fill(int x, int y, int width, int height, (byte R, byte G, byte B) colour)
        {
            for (int j = Math.Max(0, y); j < Math.Min(frames.Height, y + height); j++)
                for (int i = Math.Max(0, x); i < Math.Min(frames.Width, x + width); i++)
                    Set(i, j, colour);
        }

        public void Dot((int X, int Y) p, (byte, byte, byte) colour) => Fill(p.X, p.Y, 2, 2, colour);

        /// <summary>Bresenham's line, each step a 2×2 dot.</summary>
        public void Line((int X, int Y) a, (int X, int Y) b, (byte, byte, byte) colour)
        {
            int dx = Math.Abs(b.X - a.X), dy = -Math.Abs(b.Y - a.Y), sx = a.X < b.X ? 1 : -1, sy = a.Y < b.Y ? 1 : -1, error = dx + dy;
            var (x, y) = a;
            while (true)
            {
                Dot((x, y), colour);
                if ((x, y) == b) return;
                int e2 = 2 * error;
                if (e2 >= dy) { error += dy; x += sx; }
                if (e2 <= dx) { error += dx; y += sy; }
            }
        }

        public void Text(string text, int x, int y, (byte, byte, byte) colour)
        {
            for (int c = 0; c < text.Length; c++)
                for (int gy = 0; gy < PlotFont.GlyphHeight; gy++)
                    for (int gx = 0; gx < PlotFont.GlyphWidth; gx++)
                        if (PlotFont.Ink(text[c], gx, gy))
                            Fill(x + Scale * (c * (PlotFont.GlyphWidth + 1) + gx), y + Scale * gy, Scale, Scale, colour);
        }

        private void Set(int x, int y, (byte R, byte G, byte B) colour)
        {
            var pixel = frames.Frame(0).Slice((y * frames.Width + x) * 3, 3);
            (pixel[0], pixel[1], pixel[2]) = colour;
        }
    }
}
