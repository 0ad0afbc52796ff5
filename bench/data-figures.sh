#!/usr/bin/env bash
# The figures of DATA.md (issue 14): what the offline data is, measured from the files a run writes, by code that does
# not share the writer's (a Python reading of llava.json, llava_multi.json and the card).
#   bash bench/data-figures.sh [WORKDIR]          (env: COUNT = samples per ability, default 50 = the default run)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
dotnet build -c Release src/VisInstruct.Cli -o "$work/bin" -v q -nologo >/dev/null
cli="dotnet $work/bin/VisInstruct.Cli.dll"
count=${COUNT:-50}
rm -rf "$work/stablellava"
$cli generate --out "$work/stablellava" --count "$count" --quiet >/dev/null 2>&1
echo "# offline StableLLaVA: visinstruct generate --out DIR --count $count (default seed)"
python3 - "$work/stablellava" <<'PY'
import json, re, sys, collections
out = sys.argv[1]
samples = json.load(open(f"{out}/llava.json"))
try:
    samples += json.load(open(f"{out}/llava_multi.json"))
except FileNotFoundError:
    pass
answers = [t["value"] for s in samples for t in s["conversations"] if t["from"] == "gpt"]
words = [re.findall(r"[a-z0-9']+", a.lower()) for a in answers]
distinct = {w for ws in words for w in ws}
print(f"samples {len(samples)}, question-answer pairs {len(answers)}, distinct answer words {len(distinct)}")
# Answer templates: the answer with its scene words masked, read from the scene records the run wrote.
scene_words = set()
for line in open(f"{out}/images/provenance.jsonl"):
    rec = json.loads(line)
    scene = rec.get("scene")
    if not scene:
        continue
    for o in scene["objects"]:
        for key in ("shape", "color", "size", "texture", "material"):
            scene_words.update(str(o.get(key, "")).lower().split())
scene_words |= {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "no",
                "left", "right", "top", "bottom", "centre", "center", "middle", "upper", "lower"}
forms = collections.Counter(" ".join("#" if w in scene_words or w.isdigit() else w for w in ws) for ws in words)
form, n = forms.most_common(1)[0]
print(f"answer templates {len(forms)}; the largest is {100 * n / len(answers):.2f} % of answers: \"{form}\"")
card = open(f"{out}/README.md").read()
rows = re.findall(r"^\| ([a-z_.]+) \| (\d+) \| ([^|]+) \| (\d+) % \|$", card, re.M)
worst = max(rows, key=lambda r: int(r[3]))
print(f"question templates {len(rows)}; the highest most-common-answer share is {worst[3]} % ({worst[0]}: {worst[2].strip()}, {worst[1]} pairs)")
v = re.search(r"^Verification: .*$", card, re.M)
print(v.group(0).strip() if v else "(no verification line in the card)")
PY
