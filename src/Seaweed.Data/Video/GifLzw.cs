namespace Seaweed.Data.Video;

/// <summary>GIF's variable-width LZW (codes of 3..12 bits, LSB first) written as 255-byte data sub-blocks.</summary>
internal sealed class GifLzw
{
    private const int MaxCode = 4096;
    private const int TableBits = 13; // open-addressing table twice the code space keeps probes short
    private readonly int[] _keys = new int[1 << TableBits];
    private readonly short[] _codes = new short[1 << TableBits];
    private readonly byte[] _block = new byte[256];
    private Stream _out = Stream.Null;
    private ulong _bits;
    private int _bitCount, _blockLength;

    /// <summary>Writes the min-code-size byte, the LZW data of <paramref name="indices"/> and the block terminator.</summary>
    public void Write(Stream output, ReadOnlySpan<byte> indices, int minCodeSize)
    {
        _out = output;
        _bits = 0;
        _bitCount = _blockLength = 0;
        output.WriteByte((byte)minCodeSize);

        int clear = 1 << minCodeSize, end = clear + 1;
        int next = end + 1, codeSize = minCodeSize + 1;
        Array.Fill(_keys, -1);
        Emit(clear, codeSize);

        int prefix = indices[0];
        for (int i = 1; i < indices.Length; i++)
        {
            int k = indices[i];
            int key = prefix << 8 | k;
            int slot = Find(key);
            if (_keys[slot] == key)
            {
                prefix = _codes[slot];
                continue;
            }
            Emit(prefix, codeSize);
            if (next < MaxCode)
            {
                _keys[slot] = key;
                _codes[slot] = (short)next++;
                // The decoder adds each entry one code later than we do, so widen one step after reaching 2^size.
                if (next > 1 << codeSize && codeSize < 12) codeSize++;
            }
            else
            {
                Emit(clear, codeSize);
                Array.Fill(_keys, -1);
                next = end + 1;
                codeSize = minCodeSize + 1;
            }
            prefix = k;
        }
        Emit(prefix, codeSize);
        Emit(end, codeSize);
        if (_bitCount > 0) Put((byte)_bits);
        FlushBlock();
        output.WriteByte(0);
    }

    private int Find(int key)
    {
        int mask = (1 << TableBits) - 1;
        int slot = (int)((uint)key * 2654435761u >> (32 - TableBits));
        while (_keys[slot] != -1 && _keys[slot] != key) slot = (slot + 1) & mask;
        return slot;
    }

    private void Emit(int code, int size)
    {
        _bits |= (ulong)code << _bitCount;
        _bitCount += size;
        while (_bitCount >= 8)
        {
            Put((byte)_bits);
            _bits >>= 8;
            _bitCount -= 8;
        }
    }

    private void Put(byte b)
    {
        _block[1 + _blockLength++] = b;
        if (_blockLength == 255) FlushBlock();
    }

    private void FlushBlock()
    {
        if (_blockLength == 0) return;
        _block[0] = (byte)_blockLength;
        _out.Write(_block, 0, _blockLength + 1);
        _blockLength = 0;
    }
}
