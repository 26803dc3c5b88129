using Seaweed.Model;
using Seaweed.Silo;

try
{
    await SeaweedHost.Build(args).RunAsync();
    return 0;
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"seaweed-silo: {e.Message}");
    return 2;
}
