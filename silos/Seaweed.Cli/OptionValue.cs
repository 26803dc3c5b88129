using Seaweed.Model;

namespace Seaweed.Cli;

/// <summary>Checks of numeric option values; a value out of bounds is bad input that names the option.</summary>
internal static class OptionValue
{
    public static int Positive(string option, int value) => AtLeast(option, value, 1);

    public static int AtLeast(string option, int value, int minimum) =>
        value >= minimum ? value : throw new ConfigException(option, $"{value} must be at least {minimum}");

    public static int InRange(string option, int value, int minimum, int maximum) =>
        value >= minimum && value <= maximum ? value : throw new ConfigException(option, $"{value} must be from {minimum} to {maximum}");
}
