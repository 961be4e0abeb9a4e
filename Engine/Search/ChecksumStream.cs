using System.Security.Cryptography;

namespace PageHintVerify.Engine;

/// <summary>A stream that passes reads or writes through to another and keeps a SHA-256 of every byte that passed and
/// their count, so a checkpoint is checksummed in the one pass that writes or reads it.</summary>
sealed class ChecksumStream(Stream inner) : Stream
{
    readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Bytes of a checksum.</summary>
    public const int ChecksumBytes = 32;

    /// <summary>Bytes that passed so far.</summary>
    public long Passed { get; private set; }

    /// <summary>The SHA-256 of the bytes so far (the hash goes on from there).</summary>
    public byte[] Checksum() => _sha.GetCurrentHash();

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _sha.AppendData(buffer[..n]);
        Passed += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _sha.AppendData(buffer);
        Passed += buffer.Length;
        inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() => inner.Flush();
    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Passed; set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sha.Dispose();
        base.Dispose(disposing);
    }
}
