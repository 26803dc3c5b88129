using System.CommandLine;

namespace Seaweed.Cli.Tests;

/// <summary>Runs the seaweed command in-process. Tests that set environment variables share one collection, so
/// no other command reads the configuration while they do.</summary>
internal static class Cli
{
    public const string Environment = "environment";

    public static (int Code, string Out, string Err) Seaweed(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = SeaweedCommand.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}

[CollectionDefinition(Cli.Environment)]
public sealed class EnvironmentCollection;
