#!/usr/bin/env bash
# `visinstruct mix` on a multi-million-sample LLaVA file (issue 16, "mix"): a synthetic LLaVA-1.5-style JSON of
# SAMPLES samples (single-image over IMAGES real JPEGs in coco/ and gqa/ folders, about 8 % text-only, ids that
# repeat as LLaVA-665K's do, 0.5 % exact duplicates) mixed with a generated StableLLaVA folder (2x), checked,
# deduplicated, 1 % held out, shuffled, images hard-linked under the output. Wall time and peak RSS (GNU time -v, else
# the kernel's VmHWM) of the mix, against `cat` of the same input files into one file in the same run.
#   bash bench/run-mix.sh [WORKDIR]      (env: SAMPLES=2500000, IMAGES=2000, GEN_COUNT=100)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
dotnet build -c Release src/VisInstruct.Cli >/dev/null
cli="dotnet src/VisInstruct.Cli/bin/Release/net10.0/VisInstruct.Cli.dll"
samples=${SAMPLES:-2500000}
images=${IMAGES:-2000}
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version), $(python3 --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"

[ -f "$work/gen/llava.json" ] || $cli generate --out "$work/gen" --count "${GEN_COUNT:-100}" --seed 3 --quiet >/dev/null
[ -f "$work/big.json" ] || python3 - "$work" "$samples" "$images" <<'PY'
import json, os, random, shutil, sys
work, n, n_images = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(16)
jpegs = sorted(os.path.join(d, f) for d, _, fs in os.walk(f"{work}/gen/images") for f in fs if f.endswith(".jpg"))
paths = []
for i in range(n_images):
    folder = "coco/train2017" if i % 3 else "gqa/images"
    os.makedirs(f"{work}/data/{folder}", exist_ok=True)
    path = f"{folder}/{i:012d}.jpg"
    if not os.path.exists(f"{work}/data/{path}"):
        shutil.copyfile(jpegs[i % len(jpegs)], f"{work}/data/{path}")
    paths.append(path)
words = "the a man woman dog tree car clock street building window shirt red blue left right near under above".split()
with open(f"{work}/big.json", "w") as out:
    out.write("[")
    kept = []
    for i in range(n):
        if i and rng.random() < 0.005:
            record = dict(rng.choice(kept))
        else:
            turns = []
            for q in range(rng.randint(1, 3)):
                question = " ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) + f" #{i}-{q}?"
                answer = " ".join(rng.choice(words) for _ in range(rng.randint(10, 40))) + "."
                turns += [{"from": "human", "value": question}, {"from": "gpt", "value": answer}]
            record = {"id": str(i if i % 50 else i // 50), "conversations": turns}
            if rng.random() > 0.08:
                record = {"id": record["id"], "image": rng.choice(paths), "conversations": turns}
                turns[0]["value"] = "<image>\n" + turns[0]["value"]
            if len(kept) < 10000:
                kept.append(record)
        out.write((", " if i else "") + json.dumps(record))
    out.write("]")
PY
inputs=("$work/big.json" "$work/gen/llava.json" "$work/gen/llava_multi.json")
echo "# input: $(du -b "$work/big.json" | cut -f1) bytes, $samples samples in big.json; gen: $(python3 -c "import json,sys;print(sum(len(json.load(open(f))) for f in sys.argv[1:]))" "$work/gen/llava.json" "$work/gen/llava_multi.json") samples"

measure() { # label, command...: prints wall seconds and peak RSS in MiB
  local label=$1; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/$label.log" 2>&1
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$work/time.txt")
    echo "$label: ${wall} s, peak RSS ${rss} MiB"
  else
    local start end
    start=$(date +%s.%N)
    "$@" >"$work/$label.log" 2>&1 &
    local pid=$! hwm=0
    while kill -0 $pid 2>/dev/null; do
      hwm=$(awk '/VmHWM/{print $2}' /proc/$pid/status 2>/dev/null || echo "$hwm"); sleep 0.2
    done
    wait $pid
    end=$(date +%s.%N)
    echo "$label: $(echo "$end - $start" | bc) s, peak RSS $((hwm / 1024)) MiB (VmHWM, sampled)"
  fi
}

rm -rf "$work/mix" "$work/cat.json"
cat "${inputs[@]}" >/dev/null  # the page cache warm for both
measure cat sh -c "cat ${inputs[*]} > $work/cat.json" | tee "$work/cat.txt"
measure mix $cli mix --input "$work/big.json:0.8" --image-folder "big=$work/data" --input "$work/gen:2x" \
  --holdout 0.01 --seed 1 --out "$work/mix" | tee "$work/mix.txt"
tail -n 4 "$work/mix.log"
echo "# output: $(du -cb "$work"/mix/*.json | tail -1 | cut -f1) bytes of JSON; $(find "$work/mix/images" -type f | wc -l) image files"
awk -v n="$samples" 'FNR==1 && FILENAME ~ /cat/ {c=$2} FNR==1 && FILENAME ~ /mix/ {m=$2}
  END {printf "ratio mix/cat: %.1f; mix %.0f input samples/s\n", m/(c>0?c:0.01), n/m}' "$work/cat.txt" "$work/mix.txt"
rm -f "$work/cat.json"
