using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Seaweed.Silo.Api;

namespace Seaweed.Silo;

/// <summary>
/// The silo host: one process with a silo (<see cref="SeaweedSilo"/>) and the HTTP API (<see cref="SeaweedApi"/>).
/// Configuration: appsettings.json beside the executable, environment variables (<c>Seaweed__Api__Keys__0</c>),
/// then the command line (<c>--urls http://127.0.0.1:8080</c>, <c>--Seaweed:Cluster:Mode=azure</c>). Bad
/// configuration is a <see cref="Model.ConfigException"/> naming the key, before anything starts.
/// </summary>
public static class SeaweedHost
{
    /// <param name="configure">Adds configuration after the usual sources (tests: temporary directories, ports).</param>
    /// <param name="configureSilo">Runs after the silo is configured (tests: grain classes to leave out).</param>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder.Configuration);
        var settings = HostSettings.Load(builder.Configuration);
        settings.Compute.Apply();
        builder.UseOrleans(silo =>
        {
            SeaweedSilo.Configure(silo, settings);
            configureSilo?.Invoke(silo);
        });
        builder.Services.AddSeaweedApi(settings.Api, settings.Generation.Limits);
        var app = builder.Build();
        app.MapSeaweedApi();
        return app;
    }
}
