using Seaweed.Silo.Api;

namespace Seaweed.Silo.Tests;

public sealed class ApiKeysTests
{
    private const string First = "first-key-0123456789", Second = "second-key-0123456789";

    [Fact]
    public void A_digest_is_given_only_for_a_configured_key_and_stays_valid_while_that_key_is_configured()
    {
        var keys = new ApiKeys([First, Second]);
        Assert.Null(keys.DigestOf(First + "x"));
        string digest = keys.DigestOf(Second)!;
        Assert.DoesNotContain(Second, digest);
        Assert.True(keys.IsConfigured(digest));
        // The same digest after the key is rotated out: the session it signed in ends.
        Assert.False(new ApiKeys([First]).IsConfigured(digest));
        Assert.False(keys.IsConfigured("not hex"));
        Assert.False(keys.IsConfigured(digest[..^2]));
    }
}
