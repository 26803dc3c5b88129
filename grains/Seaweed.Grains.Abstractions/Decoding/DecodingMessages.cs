namespace Seaweed.Grains.Decoding;

/// <summary>A float32 tensor on the wire: its shape and its bytes in row-major order. Neither side writes it after the call.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.decoding.float-tensor")]
public sealed record FloatTensor(long[] Shape, byte[] Data);

/// <summary>
/// How the latent frame is cut into tiles: <see cref="Rows"/> × <see cref="Columns"/> as even as the latent allows,
/// or of the given sizes in latent pixels (top to bottom, left to right), one per row or column.
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.decoding.tile-layout")]
public sealed record TileLayout(int Rows, int Columns, int[]? RowHeights = null, int[]? ColumnWidths = null);

/// <summary>
/// Latent in, frames out. <see cref="Latent"/> is the VAE's latent (B, C, T, h, w) — a DiT latent ÷ vae.latentScale —
/// of model <see cref="Model"/>; it is decoded <see cref="ChunkFrames"/> latent frames at a time after the first
/// (all at once when null), every message kept under <see cref="MaxMessageBytes"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.decoding.vae-decode-request")]
public sealed record VaeDecodeRequest(string Model, FloatTensor Latent, TileLayout Tiles, int? ChunkFrames = null, int MaxMessageBytes = VaeDecodeRequest.DefaultMaxMessageBytes)
{
    /// <summary>Well below Orleans' 100 MiB message limit, even cross-silo.</summary>
    public const int DefaultMaxMessageBytes = 16 << 20;
}

/// <summary>
/// What one tile of a decode run needs: its place in the grid (sizes in latent pixels), the temporal chunks (latent
/// frame bounds), its region of the latent, and the limits of its messages to the other tiles.
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.decoding.vae-tile-setup")]
public sealed record VaeTileSetup(
    Guid Run,
    string Model,
    int Tile,
    int[] RowHeights,
    int[] ColumnWidths,
    int[] FrameBounds,
    FloatTensor Latent,
    int MaxMessageBytes,
    TimeSpan Timeout);

/// <summary>
/// Decoded pixels of video frames [Frame, Frame + T), rows [Top, Top + H), columns [Left, Left + W): <see cref="Pixels"/>
/// is (B, 3, T, H, W) of a video of <see cref="VideoShape"/>, decoded by tile <see cref="Tile"/> on silo <see cref="Silo"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.decoding.video-block")]
public sealed record VideoBlock(int Tile, string Silo, long[] VideoShape, int Frame, int Top, int Left, FloatTensor Pixels);
