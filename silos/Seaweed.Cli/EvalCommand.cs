using System.CommandLine;

namespace Seaweed.Cli;

/// <summary><c>seaweed eval</c>: the quality figures of a trained model.</summary>
internal static class EvalCommand
{
    public static Command Build() => new("eval", "Measure a trained model")
    {
        EvalVaeCommand.Build(),
        EvalPromptsCommand.Build(),
        LossCurvesCommand.Build(),
    };
}
