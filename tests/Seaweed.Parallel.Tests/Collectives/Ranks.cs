using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;

namespace Seaweed.Parallel.Tests.Collectives;

/// <summary>Runs one body per rank, each on its own thread, over connected in-process transports.</summary>
internal static class Ranks
{
    public static T[] Run<T>(int worldSize, Func<Communicator, T> body, CollectiveOptions? options = null, Func<IRankTransport, IRankTransport>? wrap = null)
    {
        var transports = InProcessTransport.Create(worldSize);
        var tasks = transports
            .Select(t => Task.Factory.StartNew(
                () => body(new Communicator(wrap is null ? t : wrap(t), options ?? Quick)),
                TaskCreationOptions.LongRunning))
            .ToArray();
        Task.WaitAll(tasks);
        Assert.All(transports, t => Assert.Equal(0, t.Mailbox.Pending));
        return tasks.Select(t => t.Result).ToArray();
    }

    /// <summary>A timeout short enough that a broken collective fails the test instead of hanging it.</summary>
    public static readonly CollectiveOptions Quick = new() { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>Integer-valued floats, different per rank and element, so sums of a few ranks are exact.</summary>
    public static float[] Values(int rank, int length, int salt = 0) =>
        Enumerable.Range(0, length).Select(i => (float)((rank + 1) * ((i * 7 + salt) % 13) - 5 * rank)).ToArray();

    public static float[] Sum(int worldSize, int length, int salt = 0)
    {
        var sum = new float[length];
        for (int r = 0; r < worldSize; r++)
        {
            var v = Values(r, length, salt);
            for (int i = 0; i < length; i++) sum[i] += v[i];
        }
        return sum;
    }
}
