using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;
using Seaweed.Model.Pipeline;

namespace Seaweed.Silo.Api;

/// <summary>
/// The HTTP API beside the silo: <c>/v1/videos</c> and <c>/v1/stories</c> behind API keys, the OpenAPI document at
/// <c>/openapi/v1.json</c> (open, it holds no data) and the Orleans dashboard at <c>/dashboard</c> (behind the same keys,
/// sent as a header or through the dashboard's sign-in page).
/// </summary>
public static class SeaweedApi
{
    public const string Dashboard = "/dashboard";

    /// <param name="limits">What one video may ask for: the generation grains' own limits.</param>
    public static IServiceCollection AddSeaweedApi(this IServiceCollection services, ApiSettings settings, GenerationLimits limits)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(limits);
        services.AddSingleton(settings.Validate());
        services.AddSingleton(limits);
        var keys = new ApiKeys(settings.Keys);
        services.AddSingleton(keys);
        services.AddSingleton<RequestValidator>();
        services.AddSingleton<DefaultModel>();
        services.AddSingleton<ApiJson>();
        services.ConfigureHttpJsonOptions(ApiJson.Configure);
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, configureOptions: null)
            .AddDashboardSignIn(keys);
        services.AddAuthorization();
        services.AddProblemDetails();
        services.AddOpenApi();
        return services;
    }

    public static WebApplication MapSeaweedApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        var v1 = app.MapGroup("/v1").RequireAuthorization().AddEndpointFilter<GrainErrors>();
        v1.MapGroup("/videos").WithTags("videos").MapVideos();
        v1.MapGroup("/stories").WithTags("stories").MapStories();
        app.MapDashboardSignIn();
        app.MapOrleansDashboard(Dashboard).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = DashboardSignIn.Scheme });
        return app;
    }
}
