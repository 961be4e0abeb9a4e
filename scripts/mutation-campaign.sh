#!/usr/bin/env bash
# The mutation campaign: each patch under scripts/mutations/ injects one realistic concurrency bug into PageTable/ (its
# first line says which). For each bug, on a copy of the repository (never the working tree), the script builds once
# and runs each detector RUNS times, and prints which detectors found the bug in how many runs:
#   exploration  systematic exploration of the real table's interleavings (TestKit via LockFreePageTableConformance, Category=Interleavings)
#   sequential   the FsCheck sequential differential properties
#   concurrent   the FsCheck concurrent linearizability property (real threads)
#   cas          pagehint check --standard two-pages --granularity cas (the model checker's cas granularity)
# A detector "finds" the bug when its run fails; a run that exceeds the time limit counts as found and is marked "hang".
# The exploration column also gives the scenario that failed first and how long its exploration took (with minimization).
#
# usage: scripts/mutation-campaign.sh [--runs N] [--only PATTERN] [--detectors LIST] [--limit SECONDS]
#   --runs N          runs of each detector per bug (default 3)
#   --only PATTERN    only the patches whose file name contains PATTERN
#   --detectors LIST  comma-separated subset of exploration,sequential,concurrent,cas (default all)
#   --limit SECONDS   time limit of one detector run (default 600)
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=3 only="" detectors="exploration,sequential,concurrent,cas" limit=600
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --detectors) detectors=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    *) echo "mutation-campaign.sh: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*) echo "mutation-campaign.sh: --runs takes a number" >&2; exit 2 ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree="$work/tree"
mkdir -p "$tree"
# The working tree as it is (tracked and untracked files, not ignored ones), without build output.
(cd "$repo" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$tree"
log="$work/log"

build() { (cd "$tree" && dotnet build PageHintVerify.sln -c Release -nologo -v quiet >"$log" 2>&1); }

# One detector run: prints "found", "hang" or "no"; for exploration, also the first failing scenario and its time.
detect() {
  local detector=$1 filter status
  case "$detector" in
    exploration) filter="FullyQualifiedName~LockFreePageTableConformance.TheRealTablePassesEveryInterleaving" ;;
    sequential) filter="FullyQualifiedName~SequentialDifferentialProperties|FullyQualifiedName~LockFreePageTableConformance.TheTableAgreesWithTheModelSequentially" ;;
    concurrent) filter="FullyQualifiedName~LockFreePageTableConformance.HistoriesAreLinearizablePerPageUnderNoise" ;;
  esac
  if [ "$detector" = cas ]; then
    (cd "$tree" && timeout "$limit" dotnet Checker/bin/Release/net10.0/pagehint.dll check --standard two-pages \
      --granularity cas --quiet >"$log" 2>&1)
  else
    (cd "$tree" && timeout "$limit" dotnet test Properties/Properties.csproj -c Release --no-build -nologo \
      --filter "$filter" --logger "console;verbosity=normal" >"$log" 2>&1)
  fi
  status=$?
  if [ $status -eq 124 ]; then echo hang; return; fi
  if [ $status -eq 0 ]; then echo no; return; fi
  if [ "$detector" = exploration ]; then
    # "  Failed ...TheRealTablePassesEveryInterleaving(scenario: "zero-fill") [1 s]": the first one and its duration.
    local first
    first=$(grep -m1 -E '^\s+Failed .*scenario: ' "$log" | sed -E 's/.*scenario: "([^"]*)"\) \[(.*)\]/\1 (\2)/')
    echo "found ${first:-}"
  else
    echo found
  fi
}

IFS=, read -r -a wanted <<<"$detectors"
printf '| bug | %s |\n' "$(IFS='|'; echo "${wanted[*]}" | sed 's/|/ | /g')"
printf '|---|%s\n' "$(for _ in "${wanted[@]}"; do printf -- '---|'; done)"
for patch in "$repo"/scripts/mutations/*.patch; do
  name=$(basename "$patch" .patch)
  [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
  description=$(head -n1 "$patch")
  if ! (cd "$tree" && git apply "$patch" 2>"$log"); then
    echo "| $name: $description | patch does not apply: $(head -n1 "$log") |"
    continue
  fi
  if ! build; then
    echo "| $name: $description | does not build: $(grep -m1 -E 'error' "$log") |"
    (cd "$tree" && git apply -R "$patch")
    continue
  fi
  cells=()
  for detector in "${wanted[@]}"; do
    found=0 hangs=0 note=""
    for ((run = 1; run <= runs; run++)); do
      outcome=$(detect "$detector")
      case "$outcome" in
        found*) found=$((found + 1)); [ -z "$note" ] && note=${outcome#found} ;;
        hang) found=$((found + 1)); hangs=$((hangs + 1)) ;;
      esac
    done
    cell="$found/$runs"
    [ $hangs -gt 0 ] && cell="$cell ($hangs hang)"
    [ -n "${note// /}" ] && cell="$cell,${note}"
    cells+=("$cell")
  done
  printf '| %s: %s | %s |\n' "$name" "$description" "$(IFS='|'; echo "${cells[*]}" | sed 's/|/ | /g')"
  (cd "$tree" && git apply -R "$patch")
done
