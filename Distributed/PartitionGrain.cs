using Orleans.Concurrency;
using PageHintVerify.Engine;
using PageHintVerify.Engine.Distributed;

namespace PageHintVerify.Distributed;

/// <summary>A batch of candidates on the wire: states as word pairs (A, B), each with its tag.</summary>
[GenerateSerializer, Immutable]
public sealed record WireBatch([property: Id(0)] ulong[] Words, [property: Id(1)] long[] Tags);

/// <summary><see cref="LevelExpansion"/> on the wire, with the peak resident memory of the silo's process.</summary>
[GenerateSerializer, Immutable]
public sealed record WireExpansion([property: Id(0)] long Transitions, [property: Id(1)] long[] Sightings, [property: Id(2)] long PeakBytes,
    [property: Id(3)] long Sent, [property: Id(4)] long SiloPeakBytes);

/// <summary>What <see cref="IPartitionWorker.Load"/> read (zeros for a save), or the checkpoint problem met (a file and a message,
/// which cross the wire as strings, not as an exception).</summary>
[GenerateSerializer, Immutable]
public sealed record WireCheckpoint([property: Id(0)] long States, [property: Id(1)] long Frontier, [property: Id(2)] long StoreBytes,
    [property: Id(3)] string? ProblemFile, [property: Id(4)] string? Problem)
{
    /// <summary>Throws the checkpoint problem, if any.</summary>
    public WireCheckpoint Checked() => Problem is null ? this : throw new CheckpointException(ProblemFile!, Problem);

    /// <summary>The problem of <paramref name="e"/>.</summary>
    public static WireCheckpoint Of(CheckpointException e) => new(0, 0, 0, e.File, e.Message);
}

/// <summary>A partition's part of a kept level on the wire: states as word pairs, with their global indices.</summary>
[GenerateSerializer, Immutable]
public sealed record WireLevel([property: Id(0)] ulong[] Words, [property: Id(1)] long[] Indices);

/// <summary>A state found in a kept level, with its global index; index -1 when none.</summary>
[GenerateSerializer, Immutable]
public sealed record WireFound([property: Id(0)] long Index, [property: Id(1)] ulong A, [property: Id(2)] ulong B)
{
    public static readonly WireFound None = new(-1, 0, 0);
}

/// <summary>
/// One partition of a search, as a grain keyed <c>search/index</c> (<see cref="PartitionPlacement"/> puts partition i
/// on silo i mod silos). Every call but <see cref="Receive"/> and <see cref="NewTags"/> comes from the coordinator, one
/// at a time; those two come from the other partitions while this one expands or numbers, so they interleave (else
/// two partitions sending to each other would wait for each other for ever).
/// </summary>
public interface IPartitionGrain : IGrainWithStringKey
{
    /// <summary>Builds the partition from the host's factory; returns the silo it lives on.</summary>
    Task<string> Start(string spec, int partitions);
    Task Reset(bool keepLevels);
    Task Seed(ulong a, ulong b);
    Task<WireExpansion> Expand(int level, int seen);
    [AlwaysInterleave] Task Receive(WireBatch batch);
    Task<(long Added, long StoreBytes)> Merge();
    /// <summary>Up to <paramref name="count"/> of the partition's new tags from <paramref name="from"/> on: a level's
    /// tags travel in pages of <see cref="PartitionGrain.TagPage"/>, under Orleans' message size limit.</summary>
    [AlwaysInterleave] Task<long[]> NewTags(int from, int count);
    Task Number();
    /// <summary><see cref="IPartitionWorker.Save"/>; a checkpoint problem comes back as <see cref="WireCheckpoint.Problem"/>.</summary>
    Task<WireCheckpoint> Save(string directory, string fingerprint, int level, int? keep);
    /// <summary><see cref="IPartitionWorker.Load"/>; a checkpoint problem comes back as <see cref="WireCheckpoint.Problem"/>.</summary>
    Task<WireCheckpoint> Load(string directory, string fingerprint, int level);
    Task<WireLevel> Level(int level);
    Task<WireFound> StateAt(int level, long index);
    Task<WireFound> FirstLeadingTo(int level, ulong a, ulong b);
}

/// <summary>Builds partition <c>index</c> of <c>partitions</c> of the search a spec string describes; the host (the
/// Checker) registers it with <see cref="Silos.AddPartitions"/>.</summary>
public delegate IPartitionWorker PartitionWorkerFactory(string spec, int index, int partitions);

[PartitionPlacement]
sealed class PartitionGrain(PartitionWorkerFactory factory, ILocalSiloDetails silo) : Grain, IPartitionGrain
{
    /// <summary>Tags per message when partitions number a level: 8 MiB, well under Orleans' 100 MiB message limit.</summary>
    public const int TagPage = 1 << 20;

    IPartitionWorker? _worker;
    IPartitionGrain[] _peers = [];
    int _index;

    IPartitionWorker Worker => _worker ?? throw new InvalidOperationException($"partition {this.GetPrimaryKeyString()} was not started (its silo restarted?)");

    public Task<string> Start(string spec, int partitions)
    {
        string key = this.GetPrimaryKeyString();
        string search = key[..key.LastIndexOf('/')];
        _index = PartitionPlacement.IndexOf(key);
        _peers = [.. Enumerable.Range(0, partitions).Select(q => GrainFactory.GetGrain<IPartitionGrain>($"{search}/{q}"))];
        _worker = factory(spec, _index, partitions);
        return Task.FromResult(silo.SiloAddress.ToString());
    }

    public Task Reset(bool keepLevels) { Worker.Reset(keepLevels); return Task.CompletedTask; }
    public Task Seed(ulong a, ulong b) { Worker.Seed(new PackedState(a, b)); return Task.CompletedTask; }

    public async Task<WireExpansion> Expand(int level, int seen)
    {
        var e = await Worker.ExpandAsync(level, seen, (q, batch) => _peers[q].Receive(new WireBatch(Wire.Words(batch.States), batch.Tags)));
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new WireExpansion(e.Transitions, e.Sightings, e.PeakBytes, e.Sent, self.PeakWorkingSet64);
    }

    public Task Receive(WireBatch batch)
    {
        Worker.Receive(new CandidateBatch(Wire.States(batch.Words), batch.Tags));
        return Task.CompletedTask;
    }

    public Task<(long Added, long StoreBytes)> Merge() => Task.FromResult(Worker.Merge());
    public Task<long[]> NewTags(int from, int count) => Task.FromResult(Numbering.Page(Worker.NewTags, from, count));

    public Task Number() => Numbering.Run(Worker, _peers.Where((_, q) => q != _index).Select(p => (Func<int, int, Task<long[]>>)p.NewTags), TagPage);

    public Task<WireCheckpoint> Save(string directory, string fingerprint, int level, int? keep)
    {
        try { Worker.Save(directory, fingerprint, level, keep); return Task.FromResult(new WireCheckpoint(0, 0, 0, null, null)); }
        catch (CheckpointException e) { return Task.FromResult(WireCheckpoint.Of(e)); }
    }

    public Task<WireCheckpoint> Load(string directory, string fingerprint, int level)
    {
        try { var (states, frontier, bytes) = Worker.Load(directory, fingerprint, level); return Task.FromResult(new WireCheckpoint(states, frontier, bytes, null, null)); }
        catch (CheckpointException e) { return Task.FromResult(WireCheckpoint.Of(e)); }
    }

    public Task<WireLevel> Level(int level)
    {
        var (states, indices) = Worker.Level(level);
        return Task.FromResult(new WireLevel(Wire.Words(states), indices));
    }

    public Task<WireFound> StateAt(int level, long index) =>
        Task.FromResult(Worker.StateAt(level, index) is { } s ? new WireFound(index, s.A, s.B) : WireFound.None);

    public Task<WireFound> FirstLeadingTo(int level, ulong a, ulong b) =>
        Task.FromResult(Worker.FirstLeadingTo(level, new PackedState(a, b)) is { } f ? new WireFound(f.Index, f.State.A, f.State.B) : WireFound.None);
}

/// <summary>States as word pairs, for the wire: arrays of primitives serialize fast.</summary>
static class Wire
{
    public static ulong[] Words(PackedState[] states)
    {
        var words = new ulong[states.Length * 2];
        for (int i = 0; i < states.Length; i++) (words[2 * i], words[2 * i + 1]) = (states[i].A, states[i].B);
        return words;
    }

    public static PackedState[] States(ulong[] words)
    {
        var states = new PackedState[words.Length / 2];
        for (int i = 0; i < states.Length; i++) states[i] = new PackedState(words[2 * i], words[2 * i + 1]);
        return states;
    }
}
