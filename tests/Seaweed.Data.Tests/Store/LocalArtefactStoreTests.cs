using Seaweed.Data.Store;

namespace Seaweed.Data.Tests.Store;

public sealed class LocalArtefactStoreTests : ArtefactStoreContract, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seaweed-artefacts-").FullName;
    private readonly LocalArtefactStore _store;

    public LocalArtefactStoreTests() => _store = new LocalArtefactStore(_root);

    protected override IArtefactStore Store => _store;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Keys_map_to_files_under_the_root()
    {
        Assert.Equal(Path.Combine(_root, "datasets", "world", "manifest.json"), _store.Describe("datasets/world/manifest.json"));
        Assert.Equal(_root, _store.Location);
    }

    [Fact]
    public async Task Files_that_are_not_keys_are_not_listed()
    {
        await _store.WriteAsync("a/kept", new MemoryStream([1]), ArtefactWriteMode.CreateNew);
        File.WriteAllText(Path.Combine(_root, "a", "kept~0123.tmp"), "temp of a crashed writer");
        File.WriteAllText(Path.Combine(_root, "a", "has space"), "not a key");

        Assert.Equal(["a/kept"], await _store.ListAsync(""));
    }

    protected override void AssertNoLeftovers() =>
        Assert.DoesNotContain(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal));
}
