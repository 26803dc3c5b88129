using Seaweed.Data.Footage;

namespace Seaweed.Data.Curation;

/// <summary>A detected transition over frames [Start, End), as in <see cref="TransitionTruth"/>: a cut has
/// Start = End = the first frame of the next shot; the frames of a dissolve or fade belong to no shot.</summary>
public sealed record DetectedTransition(TransitionKind Kind, int Start, int End);

/// <summary>A shot's clean frames [Start, End), transition frames excluded; never empty.</summary>
public sealed record ShotSpan(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>A video split into shots: Shots[i] ends where Transitions[i] starts and Shots[i + 1] starts where it
/// ends, so together they cover every frame exactly once.</summary>
public sealed record ShotDetection(IReadOnlyList<ShotSpan> Shots, IReadOnlyList<DetectedTransition> Transitions);
