using System.Text.Json;
using Seaweed.Parallel.Checkpointing;

namespace Seaweed.Parallel.Tests.Checkpointing;

public class CheckpointPolicyTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Policies_round_trip_through_json_with_level_names()
    {
        var policy = new CheckpointPolicy { DualStream = ActivationLevel.Host, Shared = ActivationLevel.Disk };
        string json = JsonSerializer.Serialize(policy, Web);
        Assert.Equal("""{"dualStream":"Host","shared":"Disk"}""", json);
        Assert.Equal(policy, JsonSerializer.Deserialize<CheckpointPolicy>(json, Web));
        Assert.Equal(new CheckpointPolicy(), JsonSerializer.Deserialize<CheckpointPolicy>("{}", Web)); // Keep, Keep
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CheckpointPolicy>("""{"shared":"Sideways"}""", Web));
    }

    [Fact]
    public void The_level_follows_the_block_kind()
    {
        using var chain = new BlockChain(false, true);
        var policy = new CheckpointPolicy { DualStream = ActivationLevel.Recompute, Shared = ActivationLevel.Host };
        Assert.Equal(ActivationLevel.Recompute, policy.For(chain.Blocks[0]));
        Assert.Equal(ActivationLevel.Host, policy.For(chain.Blocks[1]));
        Assert.True(policy.Uses(ActivationLevel.Host));
        Assert.False(policy.Uses(ActivationLevel.Disk));
    }
}
