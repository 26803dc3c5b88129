using System.CommandLine;
using Seaweed.Eval;
using Seaweed.Model;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed eval curves</c>: loss curves of training runs as a PNG line chart, each series from a JSON file with a
/// <c>history</c> of steps (<c>seaweed train export --json</c>; the VAE trainer's summary when it carries one).
/// </summary>
internal static class LossCurvesCommand
{
    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var series = new Option<string[]>("--series") { Description = "NAME=FILE: a curve named NAME from FILE's history (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--out") { Description = "PNG file to write (replaced atomically)", Required = true };
        var title = new Option<string>("--title") { Description = "Chart title", DefaultValueFactory = _ => "Training loss" };
        var log = new Option<bool>("--log") { Description = "Log-scaled loss axis" };
        var width = new Option<int>("--width") { Description = "Image width in pixels", DefaultValueFactory = _ => 720 };
        var height = new Option<int>("--height") { Description = "Image height in pixels", DefaultValueFactory = _ => 420 };
        var command = new Command("curves", "Plot loss curves from training histories as a PNG") { json, series, output, title, log, width, height };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            var curves = parse.GetValue(series)!.Select(Read).ToArray();
            var options = new PlotOptions
            {
                Width = OptionValue.InRange("--width", parse.GetValue(width), 200, 4096), Height = OptionValue.InRange("--height", parse.GetValue(height), 150, 4096),
                Title = parse.GetValue(title)!, LogY = parse.GetValue(log),
            };
            if (options.LogY && curves.FirstOrDefault(c => c.Points.Any(p => p.Y <= 0)) is { } bad)
                throw new ConfigException("--log", $"series '{bad.Name}' has losses ≤ 0, which a log axis cannot show");
            string path = Path.GetFullPath(parse.GetValue(output)!);
            AtomicFile.WriteAllBytesAsync(path, PlotChart.Png(curves, options)).GetAwaiter().GetResult();
            var report = new LossCurvesReport(path, options.Width, options.Height, curves.Select(c => new CurveSummary(c.Name, c.Points.Count, c.Points[^1].X, c.Points[^1].Y)).ToArray());
            if (parse.GetValue(json)) terminal.WriteJson(report);
            else terminal.Output.WriteLine($"{path}: {string.Join(", ", report.Series.Select(s => $"{s.Name} ({s.Points} points, last loss {s.LastLoss:G4} at step {s.LastStep})"))}");
            return 0;
        }));
        return command;
    }

    private static PlotSeries Read(string option)
    {
        int eq = option.IndexOf('=');
        if (eq <= 0 || eq == option.Length - 1) throw new ConfigException("--series", $"'{option}' is not NAME=FILE");
        string name = option[..eq], file = option[(eq + 1)..];
        if (!File.Exists(file)) throw new ConfigException("--series", $"no such file: {Path.GetFullPath(file)}");
        return PlotHistory.Read(name, File.ReadAllText(file), file);
    }


}

internal sealed record CurveSummary(string Name, int Points, double LastStep, double LastLoss);

/// <summary>What <c>seaweed eval curves --json</c> prints.</summary>
internal sealed record LossCurvesReport(string Png, int Width, int Height, IReadOnlyList<CurveSummary> Series);
