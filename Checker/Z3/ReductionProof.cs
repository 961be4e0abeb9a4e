using Microsoft.Z3;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Checker.Exploration.Granularities;
using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Checker.Z3;

/// <summary>
/// What a split granularity does with a decision: the algorithm that decides from a loaded word, whether its commit
/// compares the word (a compare-and-swap) or stores over whatever is there (a plain store), and which operations it splits
/// into a load and a commit (the others are one atomic step and refine the reference trivially).
/// </summary>
public sealed record ReductionSubject(Granularity Granularity, IPageAlgorithm Algorithm, bool ComparesTheWord, Func<PageOp, bool> Splits)
{
    /// <summary>The <c>cas</c> granularity over <paramref name="algorithm"/> (the table's <see cref="CasAlgorithm"/> unless given).</summary>
    public static ReductionSubject Cas(IPageAlgorithm? algorithm = null) =>
        new(Granularity.Cas, algorithm ?? CasAlgorithm.Instance, ComparesTheWord: true, _ => true);

    /// <summary>The <c>naive</c> granularity: the load-then-store of <c>NaiveSteps</c>.</summary>
    public static ReductionSubject Naive { get; } =
        new(Granularity.Naive, new NaiveDecisions(), ComparesTheWord: false, op => NaiveSteps.IsSplit(op.Op));

    public string Name => Configuration.NameOf(Granularity);
}

/// <summary>
/// The naive granularity's decision: what <c>NaiveSteps.Commits</c> stores, the page machine's <c>Begin</c> on the loaded
/// word, never pinned and never waiting (naive has no pin).
/// </summary>
sealed class NaiveDecisions : IPageAlgorithm
{
    public void Decisions(Protocol protocol, PageWord loaded, PageOp op, List<CasDecision> into)
    {
        var outcomes = new List<(PageState Next, OpResult Result)>(1);
        PageMachine.Outcomes(protocol, loaded.Over(PageState.Initial), op, outcomes, begin: true);
        foreach (var (next, result) in outcomes)
            into.Add(new CasDecision(false, PageWord.Of(next), result.Outcome, CasAlgorithm.OwesDataStore(op, result.Outcome)));
    }
}

/// <summary>One obligation of the reduction: its id, a short name and what exactly it states.</summary>
public sealed record ReductionObligation(string Id, string Name, string Statement);

/// <summary>
/// A counterexample to an obligation: the word the actor loaded, the page's word when it committed (or the page, for an
/// obligation about cells), the operation, what the algorithm decided and what the atomic reference step does instead.
/// </summary>
public sealed record ReductionWitness(PageWord Loaded, PageWord Current, PageOp Op, string Decided, string Atomic, PageState? Page = null);

/// <summary>An obligation and its verdict: proved by Z3 (no witness), or a witness; <see cref="ByConstruction"/> when it
/// follows from the types of the code rather than a Z3 check.</summary>
public sealed record ReductionVerdict(ReductionObligation Obligation, ReductionWitness? Witness, bool ByConstruction = false)
{
    public bool Proved => Witness is null;
}

/// <summary>
/// The reduction argument (Lipton's movers, as CIVL uses them) that every execution of a split granularity, with any
/// number of pages, vCPUs and host threads, is equivalent to one of atomic reference steps; see docs/reduction.md.
/// A load, a failed swap and a wait change nothing shared (both movers); a successful swap is the operation's commit
/// point and does what the atomic step does; the pin makes everything after a swap invisible to others until the
/// release; so every operation can be moved to its commit point, and pages are independent.
/// <para>
/// The obligations are about the code that runs: the algorithm's own <see cref="IPageAlgorithm.Decisions"/> and the
/// generic page step <see cref="PageMachine{TPage, TCell}"/> (over <see cref="SymbolicPage"/> for the cells). A decision is
/// a function of a 6-bit abstract word (g, h, change bit, pin) and an operation, so it is tabulated over its whole finite
/// domain into Z3 terms: the table is the function, not a copy of its logic. Z3 then relates the tabulated decisions to the
/// tabulated atomic step, and the cell contents stay symbolic.
/// </para>
/// </summary>
public static class ReductionProof
{
    public static readonly ReductionObligation Refines = new("R1", "a successful swap refines the atomic step",
        "a commit from a loaded word w, onto the page's word c (c = w: the swap compares the word and its version), "
        + "installs the word the atomic reference step installs from c (pin aside) and returns its outcome");
    public static readonly ReductionObligation NothingShared = new("R2", "failed swaps, loads and waits change nothing shared",
        "a decision that returns at its load installs nothing: the atomic step from that word leaves the word as it is, "
        + "with the same outcome, and the cells' content and disk unchanged (only the ghost want may move); a wait installs nothing; "
        + "a failed swap writes nothing (CompareExchange)");
    public static readonly ReductionObligation Pin = new("R3", "the pin makes a write's two halves one step",
        "every decision on a pinned word, for every operation of every actor, is to wait; a swap that owes a data store "
        + "installs a pinned word; and swap-with-pin, then store-data and release, equals the atomic write on every cell");
    public static readonly ReductionObligation OptimisticRead = new("R4", "the optimistic read returns what the atomic read returns",
        "a read decided at its load (no swap), validated by an unchanged word, returns the cell's content of the page at its "
        + "first load, which is the atomic read's value from that page");
    public static readonly ReductionObligation Pages = new("R5", "operations on different pages commute, and each invariant is per page",
        "a decision reads one page's word, a step one page's word and cells, and every invariant and discipline formula "
        + "names the fields of one page: steps on different pages touch disjoint state, so they commute");

    /// <summary>Every obligation, in the order they are printed.</summary>
    public static IReadOnlyList<ReductionObligation> All { get; } = [Refines, NothingShared, Pin, OptimisticRead, Pages];

    /// <summary>What the optimistic read assumes of the version (<see cref="PageWord"/>'s remarks).</summary>
    public static string VersionAssumption =>
        $"the version does not wrap within a read: fewer than 2^{64 - 8} commits to one page while a reader stalls "
        + "between its two loads (PageWord.VersionBound)";

    /// <summary>Every abstract word: each (g,h), change bit and pin.</summary>
    static IEnumerable<PageWord> Words(bool pinned) =>
        from gh in GuestHostState.All
        from dirty in new[] { false, true }
        select new PageWord((ulong)((int)gh.G | (int)gh.H << 2 | (dirty ? 16 : 0))).WithPin(pinned);

    /// <summary>One row of the tabulated decision function.</summary>
    sealed record Row(PageWord Loaded, int Op, int K, CasDecision Decision);

    static List<Row> Tabulate(Protocol protocol, IPageAlgorithm algorithm)
    {
        var rows = new List<Row>();
        var decisions = new List<CasDecision>();
        foreach (var w in Words(false).Concat(Words(true)))
            for (int o = 0; o < PageOp.All.Length; o++)
            {
                decisions.Clear();
                algorithm.Decisions(protocol, w, PageOp.All[o], decisions);
                for (int k = 0; k < decisions.Count; k++) rows.Add(new Row(w, o, k, decisions[k]));
            }
        return rows;
    }

    /// <summary>The atomic reference step's word and outcome from an unpinned word (its cells do not decide the word).</summary>
    static List<(PageWord Word, Outcome Outcome)> Atomic(Protocol protocol, PageWord current, PageOp op)
    {
        var outcomes = new List<(PageState Next, OpResult Result)>();
        PageMachine.Outcomes(protocol, current.Over(PageState.Initial), op, outcomes);
        return [.. outcomes.Select(o => (PageWord.Of(o.Next), o.Result.Outcome))];
    }

    static bool IsSwap(Row r) => !r.Decision.Wait && r.Decision.Desired.Abstract != r.Loaded.Abstract;
    /// <summary>A decision that commits nothing: neither a swap nor (at naive, which may store data without moving the word) a data store.</summary>
    static bool ReturnsAtLoad(Row r) => !r.Loaded.Pinned && !r.Decision.Wait && !IsSwap(r) && !CasAlgorithm.OwesDataStore(PageOp.All[r.Op], r.Decision.Outcome);
    static bool IsOptimisticRead(Row r) => ReturnsAtLoad(r) && PageOp.All[r.Op].Op == Operation.Read && r.Decision.Outcome == Outcome.Ok;

    /// <summary>Discharges every obligation for <paramref name="subject"/> under <paramref name="protocol"/>.</summary>
    public static IReadOnlyList<ReductionVerdict> Run(Z3Session session, Protocol protocol, ReductionSubject subject)
    {
        var rows = Tabulate(protocol, subject.Algorithm);
        return session.Run(context =>
        {
            var words = new WordChecks(context, protocol, rows);
            var cells = new CellChecks(context, protocol);
            var swaps = rows.Where(r => !r.Loaded.Pinned && IsSwap(r) && subject.Splits(PageOp.All[r.Op])).ToList();
            var returning = rows.Where(r => ReturnsAtLoad(r) && !IsOptimisticRead(r) && subject.Splits(PageOp.All[r.Op])).ToList();
            var owingData = swaps.Where(r => CasAlgorithm.OwesDataStore(PageOp.All[r.Op], r.Decision.Outcome)).ToList();
            return new List<ReductionVerdict>
            {
                new(Refines, words.RefinesAtomic(swaps, subject.ComparesTheWord)),
                new(NothingShared, words.RefinesAtomic(returning, comparesTheWord: true)
                    ?? words.Holds(rows.Where(r => r.Decision.Wait).ToList(), t => context.MkEq(t.Desired, t.Loaded), "installs a word")
                    ?? cells.KeepsMemAndDisk(returning)),
                new(Pin, words.Holds(owingData, t => t.Pinned, "owes a data store, so must pin the word")
                    ?? words.Holds(rows.Where(r => r.Loaded.Pinned).ToList(), t => context.MkAnd(t.Waits, context.MkEq(t.Desired, t.Loaded)), "must wait: the word is pinned")
                    ?? cells.WriteHalvesAreTheWrite(owingData)),
                new(OptimisticRead, cells.ReadsTheAtomicValue(rows.Where(IsOptimisticRead).ToList())),
                // By construction: a decision takes one word, PageMachine one page, and the Formula AST of every invariant and
                // discipline has no page index (Var names the fields of the one page a step is on).
                new(Pages, null, ByConstruction: true),
            };
        });
    }

    /// <summary>Word-level checks: the decision table and the atomic step's word, as Z3 terms over the loaded word, the
    /// current word, the operation and the decision's index.</summary>
    sealed class WordChecks
    {
        readonly Context _z3;
        readonly Protocol _protocol;
        readonly List<Row> _rows;
        readonly IntExpr _loaded, _current, _op, _k;

        public WordChecks(Context z3, Protocol protocol, List<Row> rows)
        {
            (_z3, _protocol, _rows) = (z3, protocol, rows);
            (_loaded, _current, _op, _k) = (z3.MkIntConst("loaded"), z3.MkIntConst("current"), z3.MkIntConst("op"), z3.MkIntConst("k"));
        }

        /// <summary>The decision at (loaded, op, k) as terms: each a nested if over the table's rows.</summary>
        /// <param name="Installed">The word the decision installs, pin aside.</param>
        /// <param name="Desired">The decided word with its pin.</param>
        public sealed record Terms(IntExpr Loaded, IntExpr Installed, IntExpr Desired, BoolExpr Pinned, BoolExpr Waits, IntExpr Outcome);

        BoolExpr At(Row r) => _z3.MkAnd(_z3.MkEq(_loaded, _z3.MkInt(r.Loaded.Bits)), _z3.MkEq(_op, _z3.MkInt(r.Op)), _z3.MkEq(_k, _z3.MkInt(r.K)));

        IntExpr Table(Func<Row, long> value) =>
            _rows.Aggregate((IntExpr)_z3.MkInt(-1), (rest, r) => (IntExpr)_z3.MkITE(At(r), _z3.MkInt(value(r)), rest));

        Terms Decision() => new(_loaded,
            Table(r => (long)r.Decision.Desired.Abstract.WithPin(false).Bits),
            Table(r => (long)r.Decision.Desired.Abstract.Bits),
            _z3.MkEq(Table(r => r.Decision.Desired.Pinned ? 1 : 0), _z3.MkInt(1)),
            _z3.MkEq(Table(r => r.Decision.Wait ? 1 : 0), _z3.MkInt(1)),
            Table(r => (long)r.Decision.Outcome));

        BoolExpr OneOf(IEnumerable<Row> rows) => _z3.MkOr([.. rows.Select(At)]);

        /// <summary>A witness to "some row of <paramref name="rows"/> breaks <paramref name="mustHold"/>", or null.</summary>
        public ReductionWitness? Holds(List<Row> rows, Func<Terms, BoolExpr> mustHold, string breaks)
        {
            if (rows.Count == 0) return null;
            var solver = _z3.MkSolver();
            solver.Assert(OneOf(rows), _z3.MkNot(mustHold(Decision())));
            return Witness(solver, rows, (r, _) => (Describe(r), breaks), involvesCurrent: false);
        }

        /// <summary>
        /// A witness to "some row of <paramref name="rows"/>, committed onto the page's current word (equal to the loaded one
        /// when the commit compares it), installs a word or returns an outcome no atomic step from the current word does".
        /// </summary>
        public ReductionWitness? RefinesAtomic(List<Row> rows, bool comparesTheWord)
        {
            if (rows.Count == 0) return null;
            var d = Decision();
            var steps = new List<BoolExpr>();
            foreach (var c in Words(false))
                for (int o = 0; o < PageOp.All.Length; o++)
                {
                    var atomic = Atomic(_protocol, c, PageOp.All[o]).Select(a =>
                        _z3.MkAnd(_z3.MkEq(d.Installed, _z3.MkInt(a.Word.Bits)), _z3.MkEq(d.Outcome, _z3.MkInt((int)a.Outcome))));
                    steps.Add(_z3.MkImplies(_z3.MkAnd(_z3.MkEq(_current, _z3.MkInt(c.Bits)), _z3.MkEq(_op, _z3.MkInt(o))), _z3.MkOr([.. atomic])));
                }
            var solver = _z3.MkSolver();
            solver.Assert(OneOf(rows), _z3.MkOr([.. Words(false).Select(c => _z3.MkEq(_current, _z3.MkInt(c.Bits)))]));
            if (comparesTheWord) solver.Assert(_z3.MkEq(_current, _loaded));
            solver.Assert(_z3.MkNot(_z3.MkAnd([.. steps])));
            return Witness(solver, rows, (r, current) => (Describe(r),
                string.Join(" or ", Atomic(_protocol, current, PageOp.All[r.Op]).Select(a => $"installs {a.Word.Abstract}, {a.Outcome}"))), involvesCurrent: true);
        }

        ReductionWitness? Witness(Solver solver, List<Row> rows, Func<Row, PageWord, (string Decided, string Atomic)> describe, bool involvesCurrent)
        {
            var status = solver.Check();
            if (status == Status.UNSATISFIABLE) return null;
            if (status != Status.SATISFIABLE) throw new InvalidOperationException($"Z3 could not decide a reduction obligation: {solver.ReasonUnknown}");
            long Eval(IntExpr x) => ((IntNum)solver.Model.Eval(x, completion: true)).Int64;
            var loaded = new PageWord((ulong)Eval(_loaded));
            var row = rows.Single(r => r.Loaded == loaded && r.Op == Eval(_op) && r.K == Eval(_k));
            var current = involvesCurrent ? new PageWord((ulong)Eval(_current)) : loaded;
            var (decided, atomic) = describe(row, current);
            return new ReductionWitness(loaded, current, PageOp.All[row.Op], decided, atomic);
        }

        static string Describe(Row r) => r.Decision.Wait ? "waits"
            : $"installs {r.Decision.Desired.Abstract}, {r.Decision.Outcome}" + (r.Decision.Desired == r.Loaded.Abstract ? " (no swap)" : "");
    }

    /// <summary>
    /// Cell-level checks over <see cref="SymbolicPage"/>: the page before has symbolic cells (the proof's pre fields), split
    /// into cases by its word and the operation, as <see cref="StepRelation"/> is.
    /// </summary>
    sealed class CellChecks(Context z3, Protocol protocol)
    {
        readonly Z3Encoding _encoding = new(z3);

        /// <summary>The atomic outcomes (over symbolic cells) that match a row's decision: its word and outcome.</summary>
        List<SymbolicStep> Matching(Row r, bool begin)
        {
            var before = SymbolicPage.Before(r.Loaded.GH, r.Loaded.Dirty);
            var op = PageOp.All[r.Op];
            var choices = Choices.Enumerating();
            var matching = new List<SymbolicStep>();
            do
            {
                var (next, result, value) = begin
                    ? PageMachine<SymbolicPage, Term>.Begin(protocol, before, op, ref choices)
                    : PageMachine<SymbolicPage, Term>.Apply(protocol, before, op, ref choices);
                if (next.GH == r.Decision.Desired.GH && next.Dirty == r.Decision.Desired.Dirty && result.Outcome == r.Decision.Outcome)
                    matching.Add(new SymbolicStep(next, result.Outcome, value));
            } while (choices.Advance());
            return matching;
        }

        static Formula Cells(Func<int, Formula> cell) => new AndFormula([.. Enumerable.Range(0, PageState.Cells).Select(cell)]);

        /// <summary>The content readers see (a z page reads zero, whatever mem holds) and the disk are those before the step.</summary>
        public ReductionWitness? KeepsMemAndDisk(List<Row> rows) =>
            Check(rows, r => Matching(r, begin: false).Select(s => Cells(c =>
                (PageMachine<SymbolicPage, Term>.Content(s.Next, c) == PageMachine<SymbolicPage, Term>.Content(Before(r), c))
                & (s.Next.Disk(c) == Term.Of(Var.Disk, c, Moment.Pre)))),
                "the atomic step changes the content or the disk");

        static SymbolicPage Before(Row r) => SymbolicPage.Before(r.Loaded.GH, r.Loaded.Dirty);

        /// <summary>Swap (the word and <c>Begin</c>'s cells), then the holder's data store, then the release: the atomic write.</summary>
        public ReductionWitness? WriteHalvesAreTheWrite(List<Row> rows) =>
            Check(rows, r => Matching(r, begin: true).Select(swapped =>
            {
                var stored = PageMachine<SymbolicPage, Term>.StoreData(swapped.Next, PageOp.All[r.Op].Cell);
                var choices = Choices.Enumerating();
                var atomic = PageMachine<SymbolicPage, Term>.Apply(protocol, SymbolicPage.Before(r.Loaded.GH, r.Loaded.Dirty), PageOp.All[r.Op], ref choices).Next;
                return stored.GH == atomic.GH && stored.Dirty == atomic.Dirty && r.Decision.Desired.Pinned
                    ? Cells(c => (stored.Mem(c) == atomic.Mem(c)) & (stored.Disk(c) == atomic.Disk(c)) & (stored.Want(c) == atomic.Want(c)))
                    : new OrFormula([]);
            }), "swap, store-data and release differ from the atomic write");

        /// <summary>The value an optimistic read sees (the cell's content at its first load) is the atomic read's value.</summary>
        public ReductionWitness? ReadsTheAtomicValue(List<Row> rows) =>
            Check(rows, r => Matching(r, begin: false).Select(s =>
                PageMachine<SymbolicPage, Term>.Content(SymbolicPage.Before(r.Loaded.GH, r.Loaded.Dirty), PageOp.All[r.Op].Cell) == s.Value),
                "reads another value than the atomic read");

        /// <summary>A witness to "for some row, no matching atomic outcome satisfies its formula", over every cell content.</summary>
        ReductionWitness? Check(List<Row> rows, Func<Row, IEnumerable<Formula>> holds, string breaks)
        {
            if (rows.Count == 0) return null;
            var solver = z3.MkSolver();
            solver.Assert(_encoding.Domain());
            var cases = rows.Select(r => (Row: r, Case: StepRelation.Is(r.Loaded.GH, r.Loaded.Dirty, PageOp.All[r.Op]),
                Holds: (Formula)new OrFormula([.. holds(r), new OrFormula([])]))).ToList();
            solver.Assert(z3.MkOr([.. cases.Select(c => z3.MkAnd(_encoding.Translate(c.Case), z3.MkNot(_encoding.Translate(c.Holds))))]));
            var status = solver.Check();
            if (status == Status.UNSATISFIABLE) return null;
            if (status != Status.SATISFIABLE) throw new InvalidOperationException($"Z3 could not decide a reduction obligation: {solver.ReasonUnknown}");
            var facts = _encoding.Read(solver.Model);
            var before = new PageState((uint)(facts.Bits >> PreShift) & PageState.Mask);
            var op = new PageOp((Operation)facts.Get(new FieldTerm(Var.Op, 0, Moment.Post)), (byte)facts.Get(new FieldTerm(Var.Cell, 0, Moment.Post)));
            var row = cases.First(c => PageOp.All[c.Row.Op] == op && c.Row.Loaded.GH == before.GH && c.Row.Loaded.Dirty == before.Dirty
                && !_encoding.Holds(_encoding.Translate(c.Holds), facts)).Row;
            return new ReductionWitness(row.Loaded, row.Loaded, op, $"installs {row.Decision.Desired.Abstract}, {row.Decision.Outcome}", breaks, before);
        }

        static readonly int PreShift = StepFacts.Location(new FieldTerm(Var.G, 0, Moment.Pre)).Offset;
    }
}
