using System.CommandLine;
using System.Diagnostics;
using Seaweed.Data.World;
using Seaweed.Eval;
using Seaweed.Model;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed eval prompts</c>: generates a video per prompt from the world's caption language and scores it with the
/// probe (colour, shape, motion, all three), objects of held-out compositions apart from seen ones; the same probe
/// on the world's own renders of those prompts is printed as the ceiling; for the first prompts, image to video from
/// the clip's first frame (first-frame PSNR and prompt following). In-process, like <c>eval vae</c>.
/// </summary>
internal static class EvalPromptsCommand
{
    public const string HeldOutSet = "heldout";
    public const string TrainSet = "train";

    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var model = new Option<string>("--model") { Description = "Model directory (config.json, tokenizer.json, model.safetensors)", Required = true };
        var set = new Option<string>("--set") { Description = $"Prompts of held-out compositions ({HeldOutSet}) or of seen ones ({TrainSet})", DefaultValueFactory = _ => HeldOutSet };
        var count = new Option<int>("--n") { Description = "Prompts to generate", DefaultValueFactory = _ => 32 };
        var i2v = new Option<int?>("--i2v") { Description = "Of those, how many also run image to video from their clip's first frame (default: up to 8)" };
        var steps = new Option<int?>("--steps") { Description = "Euler steps (default: the model's flow.samplingSteps)" };
        var guidance = new Option<double?>("--guidance") { Description = "Classifier-free guidance scale (default: the model's flow.guidance)" };
        var seed = new Option<long>("--seed") { Description = "Seed of the prompts' clips; prompt i samples its noise from seed + i", DefaultValueFactory = _ => 0 };
        var command = new Command("prompts", "Prompt following: colour, shape and motion accuracy of generated videos, held-out compositions apart; image-to-video first-frame PSNR")
        {
            json, model, set, count, i2v, steps, guidance, seed,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            int n = OptionValue.InRange("--n", parse.GetValue(count), 1, 10000);
            int images = parse.GetValue(i2v) is int k ? OptionValue.InRange("--i2v", k, 0, n) : Math.Min(8, n);
            return Run(terminal, parse.GetValue(model)!, Split(parse.GetValue(set)!), n, images, parse.GetValue(steps), parse.GetValue(guidance), parse.GetValue(seed),
                parse.GetValue(json));
        }));
        return command;
    }

    private static WorldSplit Split(string set) => set switch
    {
        HeldOutSet => WorldSplit.HeldOut,
        TrainSet => WorldSplit.Train,
        _ => throw new ConfigException("--set", $"'{set}' is neither {HeldOutSet} nor {TrainSet}"),
    };

    private static int Run(Terminal terminal, string directory, WorldSplit split, int count, int images, int? steps, double? guidance, long seed, bool json)
    {
        if (!Directory.Exists(directory)) throw new ConfigException("--model", $"no model directory at {Path.GetFullPath(directory)}");
        var watch = Stopwatch.StartNew();
        using var model = SeaweedModel.Load(directory);
        var flow = model.Config.Flow;
        var options = new PromptEvaluationOptions(split, count, images,
            OptionValue.InRange("--steps", steps ?? flow.SamplingSteps, 1, Model.Pipeline.GenerationLimits.Default.MaxSteps),
            guidance is double g ? (double.IsFinite(g) && g >= 0 ? g : throw new ConfigException("--guidance", $"{g} must be a finite number ≥ 0")) : flow.Guidance,
            seed);
        var evaluation = terminal.WithProgress($"eval prompts ({count} + {images} image to video)", count + images, bar => PromptFollowingEvaluation.Run(model, options, bar));
        var report = EvalPromptsReport.Of(Path.GetFullPath(directory), model.Config.Name, split == WorldSplit.HeldOut ? HeldOutSet : TrainSet, options, evaluation,
            watch.Elapsed.TotalSeconds);
        if (json) terminal.WriteJson(report);
        else EvalPromptsReport.Print(terminal.Console, report);
        return 0;
    }
}
