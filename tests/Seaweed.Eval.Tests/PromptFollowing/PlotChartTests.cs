using Seaweed.Data;
using Seaweed.Data.Video;

namespace Seaweed.Eval.Tests.PromptFollowing;

public sealed class PlotChartTests
{
    private static readonly PlotOptions Options = new() { Width = 480, Height = 320, Title = "Loss", XLabel = "step", YLabel = "loss" };

    // Falling curves keep clear of the legend in the top right corner.
    private static readonly PlotSeries Vae = new("VAE", [new(0, 0.9), new(250, 0.5), new(500, 0.3), new(1000, 0.2)]);
    private static readonly PlotSeries Dit = new("DiT", [new(0, 0.7), new(400, 0.45), new(1000, 0.4)]);

    private static (byte, byte, byte) At(VideoFrames image, int x, int y)
    {
        var p = image.ReadFrame(0).Slice((y * image.Width + x) * 3, 3);
        return (p[0], p[1], p[2]);
    }

    [Fact]
    public void The_png_has_the_size_asked_for()
    {
        var png = PlotChart.Png([Vae, Dit], Options);
        var decoded = PngDecoder.Decode(png, "loss.png", 1);
        Assert.Equal((480, 320), (decoded.Width, decoded.Height));
        Assert.Equal(PlotChart.Render([Vae, Dit], Options).Data, decoded.Data);
    }

    [Fact]
    public void Curve_pixels_lie_where_the_data_says()
    {
        var image = PlotChart.Render([Vae, Dit], Options);
        var area = PlotChart.Layout([Vae, Dit], Options);
        // Ticks at round values enclose the data: steps 0..1000, losses 0.2..0.9 on a 0.1 grid.
        Assert.Equal((0, 1000, 0.2, 0.9), (area.XMin, area.XMax, Math.Round(area.YMin, 9), Math.Round(area.YMax, 9)));
        for (int s = 0; s < 2; s++)
        {
            var series = new[] { Vae, Dit }[s];
            foreach (var p in series.Points)
            {
                var (x, y) = area.Pixel(p.X, p.Y);
                Assert.Equal(PlotChart.Colour(s), At(image, x, y));
            }
            // Halfway along each segment, the line passes within a pixel of the midpoint.
            for (int i = 1; i < series.Points.Count; i++)
            {
                var (x, y) = area.Pixel((series.Points[i - 1].X + series.Points[i].X) / 2, (series.Points[i - 1].Y + series.Points[i].Y) / 2);
                Assert.Contains(PlotChart.Colour(s), from dx in new[] { -1, 0, 1 } from dy in new[] { -1, 0, 1 } select At(image, x + dx, y + dy));
            }
        }
        // Far from both curves (low loss, early steps) the plot shows no curve colour.
        var (ex, ey) = area.Pixel(100, 0.25);
        Assert.DoesNotContain(At(image, ex, ey), new[] { PlotChart.Colour(0), PlotChart.Colour(1) });
    }

    [Fact]
    public void Axes_ticks_and_legend_are_drawn()
    {
        var image = PlotChart.Render([Vae, Dit], Options);
        var area = PlotChart.Layout([Vae, Dit], Options);
        var black = ((byte)0, (byte)0, (byte)0);
        Assert.Equal(black, At(image, area.Left, (area.Top + area.Bottom) / 2));
        Assert.Equal(black, At(image, (area.Left + area.Right) / 2, area.Bottom - 1));
        // Tick labels: ink left of the y axis and below the x axis.
        Assert.Contains(black, from x in Enumerable.Range(0, area.Left - 6) from y in Enumerable.Range(area.Top, area.Bottom - area.Top) select At(image, x, y));
        Assert.Contains(black, from x in Enumerable.Range(area.Left, area.Right - area.Left) from y in Enumerable.Range(area.Bottom + 5, 15) select At(image, x, y));
        // The legend's swatches sit in the top right corner of the plot area.
        var corner = (from x in Enumerable.Range(area.Right - 120, 120) from y in Enumerable.Range(area.Top, 40) select At(image, x, y)).ToHashSet();
        Assert.Contains(PlotChart.Colour(0), corner);
        Assert.Contains(PlotChart.Colour(1), corner);
    }

    [Fact]
    public void A_log_axis_spaces_decades_evenly()
    {
        var series = new PlotSeries("loss", [new(0, 1), new(10, 0.1), new(20, 0.01)]);
        var area = PlotChart.Layout([series], Options with { LogY = true });
        Assert.Equal((0.01, 1.0), (Math.Round(area.YMin, 12), Math.Round(area.YMax, 12)));
        int y1 = area.Pixel(0, 1).Y, y01 = area.Pixel(0, 0.1).Y, y001 = area.Pixel(0, 0.01).Y;
        Assert.Equal((area.Top, area.Bottom - 1), (y1, y001));
        Assert.InRange(Math.Abs((y01 - y1) - (y001 - y01)), 0, 1);
    }

    [Fact]
    public void Ticks_fall_on_round_values()
    {
        Assert.Equal([0, 200, 400, 600, 800, 1000], PlotTicks.Linear(0, 1000));
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], PlotTicks.Linear(0.13, 0.87).Select(t => Math.Round(t, 9)));
        Assert.Equal([0.001, 0.01, 0.1, 1], PlotTicks.Log(0.002, 0.5).Select(t => Math.Round(t, 12)));
        var single = PlotTicks.Linear(5, 5);
        Assert.True(single[0] < 5 && single[^1] > 5, string.Join(", ", single));
    }

    [Fact]
    public void Bad_series_name_the_argument()
    {
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => PlotChart.Render([], Options)).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => PlotChart.Render([new PlotSeries("x", [])], Options)).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => PlotChart.Render([new PlotSeries("x", [new(0, double.NaN)])], Options)).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => PlotChart.Render([new PlotSeries("x", [new(0, 0)])], Options with { LogY = true })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => PlotChart.Render([Vae], Options with { Width = 10 })).ParamName);
    }
}
