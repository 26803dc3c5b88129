namespace Seaweed.Silo.Api;

internal static class ApiRoutes
{
    public const string Videos = "/v1/videos";
    public const string Stories = "/v1/stories";

    public static Links LinksFor(string collection, string id, bool hasContent) =>
        new($"{collection}/{id}", $"{collection}/{id}/events", hasContent ? $"{collection}/{id}/content" : null);
}
