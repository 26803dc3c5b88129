namespace Seaweed.Data.Video;

/// <summary>
/// Median-cut colour quantisation over a 5-bit-per-channel histogram: the box with the widest channel range is split
/// at its pixel-weighted median until there are enough boxes; each box's colour is the mean of its pixels.
/// </summary>
internal static class MedianCut
{
    private sealed class Bin
    {
        public long Count, R, G, B;
        public int Key;
        public int Channel(int c) => c switch { 0 => Key >> 10, 1 => (Key >> 5) & 31, _ => Key & 31 };
    }

    public static byte[] Fit(ReadOnlySpan<byte> rgb, int maxColours)
    {
        var bins = new Bin?[1 << 15];
        for (int i = 0; i < rgb.Length; i += 3)
        {
            int key = (rgb[i] >> 3) << 10 | (rgb[i + 1] >> 3) << 5 | (rgb[i + 2] >> 3);
            var bin = bins[key] ??= new Bin { Key = key };
            bin.Count++;
            bin.R += rgb[i];
            bin.G += rgb[i + 1];
            bin.B += rgb[i + 2];
        }

        var boxes = new List<List<Bin>> { bins.Where(b => b is not null).Select(b => b!).ToList() };
        while (boxes.Count < maxColours)
        {
            int pick = -1, pickChannel = 0, pickRange = 0;
            for (int i = 0; i < boxes.Count; i++)
            {
                if (boxes[i].Count < 2) continue;
                for (int c = 0; c < 3; c++)
                {
                    int range = boxes[i].Max(b => b.Channel(c)) - boxes[i].Min(b => b.Channel(c));
                    if (range > pickRange) (pick, pickChannel, pickRange) = (i, c, range);
                }
            }
            if (pick < 0) break;

            var box = boxes[pick];
            box.Sort((x, y) => x.Channel(pickChannel).CompareTo(y.Channel(pickChannel)));
            long total = box.Sum(b => b.Count), acc = 0;
            int cut = 1;
            for (int i = 0; i < box.Count - 1; i++)
            {
                acc += box[i].Count;
                cut = i + 1;
                if (acc * 2 >= total) break;
            }
            boxes[pick] = box.GetRange(0, cut);
            boxes.Add(box.GetRange(cut, box.Count - cut));
        }

        var palette = new byte[boxes.Count * 3];
        for (int i = 0; i < boxes.Count; i++)
        {
            long n = boxes[i].Sum(b => b.Count);
            palette[3 * i] = (byte)((boxes[i].Sum(b => b.R) + n / 2) / n);
            palette[3 * i + 1] = (byte)((boxes[i].Sum(b => b.G) + n / 2) / n);
            palette[3 * i + 2] = (byte)((boxes[i].Sum(b => b.B) + n / 2) / n);
        }
        return palette;
    }
}
