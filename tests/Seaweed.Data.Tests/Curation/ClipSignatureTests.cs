using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.Imaging;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Curation;

public sealed class ClipSignatureTests
{
    private const double Threshold = 0.16;

    private static VideoFrames Render(SceneContent content, long placement, int width = 128, int height = 96, int frames = 24) =>
        Renderer.Render(WorldGenerator.Place(WorldRandom.For(1, placement, "look-alike"), content, width, height, frames, 8));

    private static readonly SceneContent RedCircleLeftOnGrey =
        new(new ObjectContent(Colour.Red, Shape.Circle, ObjectSize.Medium, Motion.Left), null, Background.Grey, CameraPan.None);

    [Fact]
    public void IdenticalClipsAreAtZeroAndDistanceIsSymmetric()
    {
        var a = ClipSignature.Compute(Render(RedCircleLeftOnGrey, 1));
        var b = ClipSignature.Compute(Render(RedCircleLeftOnGrey, 2));
        Assert.Equal(0, ClipSignature.Distance(a, a));
        Assert.Equal(ClipSignature.Distance(a, b), ClipSignature.Distance(b, a));
        Assert.InRange(ClipSignature.Distance(a, b), 0, 1);
    }

    [Fact]
    public void BytesRoundTripAndStaySmall()
    {
        var a = ClipSignature.Compute(Render(RedCircleLeftOnGrey, 1));
        var bytes = a.ToBytes();
        Assert.True(bytes.Length < 600, $"{bytes.Length} bytes");
        var back = ClipSignature.FromBytes(bytes);
        Assert.Equal(bytes, back.ToBytes());
        Assert.Equal(0, ClipSignature.Distance(a, back));
        Assert.Equal((24, 8.0), (back.FrameCount, back.Fps));
        Assert.Throws<ArgumentException>("bytes", () => ClipSignature.FromBytes(bytes.AsSpan(1)));
        bytes[0] = 99;
        Assert.Throws<ArgumentException>("bytes", () => ClipSignature.FromBytes(bytes));
    }

    [Fact]
    public void EditedCopiesStayWithinTheThreshold()
    {
        var content = new SceneContent(new ObjectContent(Colour.Green, Shape.Square, ObjectSize.Small, Motion.Diagonal), null, Background.Checkered, CameraPan.None);
        var clip = Render(content, 3, frames: 30);
        var original = ClipSignature.Compute(clip.Slice(2, 24));
        Assert.InRange(ClipSignature.Distance(original, ClipSignature.Compute(FrameOps.Resize(clip, 96, 128).Slice(6, 22))), 0, Threshold);
        Assert.InRange(ClipSignature.Distance(original, ClipSignature.Compute(Defects.CropAndRescale(clip, 0.88).Slice(0, 20))), 0, Threshold);
        Assert.InRange(ClipSignature.Distance(original, ClipSignature.Compute(FrameOps.Resize(clip, 256, 192))), 0, Threshold);
    }

    [Fact]
    public void LookAlikesAreNotDuplicates()
    {
        // Same colour, shape, size, motion and background; only where the object is differs.
        var first = Render(RedCircleLeftOnGrey, 10);
        for (long placement = 11; placement < 20; placement++)
            Assert.True(ClipSignature.Distance(ClipSignature.Compute(first), ClipSignature.Compute(Render(RedCircleLeftOnGrey, placement))) > Threshold, $"placement {placement}");
        var blue = RedCircleLeftOnGrey with { First = RedCircleLeftOnGrey.First with { Colour = Colour.Blue } };
        Assert.True(ClipSignature.Distance(ClipSignature.Compute(first), ClipSignature.Compute(Render(blue, 10))) > Threshold, "same placement, another colour");
    }

    [Fact]
    public void HandlesImagesAndTinyFrames()
    {
        var image = Render(RedCircleLeftOnGrey, 1).Slice(0, 1);
        var a = ClipSignature.Compute(image);
        Assert.Equal(0, ClipSignature.Distance(a, a));
        var tiny = ClipSignature.Compute(FrameOps.Resize(Render(RedCircleLeftOnGrey, 1, 64, 64, 3), 8, 8));
        Assert.InRange(ClipSignature.Distance(a, tiny), 0, 1);
        Assert.Throws<ArgumentNullException>(() => ClipSignature.Compute(null!));
    }
}
