#!/usr/bin/env bash
# Conversion at the disk's pace (issue 11, section 4): `convert stablellava`, `convert svit` and `expand-to-square`
# through the CLI (process start included) against plain Python equivalents of the original scripts (json.load,
# transform, json.dump) and against a plain copy of the input's bytes, in the same run, alternating, RUNS times;
# medians of each. Outputs are compared with cmp where the Python side is an equivalent of the whole conversion.
#   bash bench/run-convert.sh [WORKDIR]      (env: RUNS=5, SL_ENTRIES=300000, SVIT_IMAGES=30000)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
dotnet build -c Release bench/VisInstruct.Bench >/dev/null
dotnet build -c Release src/VisInstruct.Cli >/dev/null
bench=bench/VisInstruct.Bench/bin/Release/net10.0/VisInstruct.Bench
cli="dotnet src/VisInstruct.Cli/bin/Release/net10.0/VisInstruct.Cli.dll"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version), $(python3 --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Inputs: a StableLLaVA ability file; an SVIT raw file (4 conversations per image, one of them referring QA with
# boxes) with image_data.json and, for expand-to-square, an image folder of JPEG headers (SOI, APP0, SOF0: sizes only).
[ -f "$work/ability.json" ] || $bench make-ability-file --entries "${SL_ENTRIES:-300000}" --out "$work/ability.json" >/dev/null
[ -f "$work/svit.json" ] || python3 - "$work" "${SVIT_IMAGES:-30000}" <<'PY'
import json, os, random, struct, sys
work, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(11)
os.makedirs(f"{work}/images", exist_ok=True)
items, image_data = [], []
names = ["man", "woman", "dog", "tree", "car", "clock", "street", "building", "window", "shirt"]
def box():
    x1, y1 = round(rng.random() * 0.6, 3), round(rng.random() * 0.6, 3)
    return f"[{x1}, {y1}, {round(x1 + rng.random() * 0.4, 3)}, {round(y1 + rng.random() * 0.4, 3)}]"
for i in range(n):
    image_id = 1000000 + i
    w, h = rng.choice([(800, 600), (500, 375), (1024, 768), (640, 480), (333, 500)])
    image_data.append({"width": w, "url": f"https://cs.stanford.edu/people/rak248/VG_100K/{image_id}.jpg", "height": h, "image_id": image_id, "coco_id": None, "flickr_id": None})
    with open(f"{work}/images/{image_id}.jpg", "wb") as f:
        f.write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        f.write(b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", h, w) + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9")
    convs = []
    for c in range(3):
        turns = []
        for q in range(rng.randint(2, 5)):
            turns.append({"from": "user", "value": f"What is the {rng.choice(names)} doing near the {rng.choice(names)} in part {q}?"})
            turns.append({"from": "gpt", "value": f"The {rng.choice(names)} is standing quietly, and the light falls on it from the left; nothing else moves."})
        convs.append({"content": turns})
    ref = []
    for q in range(4):
        a, b = rng.choice(names), rng.choice(names)
        ref.append({"from": "user", "value": f"Where is the <st>{a}<ed> {box()}?"})
        ref.append({"from": "gpt", "value": f"The <st>{a}<ed> {box()} is next to the <st>{b}<ed> {box()}."})
    convs.append({"content": ref})
    items.append({"image_id": image_id, "conversations": convs})
json.dump(items, open(f"{work}/svit.json", "w"))
json.dump(image_data, open(f"{work}/image_data.json", "w"))
PY

cat > "$work/ref_stablellava.py" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
out = [{'id': e['id'].zfill(12), 'image': e['image'],
        'conversations': [{'from': 'human', 'value': e['question']}, {'from': 'gpt', 'value': e['answer']}]} for e in data]
json.dump(out, open(sys.argv[2], 'w'))
PY
# expand_to_square's rule (docs/formats.md): every box in every turn to the padded square, chained str.replace,
# json.dump(indent=4). PIL is not installed here, so the image size is read from the JPEG header by hand (the size
# PIL's Image.open reports: the SOF frame size).
cat > "$work/ref_expand.py" <<'PY'
import json, os, re, struct, sys
def size(path):
    with open(path, 'rb') as f:
        data = f.read(65536)
    i = 2
    while i + 9 <= len(data):
        marker = data[i + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack('>HH', data[i + 5:i + 9])
            return w, h
        i += 2 + struct.unpack('>H', data[i + 2:i + 4])[0]
    raise ValueError(path)
pattern = re.compile(r"\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\]")
data = json.load(open(sys.argv[1]))
for item in data:
    w, h = size(os.path.join(sys.argv[2], f"{item['image_id']}.jpg"))
    side = max(w, h)
    for conversation in item['conversations']:
        for qa in conversation['content']:
            value = qa['value']
            for match in pattern.findall(value):
                x1, y1, x2, y2 = [float(v) for v in match[1:-1].split(', ')]
                x1, x2, y1, y2 = round(x1 * w), round(x2 * w), round(y1 * h), round(y2 * h)
                if w > h:
                    y1 += (w - h) // 2; y2 += (w - h) // 2
                else:
                    x1 += (h - w) // 2; x2 += (h - w) // 2
                value = value.replace(match, str([round(x1 / side, 3), round(y1 / side, 3), round(x2 / side, 3), round(y2 / side, 3)]))
            qa['value'] = value
json.dump(data, open(sys.argv[3], 'w'), indent=4)
PY
# convert svit: the same work in plain Python (json.load of both files, a sample per conversation, every box
# re-normalised to the padded square as above, referring markers removed and one of the three instructions added,
# json.dump). The instruction is picked by Python's random here, not by this project's seeded generator, so the
# outputs are compared with the instructions masked (same samples, ids, paths, turns and boxes otherwise).
cat > "$work/ref_svit.py" <<'PY'
import json, random, re, sys
raw, image_data_file, out_file = sys.argv[1], sys.argv[2], sys.argv[3]
sizes, folders = {}, {}
for record in json.load(open(image_data_file)):
    image_id = record.get('image_id', record.get('id'))
    sizes[image_id] = (record['width'], record['height'])
    folders[image_id] = 'VG_100K_2' if '/VG_100K_2/' in record['url'] else 'VG_100K'
instructions = ["Provide the bounding boxes of the mentioned objects.",
                "Include the coordinates for each mentioned object.",
                "Locate the objects with their coordinates."]
pattern = re.compile(r"\[[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\]")
def square(value, w, h):
    side = max(w, h)
    for match in pattern.findall(value):
        x1, y1, x2, y2 = [float(v) for v in match[1:-1].split(', ')]
        x1, x2, y1, y2 = round(x1 * w), round(x2 * w), round(y1 * h), round(y2 * h)
        if w > h:
            y1 += (w - h) // 2; y2 += (w - h) // 2
        else:
            x1 += (h - w) // 2; x2 += (h - w) // 2
        value = value.replace(match, str([round(x1 / side, 3), round(y1 / side, 3), round(x2 / side, 3), round(y2 / side, 3)]))
    return value
out = []
for item in json.load(open(raw)):
    image_id = item['image_id']
    w, h = sizes[image_id]
    for n, conversation in enumerate(item['conversations']):
        content = conversation['content']
        referring = any('<st>' in t['value'] for t in content)
        rng = random.Random(f"{image_id}/{n}")
        turns = []
        for k, t in enumerate(content):
            value = square(t['value'], w, h)
            human = t['from'] == 'user'
            if referring:
                value = value.replace('<st>', '').replace('<ed>', '')
                if human:
                    value += '\n' + rng.choice(instructions)
            if k == 0:
                value = '<image>\n' + value
            turns.append({'from': 'human' if human else 'gpt', 'value': value})
        out.append({'id': f"{image_id}_{n}", 'image': f"vg/{folders[image_id]}/{image_id}.jpg", 'conversations': turns})
json.dump(out, open(out_file, 'w'))
PY

cat "$work/ability.json" "$work/svit.json" >/dev/null
runs=${RUNS:-5}
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
declare -A times
for i in $(seq "$runs"); do
  times[sl_ours]+="$(t $cli convert stablellava --prompt-path "$work/ability.json" --save-path "$work/sl-ours.json") "
  times[sl_py]+="$(t python3 "$work/ref_stablellava.py" "$work/ability.json" "$work/sl-py.json") "
  times[sl_cp]+="$(t cp "$work/ability.json" "$work/copy.json") "
  times[svit_ours]+="$(t $cli convert svit --input-file "$work/svit.json" --image-data "$work/image_data.json" --output-file "$work/svit-ours.json") "
  times[svit_py]+="$(t python3 "$work/ref_svit.py" "$work/svit.json" "$work/image_data.json" "$work/svit-py.json") "
  times[svit_cp]+="$(t cp "$work/svit.json" "$work/copy.json") "
  times[sq_ours]+="$(t $cli expand-to-square --input-file "$work/svit.json" --image-dir "$work/images" --output-file "$work/sq-ours.json") "
  times[sq_py]+="$(t python3 "$work/ref_expand.py" "$work/svit.json" "$work/images" "$work/sq-py.json") "
  times[sq_cp]+="$(t cp "$work/svit.json" "$work/copy.json") "
done
cmp "$work/sl-ours.json" "$work/sl-py.json" && echo "convert stablellava: byte-identical to the Python equivalent"
cmp "$work/sq-ours.json" "$work/sq-py.json" && echo "expand-to-square: byte-identical to the Python equivalent"
python3 - "$work/svit-ours.json" "$work/svit-py.json" <<'PY' && echo "convert svit: identical to the Python equivalent but for the instruction each referring question was given"
import json, sys
masks = ["Provide the bounding boxes of the mentioned objects.", "Include the coordinates for each mentioned object.",
         "Locate the objects with their coordinates."]
def masked(path):
    text = open(path).read()
    for m in masks:
        text = text.replace(m, "#")
    return json.loads(text)
sys.exit(0 if masked(sys.argv[1]) == masked(sys.argv[2]) else 1)
PY
echo "inputs: ability.json $(du -m "$work/ability.json" | cut -f1) MB ($(python3 -c "import json;print(len(json.load(open('$work/ability.json'))))") entries), svit.json $(du -m "$work/svit.json" | cut -f1) MB"
for k in sl svit sq; do
  python3 - "$k" "${times[${k}_ours]}" "${times[${k}_py]}" "${times[${k}_cp]}" <<'PY'
import statistics, sys
name = {"sl": "convert stablellava", "svit": "convert svit", "sq": "expand-to-square"}[sys.argv[1]]
ours, py, cp = ([float(x) for x in a.split()] for a in sys.argv[2:5])
mo, mp, mc = statistics.median(ours), statistics.median(py), statistics.median(cp)
print(f"{name}: ours {mo:.2f} s (runs {', '.join(f'{x:.2f}' for x in ours)}), Python {mp:.2f} s, plain copy {mc:.3f} s; "
      f"Python/ours {mp / mo:.1f}x (per-run ratios {', '.join(f'{p / o:.1f}' for o, p in zip(ours, py))}); ours/copy {mo / mc:.0f}x")
PY
done
