#!/usr/bin/env bash
# COCO captions read benchmark: CocoFiles.ReadCaptions (withImages: true, every image wanted) over a generated
# captions file of about 40 MB, for two source trees side by side: each tree's src/VisInstruct is built in Release
# under a small harness (in WORKDIR) that calls the internal reader by reflection, so the same harness measures any
# revision with that method. The runs alternate between the trees, one process per run; each prints the read's time
# in that process (first read, JIT included, as in a CLI run) and the median of 3 more reads (warm).
#   bash bench/run-coco-read.sh OLD_TREE [NEW_TREE (default: this tree)] [WORKDIR (default /tmp/bench-coco)]
# e.g. git worktree add /tmp/coco-old d8f321b^ && bash bench/run-coco-read.sh /tmp/coco-old; git worktree remove /tmp/coco-old
# RUNS (default 9) runs per tree; the file is deleted at the end unless KEEP=1. ARRAY=1 measures the array reader
# instead (the convert path's JsonRecordReader.Open + TryRead): the same captions, as one top-level JSON array.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(cd "${1:?usage: run-coco-read.sh OLD_TREE [NEW_TREE] [WORKDIR]}" && pwd)
new=$(cd "${2:-.}" && pwd)
work=${3:-/tmp/bench-coco}
runs=${RUNS:-9}
mode=""
mkdir -p "$work"
[ "${KEEP:-0}" = 1 ] || trap 'rm -f "$work/captions_train2017.json" "$work/annotations.array.json"' EXIT
file="$work/captions_train2017.json"
[ -f "$file" ] || python3 - "$file" <<'PY'
import json, random, sys
rng = random.Random(20231202)
words = ("a man woman dog cat sitting standing on in of with the next to table street red blue white black large small "
         "plate pizza bus train clock tower kitchen bathroom sink toilet bed room field grass tennis player skateboard "
         "surfboard wave beach umbrella people group giraffe elephant zebra horse riding holding looking at window").split()
images = 50000
ids = sorted(rng.sample(range(1, 600000), images))
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write('{"info": {"description": "COCO 2017 Dataset", "url": "http://cocodataset.org", "version": "1.0", '
            '"year": 2017, "contributor": "COCO Consortium", "date_created": "2017/09/01"}, "licenses": [')
    f.write(", ".join(json.dumps({"url": f"http://creativecommons.org/licenses/by-nc-sa/2.0/{i}", "id": i,
                                  "name": "Attribution-NonCommercial-ShareAlike License"}) for i in range(1, 9)))
    f.write('], "images": [')
    for n, i in enumerate(ids):
        w, h = rng.choice([(640, 480), (640, 427), (480, 640), (500, 375), (640, 360)])
        f.write((", " if n else "") + json.dumps({
            "license": rng.randint(1, 8), "file_name": f"{i:012d}.jpg",
            "coco_url": f"http://images.cocodataset.org/train2017/{i:012d}.jpg", "height": h, "width": w,
            "date_captured": f"2013-11-{rng.randint(10, 28)} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
            "flickr_url": f"http://farm{rng.randint(1, 9)}.staticflickr.com/{rng.randint(1000, 9999)}/{rng.randint(10**9, 10**10)}_z.jpg",
            "id": i}))
    f.write('], "annotations": [')
    caption_id = 1
    captions = [(i, k) for i in ids for k in range(5)]
    rng.shuffle(captions)  # as in the release, an image's captions are spread over the file
    for n, (i, _) in enumerate(captions):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(8, 16)))
        f.write((", " if n else "") + json.dumps({"image_id": i, "id": caption_id, "caption": text[0].upper() + text[1:] + "."}))
        caption_id += rng.randint(1, 3)
    f.write("]}")
PY
if [ "${ARRAY:-0}" = 1 ]; then
  [ -f "$work/annotations.array.json" ] || python3 -c \
    'import json,sys; json.dump(json.load(open(sys.argv[1]))["annotations"], open(sys.argv[2], "w"))' \
    "$file" "$work/annotations.array.json"
  file="$work/annotations.array.json"
  mode=array
fi
echo "# file: $file, $(stat -c %s "$file") bytes"

for side in old new; do
  tree=${!side}
  mkdir -p "$work/harness-$side"
  cat > "$work/harness-$side/Harness.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$tree/src/VisInstruct/VisInstruct.csproj" />
  </ItemGroup>
</Project>
XML
  cat > "$work/harness-$side/Program.cs" <<'CS'
using System.Diagnostics;
using System.Reflection;

var read = typeof(VisInstruct.Annotations.AnnotationSet).Assembly.GetType("VisInstruct.Annotations.CocoFiles")!
    .GetMethod("ReadCaptions", BindingFlags.Public | BindingFlags.Static)!;
Func<long, bool> all = _ => true;
double Once(out string what)
{
    var clock = Stopwatch.StartNew();
    if (args.Length > 1 && args[1] == "array")
    {
        using var records = VisInstruct.Json.JsonRecordReader.Open(args[0]);
        long bytes = 0;
        while (records.TryRead(out var record))
        {
            bytes += record.Utf8.Length;
        }

        what = $"{records.RecordsRead} records, {bytes} bytes";
        return clock.Elapsed.TotalMilliseconds;
    }

    object result = read.Invoke(null, [args[0], true, all, CancellationToken.None])!;
    double ms = clock.Elapsed.TotalMilliseconds;
    var type = result.GetType();
    var images = (System.Collections.ICollection)type.GetProperty("Images")!.GetValue(result)!;
    what = $"{type.GetProperty("Annotations")!.GetValue(result)} captions, {images.Count} images";
    return ms;
}

double first = Once(out string what);
var warm = new[] { Once(out _), Once(out _), Once(out _) };
Array.Sort(warm);
Console.WriteLine($"{first:F0} {warm[1]:F0} {what}");
CS
  dotnet build -c Release "$work/harness-$side" -v q -nologo >/dev/null
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
echo "# machine: $(nproc) cores, $cpu, $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version)"
dirty=$(git -C "$new" diff --quiet HEAD -- src || echo ', with uncommitted changes')
echo "# old: $old ($(git -C "$old" rev-parse --short HEAD)), new: $new ($(git -C "$new" rev-parse --short HEAD)$dirty)"
cat "$file" >/dev/null  # page cache warm for both sides
for r in $(seq "$runs"); do
  for side in old new; do
    out=$(dotnet "$work/harness-$side/bin/Release/net10.0/Harness.dll" "$file" ${mode:-})
    echo "$side $out  | $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/results.$$"
  done
done
python3 - "$work/results.$$" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for side in ("old", "new"):
    first = [float(r[1]) for r in rows if r[0] == side]
    warm = [float(r[2]) for r in rows if r[0] == side]
    med[side] = (statistics.median(first), statistics.median(warm))
    print(f"{side}: median first read {med[side][0]:.0f} ms, median warm read {med[side][1]:.0f} ms ({len(first)} runs)")
print(f"ratio new/old: first read {med['new'][0] / med['old'][0]:.3f}, warm read {med['new'][1] / med['old'][1]:.3f}")
PY
rm -f "$work/results.$$"
