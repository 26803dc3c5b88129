using Microsoft.Extensions.Configuration;
using Seaweed.Model;

namespace Seaweed.Silo;

internal static class ConfigSection
{
    /// <summary>Binds <paramref name="section"/>; a value that does not convert (a word where a number goes) is a
    /// <see cref="ConfigException"/> naming the section, the binder's message naming the exact key.</summary>
    public static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigException(section, e.Message);
        }
    }
}
