#!/usr/bin/env bash
# Re-makes every file in counterexamples/ (SPEC section 7): each job below is a `check --all --save`, which minimizes
# each violation it finds and writes it there. counterexamples/README.md says what each file is.
# Usage: scripts/counterexamples.sh        (builds first; exit 0 when every job found its violations and every file replays)
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build PageHintVerify.sln -c Release -nologo -v quiet >/dev/null
pagehint() { dotnet Checker/bin/Release/net10.0/pagehint.dll "$@"; }

jobs=(
  "--granularity naive"                                 # the swap-out lost write: I1, I2, I4
  "--config configurations/naive-v-discard-race.json"   # host discard of a V page racing set_stable_if_present: I1, I2
  "--config configurations/naive-p-discard-race.json"   # host discard of a P page racing a write: I1, I4
  "--variant graph2"                                    # graph 2's Vz -> Vr write edge: I1, I2
  "--program ignore-results"                            # the careless guest: I1, I2
)

rm -f counterexamples/*.json
for job in "${jobs[@]}"; do
  set +e
  # shellcheck disable=SC2086 # each job is a list of options
  pagehint check $job --all --quiet --threads 1 --save counterexamples | grep -E '^I[0-9]: saved'
  code=${PIPESTATUS[0]}
  set -e
  [ "$code" -eq 1 ] || { echo "counterexamples: check $job: expected violations (exit 1), got exit $code" >&2; exit 1; }
done

set +e; pagehint replay counterexamples/*.json >/dev/null; code=$?; set -e
[ "$code" -eq 1 ] || { echo "counterexamples: expected every file to reproduce (exit 1), got exit $code" >&2; exit 1; }
echo "counterexamples: $(ls counterexamples/*.json | wc -l) files re-made; each reproduces"
