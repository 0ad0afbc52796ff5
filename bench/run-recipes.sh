#!/usr/bin/env bash
# Whole-recipe pipeline efficiency (issue 11, section 4): the real CLI `generate` for StableLLaVA (LLM dialogues over
# procedural images) and SVIT (LLM, all four tasks) against a loopback OpenAI-compatible server that answers every
# chat completion after exactly 200 ms (`VisInstruct.Bench recipe-server`), 64 requests in flight. Ratio = requests /
# (process wall time x 64 / 0.2 s): Little's law's bound, start-up, index pass and writing the dataset included.
#   bash bench/run-recipes.sh [WORKDIR]       (env: SL_COUNT, SVIT_IMAGES, RUNS, RECIPES, CLI=r2r|jit, BOTH=1)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
dotnet build -c Release bench/VisInstruct.Bench >/dev/null
bench=bench/VisInstruct.Bench/bin/Release/net10.0/VisInstruct.Bench
# CLI=r2r (default): the CLI as published for a platform, precompiled (ReadyToRun); CLI=jit: the plain build output,
# JIT-compiled at start-up. BOTH=1 alternates the two in every run.
build_cli() {
  case $1 in
    r2r) dotnet publish -c Release -r linux-x64 --self-contained false -o "$work/cli-r2r" src/VisInstruct.Cli >/dev/null
         echo "dotnet $work/cli-r2r/VisInstruct.Cli.dll" ;;
    jit) dotnet build -c Release src/VisInstruct.Cli >/dev/null
         echo "dotnet src/VisInstruct.Cli/bin/Release/net10.0/VisInstruct.Cli.dll" ;;
  esac
}
if [ -n "${BOTH:-}" ]; then builds="jit r2r"; else builds=${CLI:-r2r}; fi
declare -A clis
for b in $builds; do clis[$b]=$(build_cli "$b"); done
ref=../shared/reference
inflight=64

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$work/url"
rm -f "$work/timeline"
# The server appends "ms-since-start in-flight requests-so-far" every 50 ms to $work/timeline (see the engine's ramp-up,
# dry spells and tail: bench/timeline.py WORKDIR/timeline BEFORE AFTER T0 T1 --rows).
$bench recipe-server --url-file "$work/url" --latency-ms 200 --timeline "$work/timeline" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -f "$work/url" ] && break; sleep 0.1; done
url=$(cat "$work/url")

svit_images=${SVIT_IMAGES:-500}
# Visual Genome averages: 35 objects and 50 regions per image.
[ -f "$work/ann/image_data.json" ] || $bench make-annotations --out "$work/ann" --images "$svit_images" --objects $((svit_images * 35)) --regions $((svit_images * 50)) >/dev/null
cat > "$work/stablellava.yaml" <<YAML
llm:
  endpoints: [$url/v1]
  model: bench-model
  concurrency: $inflight
YAML
cat > "$work/svit.yaml" <<YAML
annotations:
  vg_image_data: $work/ann/image_data.json
  vg_objects: $work/ann/objects.json
  vg_regions: $work/ann/region_descriptions.json
llm:
  endpoints: [$url/v1]
  model: bench-model
  concurrency: $inflight
YAML

count() { curl -s "$url/count"; }
run() {  # name, then the generate arguments
  local name=$1; shift
  rm -rf "$work/out-$name"
  local before; before=$(count)
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -o "$work/$name.time" -f "%U %S" $cli generate --out "$work/out-$name" --quiet "$@" >"$work/$name.log" 2>&1 || { echo "$name failed:"; tail -5 "$work/$name.log"; }
  local t1; t1=$(date +%s.%N)
  local after; after=$(count)
  python3 - "$name" "$before" "$after" "$t0" "$t1" "$inflight" "$(tail -n 1 "$work/$name.time")" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import sys
name, before, after, t0, t1, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
cpu = sum(float(x) for x in sys.argv[7].split())
req, wall = after - before, t1 - t0
print(f"{name}: {req} requests ({before}..{after}) in {wall:.2f} s (CLI CPU {cpu:.1f} s, {1000 * cpu / max(req, 1):.2f} ms per request; load {sys.argv[8]}); Little's law bound {req / (n / 0.2):.2f} s; ratio {req / (wall * n / 0.2):.3f}")
PY
  python3 bench/timeline.py "$work/timeline" "$before" "$after" "$t0" "$t1" | sed 's/^/  /'
}
for i in $(seq "${RUNS:-3}"); do
  for b in $builds; do
    cli=${clis[$b]}
    [ "${RECIPES:-stablellava svit}" = svit ] ||
    run "stablellava-$b" --recipe stablellava --config "$work/stablellava.yaml" --count "${SL_COUNT:-300}" --seed "$i"
    [ "${RECIPES:-stablellava svit}" = stablellava ] ||
    run "svit-$b" --recipe svit --config "$work/svit.yaml" --prompts "$ref/svit/prompts" --detail-questions "$ref/svit/data/questions.txt" --seed "$i"
  done
done
