#!/usr/bin/env bash
# eval answer at the server's pace (issue 15): the real CLI `eval answer` over 2,000 benchmark questions (LLaVA's eval
# JSONL, each with an image sent as a data URL) against a loopback OpenAI-compatible server that answers every chat
# completion after exactly 200 ms (`VisInstruct.Bench recipe-server`), 64 requests in flight. Ratio = requests /
# (process wall time x 64 / 0.2 s): Little's law's bound, start-up, pre-flight and writing the answers included.
#   bash bench/run-eval.sh [WORKDIR]       (env: QUESTIONS, INFLIGHT, RUNS)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work/images"
dotnet build -c Release bench/VisInstruct.Bench >/dev/null
bench=bench/VisInstruct.Bench/bin/Release/net10.0/VisInstruct.Bench
dotnet publish -c Release -r linux-x64 --self-contained false -o "$work/cli" src/VisInstruct.Cli >/dev/null
cli="dotnet $work/cli/VisInstruct.Cli.dll"
inflight=${INFLIGHT:-64}
questions=${QUESTIONS:-2000}

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"
cp tests/VisInstruct.Tests/Data/expand_to_square/images/*.jpg "$work/images/"
python3 - "$work" "$questions" <<'PY'
import json, os, sys
work, n = sys.argv[1], int(sys.argv[2])
images = sorted(os.listdir(os.path.join(work, "images")))
with open(os.path.join(work, "questions.jsonl"), "w") as f:
    for i in range(n):
        f.write(json.dumps({"question_id": i, "image": images[i % len(images)],
                            "text": f"Is there a thing number {i} in the image?\nAnswer the question using a single word or phrase.",
                            "category": "bench"}) + "\n")
PY
rm -f "$work/url" "$work/timeline"
$bench recipe-server --url-file "$work/url" --latency-ms 200 --timeline "$work/timeline" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -f "$work/url" ] && break; sleep 0.1; done
url=$(cat "$work/url")
cat > "$work/eval.yaml" <<YAML
vision:
  endpoints: [$url/v1]
  model: bench-model
  concurrency: $inflight
YAML
count() { curl -s "$url/count"; }
for i in $(seq "${RUNS:-3}"); do
  rm -rf "$work/answers.jsonl" "$work/answers.jsonl.run"
  before=$(count)
  t0=$(date +%s.%N)
  $cli eval answer --questions "$work/questions.jsonl" --image-folder "$work/images" --answers "$work/answers.jsonl" \
    --config "$work/eval.yaml" --quiet --seed "$i" >"$work/eval.log" 2>&1 || { echo "run $i failed:"; tail -5 "$work/eval.log"; }
  t1=$(date +%s.%N)
  after=$(count)
  python3 - "$i" "$before" "$after" "$t0" "$t1" "$inflight" "$(wc -l < "$work/answers.jsonl")" <<'PY'
import sys
run, before, after, t0, t1, n, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
req, wall = after - before, t1 - t0
print(f"run {run}: {req} requests, {lines} answers in {wall:.2f} s; {req / wall:.0f} requests/s against an ideal of {n / 0.2:.0f}; "
      f"Little's law bound {req / (n / 0.2):.2f} s; ratio {req / (wall * n / 0.2):.3f}")
PY
  python3 bench/timeline.py "$work/timeline" "$before" "$after" "$t0" "$t1" | sed 's/^/  /'
  # A rerun over the finished answers sends nothing.
  before=$(count)
  $cli eval answer --questions "$work/questions.jsonl" --image-folder "$work/images" --answers "$work/answers.jsonl" \
    --config "$work/eval.yaml" --quiet --seed "$i" >/dev/null 2>&1
  echo "  rerun: $(( $(count) - before )) requests"
done
