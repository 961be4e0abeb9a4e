#!/usr/bin/env bash
# The CI recipe: prerequisites, build, tests, then `pagehint check` on your configuration with its artifacts.
# .github/workflows/pagehint.yml calls these same steps, so this file is the one definition of the job.
#
# Usage: scripts/ci-recipe.sh [STEP...]     steps: prereqs build test check; none means all four, in that order
# Environment:
#   PAGEHINT_CHECK     what to check: a JSON configuration file, or check options   [--standard two-pages --granularity cas]
#                      (e.g. configurations/naive-v-discard-race.json, or "--pages 2 --granularity naive")
#   PAGEHINT_ARTIFACTS where the check step writes its artifacts                     [ci-artifacts]
#                      report.json (the --json report), counterexamples/ (--save), html/ (--html)
#   PAGEHINT           the pagehint command                  [dotnet Checker/bin/Release/net10.0/pagehint.dll]
# Exit code: the first failing step's. check's is pagehint's: 1 a violation, 2 a usage or input error (or the
# search outgrew its memory), 130/143 a signal; its artifacts are written either way, so upload them always.
set -uo pipefail
cd "$(dirname "$0")/.."
check_args=${PAGEHINT_CHECK:---standard two-pages --granularity cas}
artifacts=${PAGEHINT_ARTIFACTS:-ci-artifacts}
built=Checker/bin/Release/net10.0/pagehint.dll
read -r -a pagehint <<< "${PAGEHINT:-dotnet $built}"

step_prereqs() { scripts/prereqs.sh; }
step_build() { dotnet build PageHintVerify.sln -c Release -nologo -v quiet; }
step_test() { dotnet test PageHintVerify.sln -c Release -nologo; }
step_check() {
  local args
  # A file is a configuration; anything else is check's own options (word-split on purpose).
  if [ -f "$check_args" ]; then args=(--config "$check_args"); else read -r -a args <<< "$check_args"; fi
  if [ -z "${PAGEHINT:-}" ] && [ ! -f "$built" ]; then step_build || return; fi
  mkdir -p "$artifacts"
  "${pagehint[@]}" check "${args[@]}" --quiet --save "$artifacts/counterexamples" --html "$artifacts/html" --json \
    > "$artifacts/report.json"
  local code=$?
  echo "ci-recipe: pagehint check ${args[*]}: exit $code (0 no violation, 1 violation, 2 input error); artifacts in $artifacts" >&2
  return "$code"
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(prereqs build test check)
for s in "${steps[@]}"; do
  case $s in
    prereqs | build | test | check) ;;
    *) echo "ci-recipe: unknown step '$s' (steps: prereqs build test check)" >&2; exit 2 ;;
  esac
done
for s in "${steps[@]}"; do
  echo "== $s" >&2
  "step_$s" || exit $?
done
