#!/usr/bin/env bash
# export throughput (issue 16): `visinstruct export parquet` and `export webdataset` of a generated 100K-sample dataset,
# against a plain copy of the same image bytes (`cp -r images/`) and a tar of them (`tar cf`), all in the same run.
#   bash bench/run-export.sh [WORKDIR]     (env: COUNT = generate --count, samples per ability; default 10000 = 100K samples)
# The dataset is generated once and kept under WORKDIR (default $TMPDIR/visinstruct-bench-export), keyed by COUNT; the outputs of
# each timed step are written under WORKDIR/out and removed after. Prefix with `nice -n 10` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-${TMPDIR:-/tmp}/visinstruct-bench-export}
count=${COUNT:-10000}
mkdir -p "$work"
work=$(cd "$work" && pwd)
dotnet build -c Release src/VisInstruct.Cli -o "$work/bin" -v q -nologo >/dev/null
cli="dotnet $work/bin/VisInstruct.Cli.dll"
data="$work/dataset-$count"
if [ ! -f "$data/llava.json" ]; then
  echo "generating $data (generate --count $count, once) ..." >&2
  rm -rf "$data"
  $cli generate --out "$data" --count "$count" --quiet >/dev/null 2>&1
fi
out="$work/out"
rm -rf "$out"; mkdir -p "$out"

samples=$(python3 -c "import json,sys; print(sum(len(json.load(open(f))) for f in sys.argv[1:]))" "$data/llava.json" "$data/llava_multi.json")
# The image files alone (images/ also holds provenance.jsonl, which no export embeds).
image_bytes=$(python3 -c "import os,sys; print(sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(sys.argv[1])
    for f in fs if f.endswith(('.jpg', '.png', '.webp'))))" "$data/images")
all_bytes=$(du -sb "$data/images" | cut -f1)
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(df -h "$work" | awk 'NR==2{print $1}')"
echo "# dataset: $data ($samples samples, image files $((image_bytes / 1000000)) MB; images/ folder $((all_bytes / 1000000)) MB)"

# Every step reads warm files: one read of the whole dataset first, so the first step timed is not the only cold one.
cat "$data"/llava*.json > /dev/null; find "$data/images" -type f -exec cat {} + > /dev/null
sync
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); python3 -c "print(f'{$end - $start:.2f}')"; }
t_cp=$(seconds cp -r "$data/images" "$out/images-copy"); rm -rf "$out/images-copy"; sync
t_tar=$(seconds tar cf "$out/images.tar" -C "$data" images); rm -f "$out/images.tar"; sync
t_pq=$(seconds $cli export "$data" --format parquet --out "$out/pq/train.parquet")
pq_bytes=$(du -cb "$out"/pq/*.parquet | tail -1 | cut -f1); pq_shards=$(ls "$out"/pq/*.parquet | wc -l); rm -rf "$out/pq"; sync
t_wds=$(seconds $cli export "$data" --format webdataset --out "$out/wds")
wds_bytes=$(du -cb "$out"/wds/*.tar | tail -1 | cut -f1); wds_shards=$(ls "$out"/wds/*.tar | wc -l); rm -rf "$out/wds"

python3 - "$image_bytes" "$all_bytes" "$samples" "$t_cp" "$t_tar" "$t_pq" "$pq_bytes" "$pq_shards" "$t_wds" "$wds_bytes" "$wds_shards" <<'PY'
import sys
img, alld, n, cp, tar, pq, pqb, pqs, wds, wdsb, wdss = sys.argv[1:]
img, alld, n = int(img), int(alld), int(n)
cp, tar, pq, wds = map(float, (cp, tar, pq, wds))
def row(name, t, size, note="", read=img):
    print(f"| {name} | {t:.1f} s | {size/1e6:.0f} MB | {read/1e6/t:.0f} MB/s | {n/t:.0f} samples/s | {t/cp:.2f}x cp | {t/tar:.2f}x tar | {note}")
print("| step | time | written | MB/s read | samples | vs cp -r | vs tar cf | |")
print("|---|---|---|---|---|---|---|---|")
row("cp -r images/", cp, alld, "all of images/ (provenance.jsonl included)", alld)
row("tar cf images/", tar, alld, "same", alld)
row("export parquet", pq, int(pqb), f"{pqs} shard(s) of at most 500 MB")
row("export webdataset", wds, int(wdsb), f"{wdss} shard(s) of at most 500 MB")
PY
rm -rf "$out"
