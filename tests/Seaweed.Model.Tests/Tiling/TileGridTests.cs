using Seaweed.Model.Tiling;

namespace Seaweed.Model.Tests.Tiling;

public class TileGridTests
{
    [Fact]
    public void An_even_grid_gives_the_remainder_to_the_first_tiles()
    {
        var grid = TileGrid.Even(5, 7, 2, 3);
        Assert.Equal([0, 3, 5], grid.RowBounds);
        Assert.Equal([0, 3, 5, 7], grid.ColumnBounds);
        Assert.Equal((2, 3, 6), (grid.Rows, grid.Columns, grid.Count));
        Assert.Equal(new TileRegion(3, 5, 2, 2), grid.Region(5));
    }

    [Fact]
    public void Unequal_tiles_are_numbered_row_by_row_with_their_neighbours()
    {
        var grid = TileGrid.FromSizes([1, 3, 2], [2, 3]);
        Assert.Equal((6, 5), (grid.Height, grid.Width));
        Assert.Equal(new TileRegion(0, 0, 1, 2), grid.Region(0));
        Assert.Equal(new TileRegion(1, 2, 3, 3), grid.Region(3));
        Assert.Equal(new TileRegion(4, 2, 2, 3), grid.Region(5));
        Assert.Equal(new TileRegion(8, 16, 24, 24), grid.Region(3).Scale(8));

        // Tile 3 (middle row, right column): neighbours above, below and to the left; the border on its right.
        Assert.Equal(1, grid.Neighbour(3, TileSide.Top));
        Assert.Equal(5, grid.Neighbour(3, TileSide.Bottom));
        Assert.Equal(2, grid.Neighbour(3, TileSide.Left));
        Assert.Null(grid.Neighbour(3, TileSide.Right));
        Assert.Null(grid.Neighbour(0, TileSide.Top));
        Assert.Null(grid.Neighbour(0, TileSide.Left));
        Assert.Null(grid.Neighbour(4, TileSide.Bottom));
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.Region(6));
    }

    [Theory]
    [InlineData(4, 4, 0, 1, "rows")]
    [InlineData(4, 4, 1, 0, "columns")]
    [InlineData(4, 4, 5, 1, "rows")] // more tiles than latent rows
    [InlineData(4, 3, 1, 4, "columns")]
    [InlineData(0, 4, 1, 1, "height")]
    public void A_grid_that_does_not_fit_the_latent_is_rejected_by_field(int height, int width, int rows, int columns, string field)
    {
        var e = Assert.Throws<ConfigException>(() => TileGrid.Even(height, width, rows, columns));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Sizes_must_list_tiles_at_least_as_large_as_the_halo()
    {
        Assert.Equal("rowHeights", Assert.Throws<ConfigException>(() => TileGrid.FromSizes([], [2])).Field);
        Assert.Equal("columnWidths[1]", Assert.Throws<ConfigException>(() => TileGrid.FromSizes([2], [2, 0])).Field);
        var e = Assert.Throws<ConfigException>(() => TileGrid.FromSizes([2, 1], [2], halo: 2));
        Assert.Equal("rowHeights[1]", e.Field);
        Assert.Contains("halo of 2", e.Message);
        Assert.Equal("rows", Assert.Throws<ConfigException>(() => TileGrid.Even(5, 5, 3, 1, halo: 2)).Field);
        Assert.Equal("halo", Assert.Throws<ConfigException>(() => TileGrid.FromSizes([2], [2], halo: 0)).Field);
    }

    [Fact]
    public void The_grid_must_cover_the_latent_exactly()
    {
        var grid = TileGrid.FromSizes([2, 2], [3]);
        grid.CheckCovers(4, 3);
        Assert.Equal("latent.height", Assert.Throws<ConfigException>(() => grid.CheckCovers(5, 3)).Field);
        Assert.Equal("latent.width", Assert.Throws<ConfigException>(() => grid.CheckCovers(4, 2)).Field);
    }
}
