namespace Seaweed.Model.Tiling;

/// <summary>The four neighbours a tile exchanges halos with.</summary>
public enum TileSide { Top, Bottom, Left, Right }

/// <summary>A tile's rectangle in latent pixels; <see cref="Scale"/> gives it at a stage after ×2 upsamplings.</summary>
public readonly record struct TileRegion(int Top, int Left, int Height, int Width)
{
    public TileRegion Scale(int factor) => new(Top * factor, Left * factor, Height * factor, Width * factor);
}

/// <summary>
/// A spatial grid of tiles over a latent frame, given by its row and column boundaries in latent pixels (tiles of
/// unequal size allowed). Tiles are numbered row by row: tile t is in row t / <see cref="Columns"/>. Every tile is at
/// least <c>halo</c> pixels high and wide, so a conv's halo always comes from the adjacent tile alone.
/// </summary>
public sealed class TileGrid
{
    private readonly int[] rowBounds;
    private readonly int[] columnBounds;

    private TileGrid(int[] rowBounds, int[] columnBounds)
    {
        this.rowBounds = rowBounds;
        this.columnBounds = columnBounds;
    }

    /// <summary>0 = r₀ &lt; r₁ &lt; … &lt; r_rows = <see cref="Height"/>.</summary>
    public IReadOnlyList<int> RowBounds => rowBounds;
    public IReadOnlyList<int> ColumnBounds => columnBounds;
    public int Rows => rowBounds.Length - 1;
    public int Columns => columnBounds.Length - 1;
    public int Count => Rows * Columns;
    public int Height => rowBounds[^1];
    public int Width => columnBounds[^1];

    /// <summary>Tiles of the given heights (top to bottom) and widths (left to right), each at least <paramref name="halo"/>.</summary>
    public static TileGrid FromSizes(IReadOnlyList<int> rowHeights, IReadOnlyList<int> columnWidths, int halo = 1)
    {
        CheckHalo(halo);
        return new TileGrid(Bounds(rowHeights, nameof(rowHeights), halo), Bounds(columnWidths, nameof(columnWidths), halo));
    }

    /// <summary>
    /// <paramref name="rows"/> × <paramref name="columns"/> tiles as even as the latent allows (the first tiles take
    /// the remainder, one pixel each).
    /// </summary>
    public static TileGrid Even(int height, int width, int rows, int columns, int halo = 1)
    {
        CheckHalo(halo);
        return new TileGrid(EvenBounds(height, rows, nameof(rows), nameof(height), halo), EvenBounds(width, columns, nameof(columns), nameof(width), halo));
    }

    /// <summary>Throws <see cref="ConfigException"/> unless the grid covers a latent of exactly this size.</summary>
    public void CheckCovers(int height, int width, string field = "latent")
    {
        if (height != Height) throw new ConfigException($"{field}.height", $"the latent is {height} high, the tile rows add up to {Height}");
        if (width != Width) throw new ConfigException($"{field}.width", $"the latent is {width} wide, the tile columns add up to {Width}");
    }

    public TileRegion Region(int tile)
    {
        CheckTile(tile);
        int row = tile / Columns, column = tile % Columns;
        return new TileRegion(rowBounds[row], columnBounds[column], rowBounds[row + 1] - rowBounds[row], columnBounds[column + 1] - columnBounds[column]);
    }

    /// <summary>The tile across <paramref name="side"/>, or null at the image border (where zero padding stays).</summary>
    public int? Neighbour(int tile, TileSide side)
    {
        CheckTile(tile);
        int row = tile / Columns, column = tile % Columns;
        return side switch
        {
            TileSide.Top => row > 0 ? tile - Columns : null,
            TileSide.Bottom => row < Rows - 1 ? tile + Columns : null,
            TileSide.Left => column > 0 ? tile - 1 : null,
            TileSide.Right => column < Columns - 1 ? tile + 1 : null,
            _ => throw new ArgumentOutOfRangeException(nameof(side), side, "not a side"),
        };
    }

    public override string ToString() => $"{Rows}×{Columns} tiles over {Height}×{Width}";

    private void CheckTile(int tile)
    {
        if ((uint)tile >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(tile), tile, $"tile must be in [0, {Count})");
    }

    private static void CheckHalo(int halo)
    {
        if (halo < 1) throw new ConfigException(nameof(halo), $"{halo} must be at least 1");
    }

    private static int[] Bounds(IReadOnlyList<int> sizes, string field, int halo)
    {
        if (sizes is null || sizes.Count == 0) throw new ConfigException(field, "must list at least one tile");
        var bounds = new int[sizes.Count + 1];
        for (int i = 0; i < sizes.Count; i++)
        {
            if (sizes[i] < halo)
                throw new ConfigException($"{field}[{i}]", $"{sizes[i]} latent pixels is smaller than the decoder's halo of {halo}");
            bounds[i + 1] = checked(bounds[i] + sizes[i]);
        }
        return bounds;
    }

    private static int[] EvenBounds(int extent, int tiles, string field, string extentField, int halo)
    {
        if (extent < 1) throw new ConfigException(extentField, $"{extent} must be at least 1");
        if (tiles < 1) throw new ConfigException(field, $"{tiles} must be at least 1");
        if ((long)tiles * halo > extent)
            throw new ConfigException(field, $"{tiles} tiles of at least the halo {halo} do not fit a latent {extent} pixels across");
        var bounds = new int[tiles + 1];
        for (int i = 0; i < tiles; i++) bounds[i + 1] = bounds[i] + extent / tiles + (i < extent % tiles ? 1 : 0);
        return bounds;
    }
}
