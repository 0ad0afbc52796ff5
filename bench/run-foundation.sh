#!/usr/bin/env bash
# Foundation benchmarks: StableLLaVA conversion of the reference fixtures and of generated 100k / 1M-entry ability
# files, against a plain Python json.load + json.dump of the same conversion. Results go to stdout; copy them into
# BENCHMARKS.md with the machine they ran on.
#   bash bench/run-foundation.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
dotnet build -c Release bench/VisInstruct.Bench >/dev/null
dotnet build -c Release src/VisInstruct.Cli >/dev/null
bench=bench/VisInstruct.Bench/bin/Release/net10.0/VisInstruct.Bench
cli="dotnet src/VisInstruct.Cli/bin/Release/net10.0/VisInstruct.Cli.dll"

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version)"
$bench convert-stablellava --input ../shared/reference/stablellava/dataset --out "$work/fixtures-out"
for n in 100000 1000000; do
  $bench make-ability-file --entries $n --out "$work/ability-$n.json" >/dev/null
  $bench convert-stablellava --input "$work/ability-$n.json" --out "$work/llava-$n.json"
done
/usr/bin/time -f "cli end to end (process start included): %e s, peak RSS %M KB" \
  $cli convert stablellava --prompt-path "$work/ability-1000000.json" --save-path "$work/cli-1000000.json" >/dev/null
cat > "$work/reference.py" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
out = [{'id': e['id'].zfill(12), 'image': e['image'],
        'conversations': [{'from': 'human', 'value': e['question']}, {'from': 'gpt', 'value': e['answer']}]} for e in data]
json.dump(out, open(sys.argv[2], 'w'))
PY
/usr/bin/time -f "python json.load + json.dump (reference): %e s, peak RSS %M KB" \
  python3 "$work/reference.py" "$work/ability-1000000.json" "$work/python-1000000.json"
cmp "$work/python-1000000.json" "$work/llava-1000000.json" && echo "outputs byte-identical to the Python reference"
