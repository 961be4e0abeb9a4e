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

step "prove: Z3 proves I1-I5 for one step of the reference"
pagehint prove

step "tests"
dotnet test PageHintVerify.sln -c Release -nologo
