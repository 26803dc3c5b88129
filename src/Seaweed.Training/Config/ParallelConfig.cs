using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>How many ranks and how they are grouped: data parallel × FSDP shard × Ulysses context parallel.</summary>
public sealed record ParallelConfig
{
    public int Ranks { get; init; } = 1;
    public int Dp { get; init; } = 1;
    public int Fsdp { get; init; } = 1;
    public int Cp { get; init; } = 1;

    public static ParallelConfig Single { get; } = new();

    /// <summary>Ranks that see different samples; the cp ranks of one data rank share its samples.</summary>
    public int DataRanks => Dp * Fsdp;

    internal void Validate(string path, DitConfig dit)
    {
        Require.Positive($"{path}.ranks", Ranks);
        Require.Positive($"{path}.dp", Dp);
        Require.Positive($"{path}.fsdp", Fsdp);
        Require.Positive($"{path}.cp", Cp);
        if ((long)Dp * Fsdp * Cp != Ranks)
            throw new ConfigException($"{path}.ranks", $"dp·fsdp·cp = {Dp}·{Fsdp}·{Cp} = {(long)Dp * Fsdp * Cp}, not {Ranks}");
        if (dit.Heads % Cp != 0)
            throw new ConfigException($"{path}.cp", $"{Cp} does not divide the model's {dit.Heads} attention heads");
    }
}
