using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Training;
using Seaweed.Model;
using Seaweed.Parallel;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using Seaweed.Training.Checkpoints;
using Spectre.Console;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed bench collectives</c>: achieved bytes/s of one ring all-reduce through rank grains on embedded silos
/// (ranks spread round-robin, so every ring crosses silos), through the in-process transport (ranks as threads),
/// and the bound a memory copy of the same bytes sets, all measured in the same run.
/// </summary>
internal static class BenchCollectives
{
    private const string Trainer = "bench-all-reduce";

    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var ranks = new Option<int>("--ranks") { Description = "Ranks in the all-reduce", DefaultValueFactory = _ => 4 };
        var silos = new Option<int>("--silos") { Description = "Embedded silos the rank grains are spread over", DefaultValueFactory = _ => 2 };
        var mib = new Option<int>("--mib") { Description = "Size of the all-reduced tensor in MiB (float32)", DefaultValueFactory = _ => 16 };
        var iterations = new Option<int>("--iterations") { Description = "Timed all-reduces per path (median reported), after one warm-up", DefaultValueFactory = _ => 5 };
        var command = new Command("collectives", "All-reduce bytes/s through rank grains vs the in-process transport vs a memory-copy bound")
        {
            json, ranks, silos, mib, iterations,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            int n = OptionValue.InRange("--ranks", parse.GetValue(ranks), 2, 64);
            var options = new Options(n, OptionValue.InRange("--silos", parse.GetValue(silos), 1, n), OptionValue.InRange("--mib", parse.GetValue(mib), 1, 1024),
                OptionValue.InRange("--iterations", parse.GetValue(iterations), 1, 1000));
            return RunAsync(terminal, options, parse.GetValue(json)).GetAwaiter().GetResult();
        }));
        return command;
    }

    private sealed record Options(int Ranks, int Silos, int Mib, int Iterations)
    {
        public long Floats => (long)Mib * (1 << 20) / sizeof(float);
    }

    private static async Task<int> RunAsync(Terminal terminal, Options o, bool json)
    {
        // The busiest rank of a ring all-reduce sends every chunk but its own, then every chunk but its neighbour's.
        long perRank = Enumerable.Range(0, o.Ranks).Max(r => 4 * (2 * o.Floats - Chunk(o, r) - Chunk(o, (r + 1) % o.Ranks)));
        long tensorBytes = o.Floats * sizeof(float);
        int ticks = 3 * (o.Iterations + 1);
        var report = await terminal.WithProgressAsync($"bench collectives ({o.Ranks} ranks, {o.Mib} MiB)", ticks, async bar =>
        {
            int done = 0;
            void Tick() => bar.Report(++done);
            var copy = MemoryCopy(perRank, o.Iterations, Tick);
            var inProcess = InProcess(o, Tick);
            var grains = await ThroughGrains(o, Tick);
            return new CollectivesBenchReport(o.Ranks, o.Silos, tensorBytes, perRank, o.Iterations,
                TransferRate.Of(grains, perRank, tensorBytes), TransferRate.Of(inProcess, perRank, tensorBytes), TransferRate.Of(copy, perRank, tensorBytes),
                Math.Round(inProcess / grains, 3), Math.Round(copy / grains, 3), Math.Round(copy / inProcess, 3));
        });
        if (json) terminal.WriteJson(report);
        else Print(terminal.Console, report);
        return 0;
    }

    private static long Chunk(Options o, int index) => Communicator.ShardRange(o.Floats, o.Ranks, index).Length;

    /// <summary>Median seconds to copy the busiest rank's bytes once, on one thread.</summary>
    private static double MemoryCopy(long bytes, int iterations, Action tick)
    {
        var from = new byte[bytes];
        var to = new byte[bytes];
        Random.Shared.NextBytes(from);
        return Timed(iterations, tick, () =>
        {
            var watch = Stopwatch.StartNew();
            from.AsSpan().CopyTo(to);
            return watch.Elapsed.TotalSeconds;
        });
    }

    /// <summary>Median over all-reduces of the slowest rank's seconds, ranks as threads of this process.</summary>
    private static double InProcess(Options o, Action tick)
    {
        var transports = InProcessTransport.Create(o.Ranks);
        var seconds = new double[o.Iterations + 1, o.Ranks];
        using var start = new Barrier(o.Ranks);
        var threads = transports.Select(t => new Thread(() =>
        {
            var communicator = new Communicator(t);
            var world = ProcessGroup.World(o.Ranks);
            using var data = ones(o.Floats);
            for (int i = 0; i <= o.Iterations; i++)
            {
                start.SignalAndWait();
                var watch = Stopwatch.StartNew();
                communicator.AllReduce(world, data);
                seconds[i, t.Rank] = watch.Elapsed.TotalSeconds;
                if (t.Rank == 0) tick();
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        return Median.Of(Enumerable.Range(1, o.Iterations).Select(i => Enumerable.Range(0, o.Ranks).Max(r => seconds[i, r])));
    }

    /// <summary>Median over all-reduces of the slowest rank's device seconds, ranks as grains on embedded silos.</summary>
    private static async Task<double> ThroughGrains(Options o, Action tick)
    {
        var settings = SiloSettings.Load();
        int devicesPerSilo = (o.Ranks + o.Silos - 1) / o.Silos;
        var factory = new AllReduceRanks();
        await using var cluster = await EmbeddedCluster.StartAsync(o.Silos, 1, ArtefactStoreFactory.Create(settings.Artefacts), new CurationOptions(),
            settings.StateDirectory, (_, silo) => silo.AddDevices(new DeviceOptions { Count = devicesPerSilo }).AddRankTrainer(Trainer, factory));
        string run = $"bench-collectives-{Guid.NewGuid():N}";
        var silos = cluster.Silos;
        var ranks = Enumerable.Range(0, o.Ranks).Select(r => cluster.Grains.GetGrain<IRankGrain>(TrainingKeys.Rank(run, r))).ToArray();
        string config = o.Floats.ToString(CultureInfo.InvariantCulture);
        await Task.WhenAll(Enumerable.Range(0, o.Ranks).Select(r => PlacementHint.On(silos[r % o.Silos], () =>
            ranks[r].Prepare(new RankSetup(run, r, o.Ranks, 1, Trainer, config, null, null, new CollectiveOptions().Timeout, new CollectiveOptions().MaxMessageBytes)))));
        var seconds = new List<double>();
        for (int i = 0; i <= o.Iterations; i++)
        {
            long step = i + 1;
            var reports = await Task.WhenAll(ranks.Select(r => r.Step(1, step)));
            if (i > 0) seconds.Add(reports.Max(x => x.Seconds));
            tick();
        }
        await Task.WhenAll(ranks.Select(r => r.Release()));
        return Median.Of(seconds);
    }

    /// <summary>The median of <paramref name="iterations"/> measurements after a warm-up one.</summary>
    private static double Timed(int iterations, Action tick, Func<double> measure)
    {
        var seconds = new List<double>();
        for (int i = 0; i <= iterations; i++)
        {
            double s = measure();
            if (i > 0) seconds.Add(s);
            tick();
        }
        return Median.Of(seconds);
    }

    private static void Print(IAnsiConsole console, CollectivesBenchReport r)
    {
        var table = new Table().AddColumns("path", "s / all-reduce", "GB/s per rank", "tensor GB/s");
        foreach (var (name, p) in new[] { ("rank grains", r.Grains), ("in-process transport", r.InProcess), ("memory copy (bound)", r.MemoryCopy) })
            table.AddRow(name, $"{p.Seconds:F4}", $"{p.BytesPerSecond / 1e9:F2}", $"{p.TensorBytesPerSecond / 1e9:F2}");
        console.Write(table);
        console.MarkupLine($"{r.Ranks} ranks on {r.Silos} silo{(r.Silos == 1 ? "" : "s")}, {r.TensorBytes / (1 << 20)} MiB tensor, {r.BytesPerRank:N0} bytes sent by the busiest rank");
        console.MarkupLine($"grains reach [bold]{r.GrainsOfInProcess:P0}[/] of the in-process transport's bytes/s and {r.GrainsOfMemoryCopy:P1} of the memory-copy bound");
    }

    /// <summary>Each step all-reduces a tensor of <c>config</c> floats, made once per rank.</summary>
    private sealed class AllReduceRanks : IRankTrainerFactory
    {
        public IRankTrainer Create(RankContext context) => new Ranks(context, long.Parse(context.Config, CultureInfo.InvariantCulture));

        private sealed class Ranks(RankContext context, long floats) : IRankTrainer
        {
            private readonly Communicator communicator = new(context.Transport, context.Collectives);
            private readonly Tensor data = ones(floats);
            private readonly ProcessGroup world = ProcessGroup.World(context.WorldSize);

            public RankStepMetrics Step(long step, CancellationToken cancellationToken)
            {
                communicator.AllReduce(world, data, cancellationToken);
                return new RankStepMetrics(0, 0, 0);
            }

            public RankSnapshot Snapshot() => throw new NotSupportedException("the bench keeps no checkpoints");

            public void Restore(RankSnapshot snapshot) => throw new NotSupportedException("the bench keeps no checkpoints");

            public void Dispose() => data.Dispose();
        }
    }
}

/// <param name="Seconds">Median seconds of one all-reduce (for the copy: of copying the busiest rank's bytes once).</param>
/// <param name="BytesPerSecond">The busiest rank's bytes over those seconds.</param>
/// <param name="TensorBytesPerSecond">The tensor's bytes over those seconds (the "algorithm bandwidth").</param>
internal sealed record TransferRate(double Seconds, double BytesPerSecond, double TensorBytesPerSecond)
{
    public static TransferRate Of(double seconds, long perRank, long tensorBytes) =>
        new(Math.Round(seconds, 9), Math.Round(perRank / seconds), Math.Round(tensorBytes / seconds));
}

/// <param name="BytesPerRank">What the busiest rank sends in one all-reduce: 2(n−1)/n of the tensor.</param>
/// <param name="GrainsOfInProcess">Grain bytes/s as a share of in-process bytes/s (1 = the grains cost nothing).</param>
/// <param name="GrainsOfMemoryCopy">Grain bytes/s as a share of the memory-copy bound.</param>
/// <param name="InProcessOfMemoryCopy">In-process bytes/s as a share of the memory-copy bound.</param>
internal sealed record CollectivesBenchReport(
    int Ranks, int Silos, long TensorBytes, long BytesPerRank, int Iterations,
    TransferRate Grains, TransferRate InProcess, TransferRate MemoryCopy,
    double GrainsOfInProcess, double GrainsOfMemoryCopy, double InProcessOfMemoryCopy);
