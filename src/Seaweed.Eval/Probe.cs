using Seaweed.Data;
using Seaweed.Data.Understanding;
using Seaweed.Data.World;

namespace Seaweed.Eval;

/// <summary>One expected object, the read object matched to it (null when the clip shows too few) and which of
/// its attributes came out right.</summary>
public sealed record ObjectScore(ObjectContent Expected, ObjectContent? Read, bool Colour, bool Shape, bool Motion)
{
    public bool All => Colour && Shape && Motion;
}

/// <summary>How well a clip shows the content it was asked for: a score per expected object, and the reading behind it.</summary>
public sealed record ProbeResult(SceneContent Expected, SceneReading Reading, IReadOnlyList<ObjectScore> Objects)
{
    public bool All => Objects.All(o => o.All);
}

/// <summary>
/// The judge of prompt following: reads a clip with <see cref="SceneReader"/> without being told what to look for,
/// then pairs the read objects with the expected ones, first by colour (the world never gives two objects one
/// colour), then each remaining expected object with the remaining read object of the nearest colour, and scores
/// colour, shape and motion of each pair.
/// </summary>
public static class Probe
{
    public static ProbeResult Score(VideoFrames clip, SceneContent expected)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(expected);
        var reading = SceneReader.Read(clip);
        var wanted = expected.Objects.ToArray();
        var read = reading.Objects.Select(o => o.Content).ToList();
        var pairs = new ObjectContent?[wanted.Length];
        for (int i = 0; i < wanted.Length; i++)
            pairs[i] = Take(read, read.FindIndex(o => o.Colour == wanted[i].Colour));
        for (int i = 0; i < wanted.Length; i++)
            if (pairs[i] is null && read.Count > 0)
                pairs[i] = Take(read, read.IndexOf(read.MinBy(o => ColourDistance(o.Colour, wanted[i].Colour))!));
        var scores = wanted.Select((e, i) => pairs[i] is { } r
            ? new ObjectScore(e, r, r.Colour == e.Colour, r.Shape == e.Shape, r.Motion == e.Motion)
            : new ObjectScore(e, null, false, false, false)).ToArray();
        return new ProbeResult(expected, reading, scores);
    }

    private static ObjectContent? Take(List<ObjectContent> objects, int index)
    {
        if (index < 0) return null;
        var o = objects[index];
        objects.RemoveAt(index);
        return o;
    }

    private static double ColourDistance(Colour a, Colour b)
    {
        var (ar, ag, ab) = Vocabulary.Rgb(a);
        var (br, bg, bb) = Vocabulary.Rgb(b);
        return (ar - br) * (ar - br) + (ag - bg) * (ag - bg) + (ab - bb) * (ab - bb);
    }
}

/// <summary>Probe results added up: counts of expected objects and of correct attributes, and their fractions.</summary>
public sealed record ProbeAccuracy(int Clips, int Objects, int Colour, int Shape, int Motion, int All)
{
    public static readonly ProbeAccuracy Empty = new(0, 0, 0, 0, 0, 0);

    public static ProbeAccuracy Of(IEnumerable<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Aggregate(Empty, (sum, r) => sum.Add(r));
    }

    public ProbeAccuracy Add(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Objects;
        return new ProbeAccuracy(Clips + 1, Objects + o.Count, Colour + o.Count(s => s.Colour), Shape + o.Count(s => s.Shape),
            Motion + o.Count(s => s.Motion), All + o.Count(s => s.All));
    }

    public double ColourAccuracy => Fraction(Colour);
    public double ShapeAccuracy => Fraction(Shape);
    public double MotionAccuracy => Fraction(Motion);
    public double AllAccuracy => Fraction(All);

    private double Fraction(int count) => Objects == 0 ? 0 : (double)count / Objects;

    public override string ToString() =>
        $"colour {ColourAccuracy:P1}, shape {ShapeAccuracy:P1}, motion {MotionAccuracy:P1}, all three {AllAccuracy:P1} over {Objects} objects in {Clips} clips";
}
