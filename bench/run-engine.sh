#!/usr/bin/env bash
# Engine benchmarks (issue 4): the synthetic workload (tests/VisInstruct.EngineHost) through the real engine —
# bounded channels, per-backend limits, response cache, accounting, SQLite run state, materialisation.
#   bash bench/run-engine.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
rm -rf "$work" && mkdir -p "$work"
dotnet build -c Release tests/VisInstruct.EngineHost >/dev/null
host="dotnet tests/VisInstruct.EngineHost/bin/Release/net10.0/VisInstruct.EngineHost.dll"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version)"

echo "## overhead: three stages (two through the gateway, one CPU), instant backends, concurrency 16"
for n in 100000 1000000; do
  $host --out "$work/overhead-$n" --items $n --concurrency 16
done

echo "## concurrency efficiency: one stage waiting 200 ms per call"
for c in 64 256 1024; do
  line=$($host --out "$work/concurrency-$c" --items $((c * 20)) --concurrency $c --latency-ms 200 --fixed-latency --single-stage)
  rate=$(echo "$line" | grep -Eo 'rate=[0-9.]+' | cut -d= -f2)
  echo "$line"
  awk -v r="$rate" -v c="$c" 'BEGIN { printf "in flight %d: %.0f items/s of ideal %.0f = %.3f\n", c, r, c / 0.2, r / (c / 0.2) }'
done
