namespace Seaweed.Data.World;

/// <summary>An object placed in a scene: its start position on screen (pixels) and start radius (pixels).</summary>
public sealed record SceneObject(ObjectContent Content, double X, double Y, double Radius);

/// <summary>Everything needed to render a clip: content, placement, frame size and timing, texture phase.</summary>
public sealed record Scene(
    SceneContent Content,
    SceneObject First,
    SceneObject? Second,
    int Width,
    int Height,
    int FrameCount,
    double Fps,
    double TextureX,
    double TextureY)
{
    public IEnumerable<SceneObject> Objects => Second is null ? [First] : [First, Second];

    public int ShortSide => Math.Min(Width, Height);

    /// <summary>Clip progress in [0, 1] at frame t.</summary>
    public double Progress(int t) => FrameCount == 1 ? 0 : (double)t / (FrameCount - 1);
}

/// <summary>Where things are at progress p: linear world motion, a linear camera pan, size change for grow/shrink.</summary>
public static class Kinematics
{
    /// <summary>World displacement of an object over the whole clip, in pixels.</summary>
    public static (double Dx, double Dy) Travel(Motion? motion, int width, int height) => motion switch
    {
        Motion.Left => (-0.35 * width, 0),
        Motion.Right => (0.35 * width, 0),
        Motion.Up => (0, -0.35 * height),
        Motion.Down => (0, 0.35 * height),
        Motion.Diagonal => (0.28 * width, 0.28 * height),
        _ => (0, 0),
    };

    /// <summary>Camera displacement over the whole clip, in pixels.</summary>
    public static (double Dx, double Dy) CameraTravel(CameraPan pan, int width, int height) => pan switch
    {
        CameraPan.Left => (-0.2 * width, 0),
        CameraPan.Right => (0.2 * width, 0),
        CameraPan.Up => (0, -0.2 * height),
        CameraPan.Down => (0, 0.2 * height),
        _ => (0, 0),
    };

    public static double RadiusScale(Motion? motion, double p) => motion switch
    {
        Motion.Grow => 1 + 0.8 * p,
        Motion.Shrink => 1 - 0.45 * p,
        _ => 1,
    };

    /// <summary>Screen position and radius of an object at progress p (the camera's travel shifts it back).</summary>
    public static (double X, double Y, double R) ScreenAt(Scene scene, SceneObject o, double p)
    {
        var (dx, dy) = Travel(o.Content.Motion, scene.Width, scene.Height);
        var (cx, cy) = CameraTravel(scene.Content.Camera, scene.Width, scene.Height);
        return (o.X + (dx - cx) * p, o.Y + (dy - cy) * p, o.Radius * RadiusScale(o.Content.Motion, p));
    }

    /// <summary>Camera offset at progress p, added to screen coordinates to find world (texture) coordinates.</summary>
    public static (double X, double Y) CameraAt(Scene scene, double p)
    {
        var (cx, cy) = CameraTravel(scene.Content.Camera, scene.Width, scene.Height);
        return (scene.TextureX + cx * p, scene.TextureY + cy * p);
    }
}
