#!/usr/bin/env bash
# The main job: prerequisites, build, the checker's standard jobs, the tests. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")"
step() { printf '\n== %s\n' "$*"; }

step "prerequisites"
scripts/prereqs.sh

step "build"
dotnet build PageHintVerify.sln -c Release -nologo -v quiet

pagehint() { dotnet Checker/bin/Release/net10.0/pagehint.dll "$@"; }

step "analyze: reference and both seed graphs"
pagehint analyze

step "tests"
dotnet test PageHintVerify.sln -c Release -nologo

step "bench: the default ladder and SPIN beside it (pagehint bench --full for the large rows)"
pagehint bench
