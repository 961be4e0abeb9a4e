using System.Globalization;
using System.Text;

namespace PageHintVerify.Engine.Distributed;

/// <summary>
/// The checkpoint of a distributed search at the start of a level L: one file per partition,
/// <c>partition-I-of-N.level-L.checkpoint</c>, which the partition writes where it runs (its store, its part of level L
/// and their global indices), and the coordinator's manifest, <see cref="ManifestName"/> (the fingerprint, the counts
/// and sightings, the partition count). Each is framed and written as <see cref="CheckpointFile"/> is (a temporary
/// file, flushed, renamed). The manifest is written only once every partition's file of L is, and a partition removes
/// its file of a level only when it writes one of a later level while the manifest names neither: so at any moment the
/// manifest and the files of the level it names form one complete checkpoint.
/// </summary>
public static class DistributedCheckpoint
{
    /// <summary>The manifest's file name in the checkpoint directory.</summary>
    public const string ManifestName = "distributed.checkpoint";
    const string ManifestMagic = "PHVDIST\n", PartMagic = "PHVPART\n";

    /// <summary>The level the manifest in <paramref name="directory"/> names, or null when there is none that can be
    /// read; for messages only (a resume checks everything).</summary>
    public static int? Level(string directory)
    {
        try
        {
            return CheckpointFile.ReadFramed(Path.Combine(directory, ManifestName), ManifestMagic, "", (header, r, _) =>
            {
                ReadCounts(r);
                using var h = new BinaryReader(new MemoryStream(header), Encoding.UTF8);
                h.ReadString();
                return (int?)h.ReadInt32();
            });
        }
        catch (CheckpointException) { return null; }
    }

    /// <summary>Partition <paramref name="index"/>'s file of <paramref name="level"/>.</summary>
    internal static string PartFile(string directory, int index, int partitions, int level) =>
        Path.Combine(directory, $"partition-{index}-of-{partitions}.level-{level}.checkpoint");

    /// <summary>The coordinator's counts at the start of a level, with what a resume checks the partitions' files by.</summary>
    internal sealed class Manifest() : SearchCounts([])
    {
        public int Partitions;
        public long States, Frontier;
    }

    internal static void WriteManifest(string path, string fingerprint, Manifest m) =>
        CheckpointFile.WriteFramed(path, ManifestMagic, CheckpointFile.Header(fingerprint, m), w =>
        {
            w.Write(m.Partitions);
            w.Write(m.States);
            w.Write(m.Frontier);
        });

    static (int Partitions, long States, long Frontier) ReadCounts(BinaryReader r) => (r.ReadInt32(), r.ReadInt64(), r.ReadInt64());

    /// <summary>Reads the manifest of <paramref name="checkpoints"/>, refusing one that is missing, corrupt, of another
    /// fingerprint, or of another number of partitions than <paramref name="partitions"/> (when given).</summary>
    internal static Manifest ReadManifest(CheckpointOptions checkpoints, string fingerprint, int properties, int? partitions)
    {
        string missing = File.Exists(checkpoints.File)
            ? $"no checkpoint of a distributed search here, but one of a single-process search ({CheckpointFile.Name}): resume it in one process"
            : "no checkpoint here (a search writes one with a checkpoint directory)";
        var m = CheckpointFile.ReadFramed(checkpoints.Manifest, ManifestMagic, missing, (header, r, _) =>
        {
            var m = new Manifest();
            CheckpointFile.ReadHeader(header, fingerprint, properties, m);
            (m.Partitions, m.States, m.Frontier) = ReadCounts(r);
            if (m.Partitions < 1 || m.States < 1 || m.Frontier < 1 || m.Frontier > m.States)
                throw new InvalidDataException("corrupt: its partition or state counts are impossible");
            return m;
        });
        if (partitions is { } n && n != m.Partitions)
            throw new CheckpointException(checkpoints.Manifest, $"a checkpoint of a search on {m.Partitions} partitions, not {n}: resume it on as many");
        return m;
    }

    /// <summary>Writes a partition's file of <paramref name="level"/>, then removes its files of every other level but
    /// <paramref name="keep"/> (the manifest's).</summary>
    internal static void WritePart(string directory, string fingerprint, int level, int? keep, int index, int partitions,
        StateStore store, PackedState[] frontier, long[] indices, bool oneWord)
    {
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(directory, $"cannot write the checkpoint: {e.Message}");
        }
        CheckpointFile.WriteFramed(PartFile(directory, index, partitions, level), PartMagic, PartHeader(fingerprint, level, index, partitions), w =>
        {
            CheckpointPart.Write(w, store, frontier, oneWord);
            foreach (long i in indices) w.Write(i);
        });
        string prefix = $"partition-{index}-of-{partitions}.level-";
        foreach (var file in Directory.EnumerateFiles(directory, prefix + "*.checkpoint"))
        {
            string name = Path.GetFileName(file);
            if (int.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - ".checkpoint".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int l)
                && l != level && l != keep)
                try { File.Delete(file); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>Reads a partition's file of <paramref name="level"/> into <paramref name="store"/> (empty): its part of
    /// the level and their global indices.</summary>
    internal static (PackedState[] Frontier, long[] Indices) ReadPart(string directory, string fingerprint, int level, int index, int partitions,
        StateStore store, bool oneWord)
    {
        var expected = PartHeader(fingerprint, level, index, partitions);
        return CheckpointFile.ReadFramed(PartFile(directory, index, partitions, level), PartMagic,
            $"missing: the checkpoint of level {level} needs every partition's file of that level where the partition runs (each is written there)",
            (header, r, left) =>
            {
                if (!header.SequenceEqual(expected)) throw new InvalidDataException("a partition's file of another search, level or partition than its name and the manifest say");
                var frontier = CheckpointPart.Read(r, store, oneWord, left);
                var indices = new long[frontier.Length];
                for (int i = 0; i < indices.Length; i++)
                    if ((indices[i] = r.ReadInt64()) < 0 || i > 0 && indices[i] <= indices[i - 1])
                        throw new InvalidDataException("corrupt: its global indices are not ascending");
                return (frontier, indices);
            });
    }

    static byte[] PartHeader(string fingerprint, int level, int index, int partitions)
    {
        using var bytes = new MemoryStream();
        using (var w = new BinaryWriter(bytes, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(fingerprint);
            w.Write(level);
            w.Write(index);
            w.Write(partitions);
        }
        return bytes.ToArray();
    }
}
