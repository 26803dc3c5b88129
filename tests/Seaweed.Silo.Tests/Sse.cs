using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seaweed.Silo.Tests;

/// <summary>Reads a server-sent event stream to its end: each event's type and JSON data.</summary>
internal static class Sse
{
    public static async Task<List<(string Event, JsonObject Data)>> ReadAll(HttpClient client, string path, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var events = new List<(string, JsonObject)>();
        string type = "message";
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((type, JsonNode.Parse(line["data: ".Length..])!.AsObject()));
                type = "message";
            }
        }
        return events;
    }

    public static string Phase(JsonObject status) => (string)status["phase"]!;
}
