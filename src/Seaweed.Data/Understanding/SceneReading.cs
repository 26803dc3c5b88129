using Seaweed.Data.World;

namespace Seaweed.Data.Understanding;

/// <summary>Where an object is on one frame: its centroid and the radius its area implies, in pixels.</summary>
public readonly record struct TrackPoint(int Frame, double X, double Y, double Radius);

/// <summary>
/// One object as read from the pixels, with the evidence behind each attribute. Travel is the object's world motion
/// over the clip (on-screen motion relative to the background) as fractions of the frame's width and height;
/// RadiusChange is ln(end radius / start radius). Confidences are in [0, 1]: how far the best reading beats the
/// runner-up.
/// </summary>
public sealed record ObjectReading(
    Colour Colour,
    double ColourConfidence,
    Shape Shape,
    double ShapeConfidence,
    ObjectSize Size,
    double StartRadius,
    Motion? Motion,
    double TravelX,
    double TravelY,
    double RadiusChange,
    IReadOnlyList<TrackPoint> Track)
{
    public ObjectContent Content => new(Colour, Shape, Size, Motion);
}

/// <summary>
/// What a clip shows, read back from its pixels. Content is null when no object can be found. BackgroundShiftX/Y
/// is how far the background moved on screen over the clip (fractions of width and height): the opposite of the
/// camera's travel. TextureContrast is the background's luma standard deviation (near zero on plain backgrounds).
/// </summary>
public sealed record SceneReading(
    SceneContent? Content,
    IReadOnlyList<ObjectReading> Objects,
    Background Background,
    CameraPan Camera,
    double BackgroundShiftX,
    double BackgroundShiftY,
    double TextureContrast);
