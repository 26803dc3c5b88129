using Seaweed.Grains.Decoding;
using static TorchSharp.torch;

namespace Seaweed.Grains.Tests.Decoding;

public class VideoBlocksTests
{
    [Fact]
    public void Pieces_take_whole_frames_while_they_fit_else_rows_of_one_frame()
    {
        // 5 frames of 4 rows of 10 bytes: a 100-byte budget takes 2 frames at a time.
        Assert.Equal([(0, 2, 0, 4), (2, 2, 0, 4), (4, 1, 0, 4)], VideoBlocks.Pieces(5, 4, 10, 100));
        // A 25-byte budget fits 2 rows of a frame.
        Assert.Equal([(0, 1, 0, 2), (0, 1, 2, 2), (1, 1, 0, 2), (1, 1, 2, 2)], VideoBlocks.Pieces(2, 4, 10, 25));
        Assert.Throws<ArgumentException>(() => VideoBlocks.Pieces(1, 1, 10, 9).ToList());
    }

    [Fact]
    public void The_assembler_puts_blocks_where_they_belong_and_counts_the_pixels()
    {
        var video = randn([1, 3, 3, 4, 6], generator: new Generator(4));
        long[] shape = video.shape;
        VideoBlock Block(int tile, int frame, int frames, int top, int rows, int left, int columns) => new(tile, $"silo-{tile % 2}", shape, frame, top, left,
            FloatTensors.From(video[.., .., frame..(frame + frames), top..(top + rows), left..(left + columns)]));

        using var assembler = new VideoBlocks.Assembler();
        foreach (var b in new[] { Block(1, 0, 3, 0, 4, 4, 2), Block(0, 1, 2, 0, 4, 0, 4), Block(0, 0, 1, 0, 2, 0, 4) }) assembler.Add(b);
        Assert.Throws<InvalidOperationException>(assembler.Video); // rows 2..3 of frame 0, tile 0, are missing
        assembler.Add(Block(0, 0, 1, 2, 2, 0, 4));
        using var assembled = assembler.Video();
        Assert.Equal(0, (assembled - video).abs().max().item<float>());
        Assert.Equal(new Dictionary<int, string> { [0] = "silo-0", [1] = "silo-1" }, assembler.TileSilos);
    }

    [Fact]
    public void A_float_tensor_whose_bytes_do_not_match_its_shape_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => FloatTensors.ToTensor(new FloatTensor([2, 3], new byte[20]), "latent"));
        Assert.Equal("latent", e.ParamName);
        Assert.Equal("latent", Assert.Throws<ArgumentException>(() => FloatTensors.Check(new FloatTensor([-1], []), "latent")).ParamName);
    }
}
