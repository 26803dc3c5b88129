namespace Seaweed.Parallel.Balance;

/// <summary>The predicted runtime of one sample (forward + backward) from its sequence length in tokens.</summary>
public interface ISampleCost
{
    double Cost(long tokens);
}
