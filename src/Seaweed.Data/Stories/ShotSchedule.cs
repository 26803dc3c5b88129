namespace Seaweed.Data.Stories;

/// <summary>
/// Which shots may run at once. A cut begins a chain; every <c>continue</c> shot after it joins that chain and waits
/// for the shot before it (it is conditioned on that shot's last frames). Chains do not wait for each other: all
/// of them start at once.
/// </summary>
public sealed class ShotSchedule
{
    private ShotSchedule(IReadOnlyList<IReadOnlyList<int>> chains) => Chains = chains;

    /// <summary>The chains in story order, each its shots in order.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Chains { get; }

    /// <param name="continues">Per shot: true for a <c>continue</c> shot; the first must be a cut.</param>
    public static ShotSchedule Plan(IReadOnlyList<bool> continues)
    {
        ArgumentNullException.ThrowIfNull(continues);
        if (continues.Count == 0) throw new ArgumentException("a story needs at least one shot", nameof(continues));
        if (continues[0]) throw new ArgumentException("the first shot has no shot before it to continue", nameof(continues));
        var chains = new List<List<int>>();
        for (int i = 0; i < continues.Count; i++)
        {
            if (!continues[i]) chains.Add([]);
            chains[^1].Add(i);
        }
        return new ShotSchedule(chains);
    }
}
