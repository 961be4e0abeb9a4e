using System.Text;

namespace PageHintVerify.Engine;

/// <summary>
/// The file of a single-process checkpoint, <see cref="Name"/>: the search's position at the start of a level. Layout,
/// little-endian: <see cref="Magic"/>, the format <see cref="Version"/> (int32), the header's length (int32), the
/// header, its SHA-256, the states (<see cref="CheckpointPart"/>), then the SHA-256 of every byte before it. A
/// distributed search's files (<see cref="Distributed.DistributedCheckpoint"/>) are framed the same way, with their own
/// magic and body. The header
/// holds the fingerprint (strings, length-prefixed UTF-8), the level, transitions so far, depth, peak bytes (int32,
/// int64, int32, int64) and the first sightings (a count, then property, level, position, ordinal as int32s). The
/// header has its own checksum so a checkpoint of another configuration is refused before its states are read.
/// It is written to a temporary file beside it, flushed to the disk, then renamed over the last one: a crash at any
/// point leaves the last complete checkpoint under its name.
/// </summary>
static class CheckpointFile
{
    public const string Name = "search.checkpoint";
    const string Magic = "PHVCKPT\n";
    const int Version = 1, MaxHeaderBytes = 1 << 20;
    const int BufferBytes = 1 << 20;

    public static void Write(string path, string fingerprint, SearchPosition at, bool oneWord) =>
        WriteFramed(path, Magic, Header(fingerprint, at), w => CheckpointPart.Write(w, at.Store, at.Frontier, oneWord));

    /// <summary>Reads the checkpoint at <paramref name="path"/> into <paramref name="store"/> (empty), refusing one that
    /// is missing, cut short, corrupt, of another format or of another <paramref name="fingerprint"/>.</summary>
    public static SearchPosition Read(string path, string fingerprint, StateStore store, bool oneWord, int properties)
    {
        string missing = File.Exists(Path.Combine(Path.GetDirectoryName(path) ?? "", Distributed.DistributedCheckpoint.ManifestName))
            ? $"no checkpoint of a single-process search here, but one of a distributed search ({Distributed.DistributedCheckpoint.ManifestName}): resume it distributed"
            : "no checkpoint here (a search writes one with a checkpoint directory)";
        return ReadFramed(path, Magic, missing, (header, r, left) =>
        {
            var at = new SearchPosition(store, [], []);
            ReadHeader(header, fingerprint, properties, at);
            at.Frontier = CheckpointPart.Read(r, store, oneWord, left);
            if (at.Frontier.Length == 0) throw new InvalidDataException("corrupt: its frontier is empty");
            return at;
        });
    }

    /// <summary>Writes a checkpoint file, as the class says, with <paramref name="magic"/> for its kind (a single
    /// search's, a distributed search's manifest or partition) and <paramref name="body"/> for what follows the header.</summary>
    internal static void WriteFramed(string path, string magic, byte[] header, Action<BinaryWriter> body)
    {
        string temporary = path + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, BufferBytes))
            {
                using (var sums = new ChecksumStream(file))
                using (var w = new BinaryWriter(sums, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(Encoding.ASCII.GetBytes(magic));
                    w.Write(Version);
                    w.Write(header.Length);
                    w.Write(header);
                    w.Write(System.Security.Cryptography.SHA256.HashData(header));
                    body(w);
                    w.Flush();
                    file.Write(sums.Checksum());
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"cannot write the checkpoint: {e.Message}");
        }
    }

    /// <summary>Reads a file <see cref="WriteFramed"/> wrote: <paramref name="read"/> gets the header (its checksum
    /// checked) and the reader at the body with the bytes the body may take. A missing file is refused with
    /// <paramref name="missing"/>; one that is cut short or corrupt, or of another kind or format, as such.</summary>
    internal static T ReadFramed<T>(string path, string magic, string missing, Func<byte[], BinaryReader, long, T> read)
    {
        FileStream file;
        try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointException(path, missing);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"cannot read the checkpoint: {e.Message}");
        }
        try
        {
            using (file)
            using (var sums = new ChecksumStream(file))
            using (var r = new BinaryReader(sums, Encoding.UTF8))
            {
                if (Encoding.ASCII.GetString(r.ReadBytes(magic.Length)) != magic)
                    throw new InvalidDataException(magic == Magic ? "not a checkpoint of pagehint's search" : "not this kind of file of a pagehint checkpoint");
                if (r.ReadInt32() is var version && version != Version)
                    throw new InvalidDataException($"a checkpoint of format {version}; this program reads format {Version}");
                int length = r.ReadInt32();
                if (length < 0 || length > MaxHeaderBytes) throw new InvalidDataException("corrupt: its header length is impossible");
                var header = r.ReadBytes(length);
                if (header.Length < length) throw new EndOfStreamException();
                if (!r.ReadBytes(ChecksumStream.ChecksumBytes).SequenceEqual(System.Security.Cryptography.SHA256.HashData(header)))
                    throw new InvalidDataException("corrupt: its header does not match its checksum");
                var result = read(header, r, file.Length - sums.Passed - ChecksumStream.ChecksumBytes);
                var sum = sums.Checksum();
                if (!r.ReadBytes(ChecksumStream.ChecksumBytes).SequenceEqual(sum))
                    throw new InvalidDataException("corrupt: its states do not match its checksum");
                if (sums.Passed != file.Length) throw new InvalidDataException("corrupt: bytes follow its checksum");
                return result;
            }
        }
        catch (EndOfStreamException) { throw new CheckpointException(path, "truncated: the file ends before the checkpoint does"); }
        catch (InvalidDataException e) { throw new CheckpointException(path, e.Message); }
        catch (IOException e) { throw new CheckpointException(path, $"cannot read the checkpoint: {e.Message}"); }
        catch (OutOfMemoryException) { throw new CheckpointException(path, "its states do not fit in the memory this search may take"); }
    }

    /// <summary>The header: the fingerprint, then <paramref name="at"/>'s counts and sightings.</summary>
    internal static byte[] Header(string fingerprint, SearchCounts at)
    {
        using var bytes = new MemoryStream();
        using (var w = new BinaryWriter(bytes, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(fingerprint);
            w.Write(at.Level);
            w.Write(at.Transitions);
            w.Write(at.Depth);
            w.Write(at.PeakBytes);
            w.Write(at.Sightings.Count);
            foreach (var (p, s) in at.Sightings.OrderBy(kv => kv.Key))
            {
                w.Write(p);
                w.Write(s.Level);
                w.Write(s.Position);
                w.Write(s.Ordinal);
            }
        }
        return bytes.ToArray();
    }

    /// <summary>The items (separated by commas and semicolons) that one fingerprint has and the other has not.</summary>
    static string Difference(string theirs, string ours)
    {
        // A JSON configuration's first and last items carry its braces, which name nothing.
        static string[] Items(string f) => [.. f.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(i => i.Trim('{', '}'))];
        static string Listed(IEnumerable<string> items) => items.Any() ? string.Join(", ", items) : "nothing else";
        string[] a = Items(theirs), b = Items(ours);
        return $"it has {Listed(a.Except(b))} where this search has {Listed(b.Except(a))}";
    }

    /// <summary>Reads a <see cref="Header"/> into <paramref name="at"/> (with no sightings), refusing another
    /// <paramref name="fingerprint"/> and impossible counts.</summary>
    internal static void ReadHeader(byte[] header, string fingerprint, int properties, SearchCounts at)
    {
        using var r = new BinaryReader(new MemoryStream(header), Encoding.UTF8);
        string theirs = r.ReadString();
        if (theirs != fingerprint)
            throw new InvalidDataException($"a checkpoint of another configuration or program version: {Difference(theirs, fingerprint)}");
        at.Level = r.ReadInt32();
        at.Transitions = r.ReadInt64();
        at.Depth = r.ReadInt32();
        at.PeakBytes = r.ReadInt64();
        int count = r.ReadInt32();
        if (at.Level < 1 || at.Transitions < 0 || at.Depth != at.Level || at.PeakBytes < 0 || count < 0 || count > properties)
            throw new InvalidDataException("corrupt: its level, counts or sightings are impossible");
        for (int i = 0; i < count; i++)
        {
            int p = r.ReadInt32();
            var s = new Sighting(r.ReadInt32(), r.ReadInt32(), r.ReadInt32());
            if (p < 0 || p >= properties || s.Level < -1 || s.Level >= at.Level || !at.Sightings.TryAdd(p, s))
                throw new InvalidDataException("corrupt: its level, counts or sightings are impossible");
        }
        if (r.BaseStream.Position != header.Length) throw new InvalidDataException("corrupt: its header is longer than its fields");
    }
}
