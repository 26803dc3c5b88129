namespace Seaweed.Grains.Training;

/// <summary>
/// What a rank needs for one epoch of a run (an epoch is one unbroken stretch of the rank group; a restart begins
/// the next): who it is, which trainer runs the run's configuration, and the committed checkpoint to resume from
/// (the steps it holds), if any.
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.training.rank-setup")]
public sealed record RankSetup(
    string RunId,
    int Rank,
    int WorldSize,
    int Epoch,
    string Trainer,
    string Config,
    string? BaseDirectory,
    long? RestoreStep,
    TimeSpan CollectiveTimeout,
    int MaxMessageBytes);

/// <summary>One rank's shard of a checkpoint in the artefact store, with what it must hash to, and the data cursor
/// (images and videos drawn) after the checkpoint's steps.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.training.rank-shard")]
public sealed record RankShard(int Rank, string Key, long Bytes, string Sha256, long Images, long Videos);

/// <summary>A rank ready for its epoch: where it runs (silo address, parsable) and on which device.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.training.rank-ready")]
public sealed record RankReady(int Rank, string Silo, int Device, string DeviceKind);

/// <summary>One rank's share of one step: its loss, the tokens and samples it trained on, how long its device
/// worked, and what its collectives put on and took off the wire.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.training.rank-step")]
public sealed record RankStepReport(int Rank, long Step, double Loss, long Tokens, int Samples, double Seconds, long BytesSent, long BytesReceived, long Messages);
