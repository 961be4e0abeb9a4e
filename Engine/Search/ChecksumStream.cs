using System.Security.Cryptography;

namespace PageHintVerify.Engine;

/// <summary>
/// A stream over another that keeps a SHA-256 of every byte read or written through it and their count, so a
/// checkpoint is checksummed in the one pass that writes or reads it. It buffers both ways and hashes in blocks (a
/// checkpoint is written and read 8 bytes at a time); reading, it hashes only the bytes handed out, so
/// <see cref="Checksum"/> covers exactly what was read so far. One direction per stream.
/// </summary>
sealed class ChecksumStream(Stream inner) : Stream
{
    /// <summary>Bytes of a checksum.</summary>
    public const int ChecksumBytes = 32;

    readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    readonly byte[] _buffer = new byte[1 << 16];
    // Reading: _buffer[_start.._end] is read ahead, not handed out, and _buffer[_hashed.._start] handed out, not hashed
    // yet. Writing: _buffer[.._end] is pending.
    int _hashed, _start, _end;

    /// <summary>Bytes read or written so far.</summary>
    public long Passed { get; private set; }

    /// <summary>The SHA-256 of the bytes so far (the hash goes on from there).</summary>
    public byte[] Checksum()
    {
        if (CanWrite) Flush();
        else HashHandedOut();
        return _sha.GetCurrentHash();
    }

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end)
        {
            HashHandedOut();
            _hashed = _start = 0;
            _end = inner.Read(_buffer);
        }
        int n = Math.Min(buffer.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        Passed += n;
        return n;
    }

    void HashHandedOut()
    {
        _sha.AppendData(_buffer.AsSpan(_hashed, _start - _hashed));
        _hashed = _start;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_end + buffer.Length > _buffer.Length) Flush();
        if (buffer.Length > _buffer.Length)
        {
            _sha.AppendData(buffer);
            inner.Write(buffer);
        }
        else
        {
            buffer.CopyTo(_buffer.AsSpan(_end));
            _end += buffer.Length;
        }
        Passed += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
        if (!CanWrite) return;
        _sha.AppendData(_buffer.AsSpan(0, _end));
        inner.Write(_buffer.AsSpan(0, _end));
        _end = 0;
        inner.Flush();
    }

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
