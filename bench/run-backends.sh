#!/usr/bin/env bash
# Backend benchmarks (issue 5): the LLM client against loopback OpenAI-compatible servers answering after 200 ms,
# and the procedural renderer.
#   bash bench/run-backends.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/VisInstruct.Bench >/dev/null
bench=bench/VisInstruct.Bench/bin/Release/net10.0/VisInstruct.Bench
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version)"
for endpoints in 1 4; do
  for inflight in 64 256 1024; do
    $bench llm-throughput --in-flight $inflight --endpoints $endpoints --latency-ms 200 --seconds 6
  done
done
$bench render --images 3000 --size 512
$bench render --images 600 --size 1024
