#!/usr/bin/env bash
# `visinstruct filter` with the offline filters (text, language, image-dup, text-dup) over a generated StableLLaVA
# folder (issue 17): wall time and peak RSS (GNU time -v, else the kernel's VmHWM) of a cold run (every image hashed)
# and of the same filters into a new folder with the image hashes already cached, against reading every image file
# once (`cat > /dev/null`, the I/O floor of hashing) in the same run.
#   bash bench/run-filter.sh [WORKDIR]      (env: GEN_COUNT=1000, per ability)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
dotnet build -c Release src/VisInstruct.Cli >/dev/null
cli="dotnet src/VisInstruct.Cli/bin/Release/net10.0/VisInstruct.Cli.dll"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ -f "$work/gen/llava.json" ] || $cli generate --out "$work/gen" --count "${GEN_COUNT:-1000}" --seed 3 --quiet >/dev/null
samples=$(python3 -c "import json,sys; print(sum(len(json.load(open(f))) for f in sys.argv[1:]))" "$work/gen/llava.json" "$work/gen/llava_multi.json")
images=$(find "$work/gen/images" -name '*.jpg' | wc -l)
echo "# source: $samples samples, $images images ($(du -sh "$work/gen/images" | cut -f1))"

measure() { # label, command...
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  if /usr/bin/time -v true >/dev/null 2>&1; then
    /usr/bin/time -v "$@" >"$work/$label.out" 2>"$work/$label.time"
    rss=$(awk -F: '/Maximum resident/{print int($2/1024)}' "$work/$label.time")
  else
    "$@" >"$work/$label.out" 2>&1 & pid=$!
    rss=0
    while kill -0 $pid 2>/dev/null; do
      r=$(awk '/VmHWM/{print int($2/1024)}' /proc/$pid/status 2>/dev/null || echo 0); [ "${r:-0}" -gt "$rss" ] && rss=$r; sleep 0.2
    done
    wait $pid
  fi
  end=$(date +%s.%N)
  wall=$(python3 -c "print(f'{$end-$start:.1f}')")
  echo "$label: ${wall} s wall, peak RSS ${rss} MiB"
  eval "wall_$label=$wall"
}

sync
measure read_images bash -c "find '$work/gen/images' -name '*.jpg' -print0 | xargs -0 cat > /dev/null"
rm -rf "$work/f_cold" "$work/f_warm"
measure filter_cold $cli filter "$work/gen" --out "$work/f_cold" --drop image-dup,text-dup --quiet
mkdir -p "$work/f_warm/.visinstruct" && cp "$work/f_cold/.visinstruct/image-hashes.tsv" "$work/f_warm/.visinstruct/"
measure filter_cached_hashes $cli filter "$work/gen" --out "$work/f_warm" --drop image-dup,text-dup --quiet
tail -n 8 "$work/filter_cold.out" 2>/dev/null || true
python3 - "$wall_filter_cold" "$wall_read_images" "$samples" "$images" <<'PY'
import sys
cold, read, samples, images = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"cold filter: {samples / cold:.0f} samples/s, {images / cold:.0f} images/s; {cold / max(read, 0.01):.1f}x reading the images")
PY
