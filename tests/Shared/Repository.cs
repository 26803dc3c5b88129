namespace Seaweed.Testing;

/// <summary>The checkout the tests run from, found by walking up from the test binaries to the solution file.</summary>
public static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Seaweed.Grains.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Seaweed.Grains.sln not found above {AppContext.BaseDirectory}");
    }
}
