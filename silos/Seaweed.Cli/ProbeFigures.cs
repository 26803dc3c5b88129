using Seaweed.Data.World;
using Seaweed.Eval;

namespace Seaweed.Cli;

/// <summary>
/// The probe measured on world clips whose content is known: rendered clips of both splits (training
/// compositions and held-out ones), the probe told nothing but what to score against.
/// </summary>
internal sealed record ProbeFigures(int Clips, int Objects, double Colour, double Shape, double Motion, double All)
{
    public static ProbeFigures Measure(int clips, long seed, IProgress<int> progress)
    {
        var worlds = new[] { WorldSplit.Train, WorldSplit.HeldOut }
            .Select(split => new WorldGenerator(new WorldOptions { Seed = seed, Split = split })).ToArray();
        var results = new ProbeResult[clips];
        int done = 0;
        System.Threading.Tasks.Parallel.For(0, clips, i =>
        {
            var clip = worlds[i % worlds.Length].Clip(i / worlds.Length);
            results[i] = Probe.Score(clip.Render(), clip.Content);
            progress.Report(Interlocked.Increment(ref done));
        });
        var a = ProbeAccuracy.Of(results);
        return new ProbeFigures(a.Clips, a.Objects, Math.Round(a.ColourAccuracy, 4), Math.Round(a.ShapeAccuracy, 4), Math.Round(a.MotionAccuracy, 4), Math.Round(a.AllAccuracy, 4));
    }
}
