namespace Seaweed.Cli.Tests;

/// <summary>A fresh directory for one test's silo state and artefacts; the command finds it through the
/// environment, so tests that use it belong to the <see cref="Cli.Environment"/> collection.</summary>
internal sealed class SiloState : IDisposable
{
    private const string Variable = "Seaweed__Silo__StateDirectory";

    public SiloState() => System.Environment.SetEnvironmentVariable(Variable, Path.Combine(Root, "grains"));

    public string Root { get; } = Directory.CreateTempSubdirectory("seaweed-cli-").FullName;

    /// <summary>A bad command line: exit code 2, nothing on stdout, one line on stderr that names the field.</summary>
    public static void AssertBadInput((int Code, string Out, string Err) result, string field)
    {
        Assert.Equal(2, result.Code);
        Assert.Empty(result.Out);
        Assert.Contains(field, result.Err);
        Assert.Single(result.Err.Trim().Split('\n'));
    }

    public void Dispose()
    {
        System.Environment.SetEnvironmentVariable(Variable, null);
        Directory.Delete(Root, recursive: true);
    }
}
