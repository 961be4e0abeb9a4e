#!/usr/bin/env bash
# The cost of distribution on this machine: each configuration searched in one process and on 1, 2 and 4 silo
# processes (check --cluster N), with the counts compared, the time, the payload and the loopback bytes sent, and
# each silo's peak memory. Two cores cannot show a speed-up; these figures show what distribution costs.
#   bench/distributed.sh [SILOS...]        (default 1 2 4; run from the repository root after a Release build)
set -euo pipefail
pagehint=(dotnet Checker/bin/Release/net10.0/pagehint.dll)
[[ -f Checker/bin/Release/net10.0/pagehint.dll ]] || { echo "bench/distributed.sh: build first: dotnet build -c Release" >&2; exit 2; }
silos=("${@:-1 2 4}"); silos=(${silos[@]})
for n in "${silos[@]}"; do
  [[ "$n" =~ ^[0-9]+$ ]] && (( n >= 1 && n <= 64 )) || { echo "bench/distributed.sh: a silo count is 1 to 64 (got '$n')" >&2; exit 2; }
done
# Every state of each (--all: the any program breaks the guest discipline I5 at once, on purpose).
IFS=";" read -r -a configs <<<"${CONFIGS:---pages 2 --program any --all;--standard three-pages --granularity cas --all}"
# The single process's peak memory, when GNU time is there (Debian: apt-get install time).
timed=(); [[ -x /usr/bin/time ]] && timed=(/usr/bin/time -f "peak %M KiB")
lo_bytes() { awk '$1 == "lo:" { print $2 }' /proc/net/dev; }
summary='^(no violation|[0-9]+ invariants? violated)'
# The report without how it ran (the silo and partition lines, the summary's time, rate, memory and threads):
# the distributed search must give exactly the single process's.
report() { grep -vE '^(searching on |sent between partitions: |  partition |peak [0-9]+ KiB$|Command exited with non-zero status)' | sed -E 's/, [0-9.]+ s, .*$//'; }

for config in "${configs[@]}"; do
  echo "## pagehint check $config"
  one=$("${timed[@]}" "${pagehint[@]}" check $config --quiet --threads 1 2>&1 || true)
  grep -qE "$summary" <<<"$one" || { echo "bench/distributed.sh: pagehint check $config: $(grep -vE '^(peak [0-9]+ KiB|Command exited)' <<<"$one" | tail -n 1)" >&2; exit 2; }
  echo "one process, 1 thread: $(grep -E "$summary" <<<"$one" | sed -E 's/.*depth [0-9]+, //') ($(grep -o 'peak [0-9]* KiB' <<<"$one"))"
  expected=$(report <<<"$one")
  for n in "${silos[@]}"; do
    before=$(lo_bytes)
    out=$("${pagehint[@]}" check $config --quiet --cluster "$n" 2>&1 || true)
    sent=$(( $(lo_bytes) - before ))
    [[ "$(report <<<"$out")" == "$expected" ]] && same="same report" || same="REPORT DIFFERS: $(diff <(echo "$expected") <(report <<<"$out") | head -5)"
    echo "$n silo(s): $same; $(grep -E "$summary" <<<"$out" | sed -E 's/.*depth [0-9]+, //'); loopback $((sent / 1048576)) MiB"
    grep -E '^sent between|^  partition' <<<"$out"
  done
  echo "(counts: $(grep -E "$summary" <<<"$expected"))"
  echo
done
