using static TorchSharp.torch;

namespace Seaweed.Model.Tiling;

/// <summary>
/// What one tile of a tiled decode needs from the others: its neighbours' boundary rows and columns before a
/// spatial conv, and every tile's normalisation statistics. Every tile makes the same calls in the same order.
/// </summary>
public interface ITileExchange
{
    /// <summary>
    /// (B, C, T, h, w) → (B, C, T, h + 2·<paramref name="rows"/>, w + 2·<paramref name="columns"/>): the tile framed by its
    /// neighbours' edges, corners included, and by zeros at the image border (the whole frame's "same" padding).
    /// </summary>
    Tensor PadWithHalo(Tensor x, int rows, int columns);

    /// <summary>Every tile's <paramref name="local"/> (same shape on all tiles), stacked in tile order: (tiles, …).</summary>
    Tensor AllGather(Tensor local);
}
