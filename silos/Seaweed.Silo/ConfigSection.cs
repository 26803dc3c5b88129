using Microsoft.Extensions.Configuration;
using Seaweed.Model;

namespace Seaweed.Silo;

internal static class ConfigSection
{
    /// <summary>Binds <paramref name="section"/>; a value that does not convert (a word where a number goes) is a
    /// <see cref="ConfigException"/> naming the section, the binder's message naming the exact key.</summary>
    public static T Bind<T>(IConfiguration configuration, string section) where T : notnull, new() => Bind(configuration, section, new T());

    /// <summary>Binds <paramref name="section"/> into <paramref name="instance"/>, which must own every object it
    /// holds: the binder writes into nested objects in place, so a shared default would be changed for everyone.</summary>
    public static T Bind<T>(IConfiguration configuration, string section, T instance) where T : notnull
    {
        try
        {
            configuration.GetSection(section).Bind(instance);
            return instance;
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigException(section, e.Message);
        }
    }
}
