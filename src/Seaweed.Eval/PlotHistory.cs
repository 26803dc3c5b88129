using System.Text.Json;

namespace Seaweed.Eval;

/// <summary>
/// A loss curve read from a training command's JSON: the <c>history</c> array of <c>seaweed train export --json</c>
/// (or a bare array), each element's <c>step</c> and its <c>loss</c>, either a number or an object whose
/// <c>total</c> is taken (the VAE trainer's loss terms).
/// </summary>
public static class PlotHistory
{
    /// <param name="source">Names the input in errors (a file path).</param>
    public static PlotSeries Read(string name, string json, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not JSON ({e.Message})", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            var history = root.ValueKind == JsonValueKind.Array ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array ? h
                : throw new InvalidDataException($"{source}: has no 'history' array of steps");
            var points = history.EnumerateArray().Select((e, i) => new PlotPoint(Number(e, "step", source, i), Loss(e, source, i))).ToArray();
            if (points.Length == 0) throw new InvalidDataException($"{source}: the history is empty");
            return new PlotSeries(name, points);
        }
    }

    private static double Loss(JsonElement e, string source, int i)
    {
        var loss = Property(e, "loss", source, i);
        return loss.ValueKind == JsonValueKind.Object ? Number(loss, "total", source, i) : Value(loss, "loss", source, i);
    }

    private static double Number(JsonElement e, string field, string source, int i) => Value(Property(e, field, source, i), field, source, i);

    private static JsonElement Property(JsonElement e, string field, string source, int i) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(field, out var v) ? v : throw new InvalidDataException($"{source}: history[{i}] has no '{field}'");

    private static double Value(JsonElement v, string field, string source, int i) =>
        v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble()) ? v.GetDouble() : throw new InvalidDataException($"{source}: history[{i}].{field} is not a finite number");
}
