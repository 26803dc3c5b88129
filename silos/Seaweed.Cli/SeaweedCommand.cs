using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Seaweed.Model;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>The <c>seaweed</c> root command and what every verb shares: --json output, one-line errors, progress on stderr.</summary>
internal static class SeaweedCommand
{
    public const int BadInput = 2;

    public static RootCommand Build() => new("Seaweed.Grains: train and serve Seaweed-style video generation models")
    {
        BenchCommand.Build(),
        CurateCommand.Build(),
        EvalCommand.Build(),
        GenerateCommand.Build(),
        StoryCommand.Build(),
        SiloCommand.Build(),
        TrainCommand.Build(),
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print one JSON object with the results on stdout" };

    /// <summary>Runs a verb against the invocation's writers; bad input becomes one line on stderr and exit code 2.</summary>
    public static int Run(ParseResult parse, Func<Terminal, int> verb)
    {
        var terminal = new Terminal(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        try
        {
            ComputeSettings.Load().Apply();
            return verb(terminal);
        }
        catch (Exception e) when (e is ConfigException or ArgumentException or IOException or InvalidDataException or Seaweed.Data.Video.FfmpegUnavailableException)
        {
            terminal.Error.WriteLine($"seaweed: {e.Message}");
            return BadInput;
        }
    }
}

/// <summary>
/// Where a verb writes: results (a table, or with --json one JSON object) on <see cref="Output"/>;
/// progress and errors on <see cref="Error"/>, so stdout stays machine-readable.
/// </summary>
internal sealed class Terminal(TextWriter output, TextWriter error)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;
    public IAnsiConsole Console { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
    private IAnsiConsole Status { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });

    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>Runs <paramref name="work"/> under one progress bar of <paramref name="total"/> ticks.</summary>
    public T WithProgress<T>(string label, int total, Func<IProgress<int>, T> work)
    {
        T result = default!;
        Status.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask(label, maxValue: total);
            result = work(new ProgressBar(task));
        });
        return result;
    }

    /// <summary>Runs async <paramref name="work"/> under one progress bar of <paramref name="total"/> ticks.</summary>
    public Task<T> WithProgressAsync<T>(string label, int total, Func<ProgressBar, Task<T>> work) =>
        Status.Progress().AutoClear(true).StartAsync(ctx => work(new ProgressBar(ctx.AddTask(label, maxValue: total))));
}

/// <summary>One progress bar; its total and label may change as work is discovered.</summary>
internal sealed class ProgressBar(ProgressTask task) : IProgress<int>
{
    public void Report(int value) => task.Value = value;

    public void Update(double value, double total, string label)
    {
        task.MaxValue = total;
        task.Value = value;
        task.Description = Markup.Escape(label);
    }
}
