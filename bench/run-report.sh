#!/usr/bin/env bash
# `visinstruct report` on a 100K-sample dataset (issue 16): its time, the size of what it writes, and the page's load
# time in Chromium, against a plain copy of the dataset's image bytes measured in the same run.
#   bash bench/run-report.sh [WORKDIR]
# The 100K dataset (generate --count 10000: ten offline abilities, about 6 minutes on 2 cores) is shared with the
# export benchmark at /tmp/visinstruct-bench-100k (VISINSTRUCT_BENCH_100K): made once, under a lock, by whichever
# benchmark runs first; a dataset is complete when its manifest says "complete": true.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-bench/out/report}
mkdir -p "$work"
work=$(cd "$work" && pwd)
count=${COUNT:-10000}
dataset=${VISINSTRUCT_BENCH_100K:-/tmp/visinstruct-bench-100k}
# A smaller trial run (COUNT=1000: 10K samples) gets a folder of its own, never the shared 100K one.
[ "$count" = 10000 ] || dataset=/tmp/visinstruct-bench-report-$count
chromium=${VISINSTRUCT_CHROMIUM:-/usr/bin/chromium}

dotnet build -c Release src/VisInstruct.Cli -o "$work/bin" -v q -nologo >/dev/null
dotnet build -c Release tests/VisInstruct.Tests -v q -nologo >/dev/null
cli="dotnet $work/bin/VisInstruct.Cli.dll"

complete() { [ -f "$1/manifest.json" ] && grep -q '"complete": true' "$1/manifest.json"; }
(
    flock 9
    if ! complete "$dataset"; then
        echo "making the dataset at $dataset (generate --count $count) ..." >&2
        rm -rf "$dataset.partial"
        start=$(date +%s.%N)
        $cli generate --out "$dataset.partial" --count "$count" --quiet >/dev/null
        rm -rf "$dataset"
        mv "$dataset.partial" "$dataset"
        echo "made in $(echo "$(date +%s.%N) - $start" | bc) s" >&2
    fi
) 9>"$dataset.lock"

seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }
samples=$(grep -o '"done": [0-9]*' "$dataset/manifest.json" | head -1 | grep -o '[0-9]*')
images=$(find "$dataset/images" -type f -name '*.jpg' | wc -l)
image_bytes=$(du -sb "$dataset/images" | cut -f1)

echo "# visinstruct report on $samples samples ($images images, $((image_bytes / 1048576)) MiB of images)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
cat "$dataset"/llava.json "$dataset"/llava_multi.json "$dataset"/images/provenance.jsonl >/dev/null
find "$dataset/images" -type f -exec cat {} + >/dev/null

rm -rf "$work/copy"
copy=$(seconds cp -r "$dataset/images" "$work/copy")
rm -rf "$work/copy"
echo "reference: cp -r images (warm cache): $copy s"

for mode in thumbnails originals; do
    out="$work/report-$mode"
    rm -rf "$out"
    flag=()
    [ "$mode" = originals ] && flag=(--no-thumbnails)
    t=$(seconds $cli report "$dataset" --out "$out" "${flag[@]}")
    size=$(du -sb "$out" | cut -f1)
    files=$(find "$out" -type f | wc -l)
    page=$(stat -c %s "$out/index.html")
    chunk=$(find "$out/data" -name 'all-*.js' -printf '%s\n' | sort -n | awk '{a[NR]=$1} END {print a[int(NR/2)+1]}')
    thumbs=$( [ -d "$out/thumbs" ] && du -sb "$out/thumbs" | cut -f1 || echo 0)
    echo "report ($mode): $t s ($(echo "scale=1; $t / $copy" | bc) x the copy), writes $((size / 1048576)) MiB in $files files:" \
        "index.html $((page / 1024)) KiB, median chunk $((chunk / 1024)) KiB, thumbnails $((thumbs / 1048576)) MiB"
done

core=$(ls -d tests/VisInstruct.Tests/bin/Release/net10.0/.playwright/package)
node=$(ls tests/VisInstruct.Tests/bin/Release/net10.0/.playwright/node/linux-x64/node)
if [ -x "$chromium" ]; then
    echo "page load in Chromium ($("$chromium" --version 2>/dev/null | head -1)), from file:// (thumbnails):"
    "$node" bench/report-page-load.js "$(pwd)/$core" "$chromium" "file://$work/report-thumbnails/index.html" octagon
else
    echo "page load: skipped, no Chromium at $chromium (set VISINSTRUCT_CHROMIUM)"
fi
