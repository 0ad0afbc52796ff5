#!/usr/bin/env bash
# Annotations benchmark (issue 7): a Visual Genome-scale SVIT input set (image_data, objects, region_descriptions in the
# released schemas and key order, plus a COCO captions file for about half the images), opened as an AnnotationSet
# (index pass, then one RandomAccess read per image) with every image's SVIT context text built; against Python
# json.load of the same files; then the whole SVIT recipe offline (generate --recipe svit, procedural question engine)
# on the first IMAGES images (default 10000), end to end. The files (about 1.2 GB) are deleted at the end unless KEEP=1.
#   bash bench/run-annotations.sh [WORKDIR (default /tmp/bench-ann)]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/bench-ann}
mkdir -p "$work"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
dotnet build -c Release bench/VisInstruct.Bench >/dev/null
dotnet build -c Release src/VisInstruct.Cli >/dev/null
bench=bench/VisInstruct.Bench/bin/Release/net10.0/VisInstruct.Bench
cli="dotnet src/VisInstruct.Cli/bin/Release/net10.0/VisInstruct.Cli.dll"

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version), $(python3 --version)"
[ -f "$work/region_descriptions.json" ] || $bench make-annotations --out "$work"
files=("$work/image_data.json" "$work/objects.json" "$work/region_descriptions.json" "$work/captions_train2017.json")
cat "${files[@]}" >/dev/null  # page cache warm for both sides
for threads in 2 1; do
  /usr/bin/time -f "  process: %e s wall, peak RSS %M KB" $bench annotations --dir "$work" --threads $threads
done
/usr/bin/time -f "python json.load of the same files: %e s wall, peak RSS %M KB" \
  python3 -c 'import json,sys; [json.load(open(f)) for f in sys.argv[1:]]' "${files[@]}"

images=${IMAGES:-10000}
cat > "$work/run.yaml" <<YAML
annotations:
  vg_image_data: $work/image_data.json
  vg_objects: $work/objects.json
  vg_regions: $work/region_descriptions.json
  coco_captions: [$work/captions_train2017.json]
YAML
rm -rf "$work/svit-out"
/usr/bin/time -f "generate --recipe svit, $images images x 4 tasks (procedural), end to end: %e s wall, peak RSS %M KB" \
  $cli generate --recipe svit --config "$work/run.yaml" --out "$work/svit-out" --count "$images" --quiet --seed 1
ls -l "$work/svit-out/llava.json" "$work/svit-out/svit/svit.json" | awk '{print "  " $5 " bytes " $9}'
