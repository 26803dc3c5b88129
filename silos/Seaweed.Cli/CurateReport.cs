using Seaweed.Data.Curation;
using Seaweed.Grains.Curation;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>One run's speed: clips per second and hours of input video curated per hour of wall time.</summary>
internal sealed record Throughput(int Silos, int WorkersPerSilo, double Seconds, double ClipsPerSecond, double VideoHoursPerHour, double SpeedupVsFirstRun)
{
    public static Throughput Of(int silos, int workers, double seconds, int clips, double videoSeconds, double firstSeconds) =>
        new(silos, workers, Math.Round(seconds, 2), Math.Round(clips / seconds, 2), Math.Round(videoSeconds / seconds, 2), Math.Round(firstSeconds / seconds, 3));
}

/// <summary>The targets the figures are held to.</summary>
internal sealed record CurationTargets(bool ShotBoundaryF1, bool CropIoU, bool QualityPrecisionRecall, bool Dedup, bool InvalidInOutput, bool Captions, bool? Probe)
{
    public static CurationTargets Of(CurationFigures f, ProbeFigures? probe) => new(
        f.ShotBoundaries.F1 >= 0.98,
        f.CropIoUMean >= 0.98,
        f.InvalidClips.Precision >= 0.95 && f.InvalidClips.Recall >= 0.95,
        f.Duplicates.Recall >= 0.95 && f.Duplicates.Precision >= 0.98,
        f.InvalidInOutput <= 0.03,
        f.CaptionAccuracy >= 0.95,
        probe is null ? null : probe.Colour >= 0.98 && probe.Shape >= 0.98 && probe.Motion >= 0.98);
}

internal sealed record CurateReport(
    string Dataset,
    string Manifest,
    int Videos,
    double VideoHours,
    CurationStatus Status,
    bool SameDataset,
    IReadOnlyList<Throughput> Throughput,
    CurationFigures? Figures,
    ProbeFigures? Probe)
{
    public CurationTargets? TargetsMet => Figures is null ? null : CurationTargets.Of(Figures, Probe);

    public static void Print(IAnsiConsole console, CurateReport r)
    {
        var s = r.Status;
        console.MarkupLine($"dataset [bold]{Markup.Escape(r.Dataset)}[/]: {Markup.Escape(r.Manifest)} ({s.Phase}{(s.DatasetUnchanged ? ", unchanged" : "")})");
        if (s.Error is not null) console.MarkupLine($"[red]{Markup.Escape(s.Error)}[/]");
        if (s.Counts is { } c)
        {
            var stages = new Table().AddColumns("clips", "invalid", "too short", "uncaptioned", "held-out", "duplicates", "balanced out", "samples", "packs");
            stages.AddRow($"{c.Clips}", $"{c.Invalid}", $"{c.TooShort}", $"{c.Uncaptioned}", $"{c.HeldOut}", $"{c.Duplicates}", $"{c.BalancedOut}", $"{c.Samples}", $"{c.Packs} ({c.PaddingFraction:P1} padding)");
            console.Write(stages);
        }
        foreach (var f in s.Failures) console.MarkupLine($"[yellow]failed[/] {Markup.Escape(f.Item)}: {Markup.Escape(f.Reason)}");
        var speed = new Table().AddColumns("silos", "workers/silo", "seconds", "clips/s", "video h / wall h", "speed-up");
        foreach (var t in r.Throughput) speed.AddRow($"{t.Silos}", $"{t.WorkersPerSilo}", $"{t.Seconds:F1}", $"{t.ClipsPerSecond:F2}", $"{t.VideoHoursPerHour:F1}", $"{t.SpeedupVsFirstRun:F2}×");
        console.Write(speed);
        if (r.Throughput.Count > 1) console.MarkupLine(r.SameDataset ? "every run wrote the same dataset" : "[red]the runs wrote different datasets[/]");
        if (r.Figures is { } g)
        {
            var figures = new Table().AddColumns("figure", "value");
            figures.AddRow("shot-boundary F1", $"{g.ShotBoundaries.F1:F3} (P {g.ShotBoundaries.Precision:F3}, R {g.ShotBoundaries.Recall:F3})");
            figures.AddRow("crop IoU", $"mean {g.CropIoUMean:F4}, min {g.CropIoUMin:F4}");
            figures.AddRow("quality filter", $"P {g.InvalidClips.Precision:F3}, R {g.InvalidClips.Recall:F3}");
            figures.AddRow("dedup", $"P {g.Duplicates.Precision:F3}, R {g.Duplicates.Recall:F3} ({g.Duplicates.Actual} true duplicates)");
            figures.AddRow("invalid in output", $"{g.InvalidInOutput:P2} of {g.OutputSamples}");
            figures.AddRow("captions matching truth", $"{g.CaptionAccuracy:P1}");
            if (r.Probe is { } p) figures.AddRow("probe on world clips", $"colour {p.Colour:P1}, shape {p.Shape:P1}, motion {p.Motion:P1} ({p.Clips} clips)");
            console.Write(figures);
        }
    }
}
