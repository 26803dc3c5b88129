namespace Seaweed.Data.Tests.Store;

/// <summary>A non-seekable source that yields <c>failAfter</c> bytes and then throws, like a dropped upload.</summary>
internal sealed class FailingStream(int failAfter) : Stream
{
    internal sealed class Failure() : IOException("source failed midway");

    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= failAfter) throw new Failure();
        var n = Math.Min(count, failAfter - _position);
        buffer.AsSpan(offset, n).Fill(0x5A);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
