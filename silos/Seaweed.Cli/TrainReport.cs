using System.Globalization;
using Seaweed.Grains.Training;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>What <c>seaweed train</c> prints at the end: where the run stands, its loss and speed, its checkpoint, and
/// every assembly of its rank group (a restart says why and where it resumed from).</summary>
internal sealed record TrainReport(
    string RunId,
    TrainingPhase Phase,
    long Step,
    long Steps,
    string? Stage,
    double? FirstLoss,
    double? FinalLoss,
    double TokensPerSecond,
    long Tokens,
    double Seconds,
    long? CheckpointStep,
    string? Checkpoint,
    int Restarts,
    IReadOnlyList<RankPlacement> Ranks,
    IReadOnlyList<ResumeRecord> Resumes,
    IReadOnlyList<StageSummary> Stages,
    string? Error)
{
    public static TrainReport Of(TrainingProgress p, IReadOnlyList<StepRecord> history, double seconds, string? checkpoint)
    {
        double stepSeconds = history.Sum(h => h.Seconds);
        long tokens = history.Sum(h => h.Tokens);
        var stages = history.GroupBy(h => h.Stage)
            .Select(g => new StageSummary(g.Key, g.Count(), Math.Round(g.Last().Loss, 6), Math.Round(g.Sum(h => h.Tokens) / Math.Max(1e-9, g.Sum(h => h.Seconds)), 1)))
            .ToArray();
        return new TrainReport(p.RunId, p.Phase, p.Step, p.Steps, p.Stage, history.FirstOrDefault()?.Loss, history.LastOrDefault()?.Loss,
            Math.Round(stepSeconds > 0 ? tokens / stepSeconds : 0, 1), tokens, Math.Round(seconds, 2), p.CheckpointStep, checkpoint, p.Restarts,
            p.Ranks, p.Resumes, stages, p.Error);
    }

    /// <summary>The live progress line.</summary>
    public static string Line(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"train {p.RunId}: {p.Phase.ToString().ToLowerInvariant()}, {p.Stage}, step {p.Step}/{p.Steps}, loss {(p.Loss is double l ? l.ToString("F4", CultureInfo.InvariantCulture) : "-")}, {p.TokensPerSecond:F0} tok/s{(p.Restarts > 0 ? $", {p.Restarts} restarts" : "")}");

    public static void Print(IAnsiConsole console, TrainReport r)
    {
        console.MarkupLine($"run [bold]{Markup.Escape(r.RunId)}[/]: {r.Phase}, step {r.Step}/{r.Steps} in {r.Seconds:F1} s, {r.TokensPerSecond:F0} tokens/s");
        if (r.Error is not null) console.MarkupLine($"[red]{Markup.Escape(r.Error)}[/]");
        var stages = new Table().AddColumns("stage", "steps", "final loss", "tokens/s");
        foreach (var s in r.Stages) stages.AddRow(Markup.Escape(s.Name), $"{s.Steps}", $"{s.FinalLoss:F4}", $"{s.TokensPerSecond:F0}");
        console.Write(stages);
        if (r.Checkpoint is not null) console.MarkupLine($"checkpoint after step {r.CheckpointStep}: {Markup.Escape(r.Checkpoint)}");
        foreach (var resume in r.Resumes.Where(x => x.Cause is not null))
            console.MarkupLine($"[yellow]restart[/] (epoch {resume.Epoch}, from step {resume.FromStep?.ToString(CultureInfo.InvariantCulture) ?? "0"}): {Markup.Escape(resume.Cause!)}");
    }
}

internal sealed record StageSummary(string Name, int Steps, double FinalLoss, double TokensPerSecond);
