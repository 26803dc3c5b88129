using System.Text.Json.Serialization;

namespace Seaweed.Data.World;

// The world's closed vocabulary. Enum order is part of the held-out rule and of stored datasets: append only.

[JsonConverter(typeof(JsonStringEnumConverter<Colour>))]
public enum Colour { Red, Orange, Yellow, Green, Cyan, Blue, Purple, Pink }

[JsonConverter(typeof(JsonStringEnumConverter<Shape>))]
public enum Shape { Circle, Square, Triangle, Diamond, Cross }

/// <summary>How an object moves in the world (not on screen: a camera pan shifts everything on screen).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Motion>))]
public enum Motion { Static, Left, Right, Up, Down, Diagonal, Grow, Shrink }

[JsonConverter(typeof(JsonStringEnumConverter<ObjectSize>))]
public enum ObjectSize { Small, Medium, Large }

/// <summary>Backgrounds are desaturated so that saturated objects always stand out; the last three are textured.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Background>))]
public enum Background { Grey, Slate, Sand, Checkered, Striped, Cloudy }

/// <summary>Direction the camera moves; the view's content shifts the opposite way on screen.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CameraPan>))]
public enum CameraPan { None, Left, Right, Up, Down }

/// <summary>One object as a caption describes it. Motion is null for still images.</summary>
public sealed record ObjectContent(Colour Colour, Shape Shape, ObjectSize Size, Motion? Motion)
{
    [JsonIgnore]
    public Composition? Composition => Motion is { } m ? new Composition(Colour, Shape, m) : null;
}

/// <summary>A colour × shape × motion triple: the unit of the held-out split.</summary>
public readonly record struct Composition(Colour Colour, Shape Shape, Motion Motion)
{
    public override string ToString() => $"{Colour}-{Shape}-{Motion}".ToLowerInvariant();
}

/// <summary>Everything a caption states about a clip: one or two objects, the background and the camera.</summary>
public sealed record SceneContent(ObjectContent First, ObjectContent? Second, Background Background, CameraPan Camera)
{
    [JsonIgnore]
    public bool IsStill => First.Motion is null;

    [JsonIgnore]
    public IEnumerable<ObjectContent> Objects => Second is null ? [First] : [First, Second];
}

public static class Vocabulary
{
    public static readonly Colour[] Colours = Enum.GetValues<Colour>();
    public static readonly Shape[] Shapes = Enum.GetValues<Shape>();
    public static readonly Motion[] Motions = Enum.GetValues<Motion>();
    public static readonly ObjectSize[] Sizes = Enum.GetValues<ObjectSize>();
    public static readonly Background[] Backgrounds = Enum.GetValues<Background>();
    public static readonly CameraPan[] Pans = Enum.GetValues<CameraPan>();

    public static bool IsTextured(Background background) => background >= Background.Checkered;

    /// <summary>sRGB of each colour: saturated, with hues far apart so nearest-colour reading is unambiguous.</summary>
    public static (byte R, byte G, byte B) Rgb(Colour colour) => colour switch
    {
        Colour.Red => (220, 40, 40),
        Colour.Orange => (240, 140, 20),
        Colour.Yellow => (235, 215, 30),
        Colour.Green => (40, 170, 60),
        Colour.Cyan => (30, 190, 210),
        Colour.Blue => (40, 70, 220),
        Colour.Purple => (140, 50, 200),
        Colour.Pink => (240, 100, 180),
        _ => throw new ArgumentOutOfRangeException(nameof(colour), colour, null),
    };

    /// <summary>Object radius as a fraction of the frame's short side, at the start of the clip.</summary>
    public static double RadiusFraction(ObjectSize size) => size switch
    {
        ObjectSize.Small => 0.09,
        ObjectSize.Medium => 0.13,
        ObjectSize.Large => 0.18,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, null),
    };
}
