using System.CommandLine;
using System.Diagnostics;
using Seaweed.Data;
using Seaweed.Model;
using Seaweed.Model.Tiling;
using Seaweed.Parallel;
using Seaweed.Parallel.Checkpointing;
using Spectre.Console;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed bench vae-tiles</c>: whole-frame VAE decode against exact tiled decodes (tiles as threads of this
/// process), peak memory per tile and time against whole, measured in the same run.
/// </summary>
internal static class BenchVaeTiles
{
    /// <summary>Issue 5's target for tiled decode, at 2×2.</summary>
    private const double MemoryGoal = 1.0 / 3, TimeGoal = 1.20;
    private const string GoalGrid = "2x2";
    private const string GoalText = "at 2x2, peak memory per tile ≤ 1/3 of whole-frame decode at ≤ 1.2× its time";

    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var preset = new Option<string>("--preset") { Description = $"Whose VAE (random weights): {string.Join(", ", Presets.All.Keys)}", DefaultValueFactory = _ => Presets.Tiny.Name };
        var width = new Option<int>("--width") { Description = "Decoded width in pixels", DefaultValueFactory = _ => 256 };
        var height = new Option<int>("--height") { Description = "Decoded height in pixels", DefaultValueFactory = _ => 256 };
        var frames = new Option<int>("--frames") { Description = "Decoded frames (1 + 4k)", DefaultValueFactory = _ => 33 };
        var grids = new Option<string>("--grids") { Description = "Tile grids, rows x columns, comma-separated", DefaultValueFactory = _ => "2x2,4x4" };
        var chunk = new Option<int?>("--chunk-frames") { Description = "Latent frames per temporal chunk after the first (default: all at once), whole and tiled alike" };
        var repeats = new Option<int>("--repeats") { Description = "Timed decodes per variant (median reported)", DefaultValueFactory = _ => 1 };
        var command = new Command("vae-tiles", "Exact tiled VAE decode: peak memory per tile and time against whole-frame decode")
        {
            json, preset, width, height, frames, grids, chunk, repeats,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            var vae = Presets.Get(parse.GetValue(preset)!).Vae;
            var o = new Options(vae,
                Multiple("--width", parse.GetValue(width), vae.SpatialDownsample), Multiple("--height", parse.GetValue(height), vae.SpatialDownsample),
                Frames(parse.GetValue(frames), vae.TemporalDownsample), Grids(parse.GetValue(grids)!),
                parse.GetValue(chunk) is int c ? OptionValue.Positive("--chunk-frames", c) : null,
                OptionValue.InRange("--repeats", parse.GetValue(repeats), 1, 100));
            foreach (var g in o.Grids) Grid(o, g); // a grid too fine for the latent is bad input before anything runs
            var report = terminal.WithProgress($"bench vae-tiles ({o.Frames}×{o.Height}×{o.Width})", (1 + o.Grids.Count) * (1 + o.Repeats), progress => Run(o, progress));
            if (parse.GetValue(json)) terminal.WriteJson(report);
            else Print(terminal.Console, report);
            return 0;
        }));
        return command;
    }

    private sealed record Options(VaeConfig Vae, int Width, int Height, int Frames, IReadOnlyList<(int Rows, int Columns)> Grids, int? ChunkFrames, int Repeats)
    {
        public (int Frames, int Height, int Width) Latent => (1 + (Frames - 1) / Vae.TemporalDownsample, Height / Vae.SpatialDownsample, Width / Vae.SpatialDownsample);
        public FrameChunks Chunks => ChunkFrames is int c ? FrameChunks.Streaming(Latent.Frames, c) : FrameChunks.Whole(Latent.Frames);
    }

    private static int Multiple(string option, int value, int factor) =>
        OptionValue.Positive(option, value) % factor == 0 ? value : throw new ConfigException(option, $"{value} is not a multiple of the VAE's spatial factor {factor}");

    private static int Frames(int value, int factor) =>
        (OptionValue.Positive("--frames", value) - 1) % factor == 0 ? value : throw new ConfigException("--frames", $"{value} frames is not 1 + {factor}·k");

    private static IReadOnlyList<(int, int)> Grids(string text)
    {
        var grids = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(g =>
            PairText.TryParse(g, out int r, out int c) ? (r, c) : throw new ConfigException("--grids", $"'{g}' is not rows x columns, e.g. 2x2")).ToArray();
        return grids.Length > 0 ? grids : throw new ConfigException("--grids", "lists no grid");
    }

    private static TileGrid Grid(Options o, (int Rows, int Columns) g)
    {
        try
        {
            return TileGrid.Even(o.Latent.Height, o.Latent.Width, g.Rows, g.Columns);
        }
        catch (ConfigException e)
        {
            throw new ConfigException("--grids", $"{g.Rows}x{g.Columns} over a latent of {o.Latent.Height}×{o.Latent.Width}: {e.Field} {e.Reason}");
        }
    }

    private static VaeTilesReport Run(Options o, IProgress<int> progress)
    {
        if (!ProcessMemory.Available) throw new PlatformNotSupportedException("bench vae-tiles reads resident memory from Linux /proc");
        ProcessMemory.MapLargeAllocations(); // freed activations leave at once, so each peak starts from what is live
        double load = ProcessMemory.LoadAverage;
        int done = 0;
        void Tick() => progress.Report(++done);

        manual_seed(1);
        using var vae = new CausalVae(o.Vae);
        vae.eval();
        using var noGrad = no_grad();
        var (lt, lh, lw) = o.Latent;
        using var latent = randn([1, o.Vae.LatentChannels, lt, lh, lw]);
        var chunks = o.Chunks;
        Tensor Whole() => o.ChunkFrames is int c ? vae.DecodeChunked(latent, c) : vae.Decode(latent);

        using (var warm = NewDisposeScope()) vae.Decode(latent[.., .., ..1]);
        var (whole, wholePeak) = Peak(Whole);
        using var reference = whole;
        Tick();

        var grids = new List<(string Name, TileGrid Grid, long Peak, double Diff, long Exchanged)>();
        foreach (var g in o.Grids)
        {
            var grid = Grid(o, g);
            var recording = new TileRecording();
            double diff;
            using (var scope = NewDisposeScope())
                diff = (InProcessTiledDecode.Run(vae, latent, grid, chunks, wrap: recording.Record) - reference).abs().max().item<float>();
            long peak = Enumerable.Range(0, grid.Count).Max(tile => Peak(() => Alone(vae, latent, grid, chunks, tile, recording)).Peak);
            grids.Add(($"{g.Rows}x{g.Columns}", grid, peak, diff, recording.Bytes));
            Tick();
        }

        // Timed rounds pool large blocks, as a decode in service would, instead of paying fresh mappings.
        ProcessMemory.PoolLargeAllocations();
        var wholeTime = Timed(o.Repeats, Whole, Tick);
        var figures = grids.Select(g =>
        {
            var time = Timed(o.Repeats, () => InProcessTiledDecode.Run(vae, latent, g.Grid, chunks), Tick);
            double timeRatio = time.Seconds / wholeTime.Seconds, cpuRatio = time.CpuSeconds / wholeTime.CpuSeconds, memoryRatio = (double)g.Peak / wholePeak;
            return new GridFigures(g.Name, g.Grid.Count, Math.Round(time.Seconds, 3), Math.Round(timeRatio, 3), Math.Round(time.CpuSeconds, 3), Math.Round(cpuRatio, 3),
                g.Peak, Math.Round(memoryRatio, 3), g.Diff, g.Exchanged, memoryRatio <= MemoryGoal && Math.Max(timeRatio, cpuRatio) <= TimeGoal);
        }).ToArray();

        return new VaeTilesReport(o.Vae.SpatialDownsample * o.Vae.SpatialDownsample * o.Vae.TemporalDownsample * 3 / o.Vae.LatentChannels,
            $"{o.Frames}×{o.Height}×{o.Width}", [o.Vae.LatentChannels, lt, lh, lw], [.. chunks.Bounds], get_num_threads(), Math.Max(load, ProcessMemory.LoadAverage),
            new WholeFigures(Math.Round(wholeTime.Seconds, 3), Math.Round(wholeTime.CpuSeconds, 3), wholePeak), figures, GoalText,
            "memory: resident memory added while decoding (VmHWM after − VmRSS before) by the whole frame, and by each tile decoded alone against a recording of what it received from its neighbours (largest tile reported); time: the tiles as threads of one process against the whole frame, wall and process CPU time",
            figures.FirstOrDefault(f => f.Grid == GoalGrid)?.MeetsGoal);
    }

    /// <summary>One tile's decode with its neighbours played back; its pixels are held to the end, as whole decode holds the video.</summary>
    private static int Alone(CausalVae vae, Tensor latent, TileGrid grid, FrameChunks chunks, int tile, TileRecording recording)
    {
        using var scope = NewDisposeScope();
        using var decoder = new TileDecoder(vae, grid, chunks, tile, recording.Replay(tile));
        return decoder.Decode(InProcessTiledDecode.Region(latent, grid.Region(tile))).Select(c => c.Pixels).ToList().Count;
    }

    private static (T Value, long Peak) Peak<T>(Func<T> work)
    {
        ProcessMemory.ResetPeak();
        long before = ProcessMemory.Resident;
        var value = work();
        return (value, ProcessMemory.PeakResident - before);
    }

    private static (double Seconds, double CpuSeconds) Timed(int repeats, Func<Tensor> decode, Action tick)
    {
        var samples = Enumerable.Range(0, repeats).Select(_ =>
        {
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            decode().Dispose();
            double seconds = watch.Elapsed.TotalSeconds;
            process.Refresh();
            tick();
            return (seconds, (process.TotalProcessorTime - cpu).TotalSeconds);
        }).ToArray();
        return (Median.Of(samples.Select(s => s.seconds)), Median.Of(samples.Select(s => s.Item2)));
    }

    private static void Print(IAnsiConsole console, VaeTilesReport r)
    {
        console.MarkupLine(Markup.Escape($"{r.Video} video from a latent [{string.Join(",", r.Latent)}] ({r.Compression}× VAE), chunks at latent frames [{string.Join(",", r.FrameBounds)}]; {r.Threads} threads, load average {r.LoadAverage:F1}"));
        var table = new Table().AddColumns("decode", "tiles", "s", "time ×", "cpu ×", "peak MiB (per tile)", "memory ×", "max |diff|", "exchanged MiB", "goal");
        table.AddRow("whole", "1", $"{r.Whole.Seconds:F3}", "1.00", "1.00", $"{Mib(r.Whole.PeakBytes)}", "1.00", "", "", "");
        foreach (var g in r.Grids)
            table.AddRow(g.Grid, $"{g.Tiles}", $"{g.Seconds:F3}", $"{g.TimeRatio:F2}", $"{g.CpuTimeRatio:F2}", $"{Mib(g.PeakBytesPerTile)}", $"{g.MemoryRatio:F3}",
                $"{g.MaxAbsDiff:E1}", $"{Mib(g.ExchangedBytes)}", g.MeetsGoal ? "yes" : "no");
        console.Write(table);
        console.MarkupLine(Markup.Escape($"goal: {r.Goal}; measured by {r.GoalMeasure}"));
    }

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):F1}";

    internal sealed record WholeFigures(double Seconds, double CpuSeconds, long PeakBytes);

    /// <param name="PeakBytesPerTile">The largest tile's resident memory added while it decodes alone.</param>
    /// <param name="MaxAbsDiff">Against the whole-frame decode of the same latent: the decode is exact, not blended.</param>
    /// <param name="ExchangedBytes">Halos and norm statistics all tiles received.</param>
    internal sealed record GridFigures(string Grid, int Tiles, double Seconds, double TimeRatio, double CpuSeconds, double CpuTimeRatio,
        long PeakBytesPerTile, double MemoryRatio, double MaxAbsDiff, long ExchangedBytes, bool MeetsGoal);

    internal sealed record VaeTilesReport(int Compression, string Video, int[] Latent, int[] FrameBounds, int Threads, double LoadAverage,
        WholeFigures Whole, IReadOnlyList<GridFigures> Grids, string Goal, string GoalMeasure, bool? GoalMet);
}
