namespace Seaweed.Grains;

/// <summary>The grain storage every Seaweed grain keeps its state in; hosts register a provider under this name.</summary>
public static class SeaweedStorage
{
    public const string Name = "seaweed";
}
