#!/usr/bin/env bash
# Prints a SHA-256 line for every file the offline runs of the recipes write (StableLLaVA, SVIT, LLaVA-Instruct,
# render), so that a restructuring can be checked byte for byte: run it before and after, and diff the two.
# Files that carry the time of the run (manifest.json, run.log, state.db*, logs/) are left out; everything else is listed.
# Usage: bash tests/golden-outputs.sh | diff tests/golden-offline.sha256 -   (the sums of main before issue 13)
set -euo pipefail
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/visinstruct-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Everything runs inside the work folder with relative paths, so the paths the cards name are the same anywhere.
cp -r "$repo/tests/VisInstruct.Tests/Data/reference" "$work/fixtures"
cd "$work"
fixtures=fixtures
dotnet build "$repo/src/VisInstruct.Cli" -c Release -o "$work/bin" -v q -nologo >&2
cli() { dotnet "$work/bin/VisInstruct.Cli.dll" "$@" --quiet >&2; }

cat > vg.yaml <<YAML
annotations:
  vg_image_data: $fixtures/vg/image_data.first2.json
  vg_objects: $fixtures/vg/objects.first2.json
  vg_regions: $fixtures/vg/region_descriptions.first2.json
  vg_attributes: $fixtures/vg/attributes.first2.json
YAML
cat > coco.yaml <<YAML
annotations:
  coco_captions: [$fixtures/coco/captions_train2017.first5.json]
  coco_instances: [$fixtures/coco/instances_train2017.first5.json]
YAML

cli generate --out "out/stablellava" --count 40 --seed 5
cli generate --out "out/stablellava-sharded" --count 12 --seed 9 --shard-index 1 --shard-count 2
cli generate --recipe svit --out "out/svit" --config vg.yaml --seed 3
cli generate --recipe llava-instruct --out "out/llava-instruct" --config coco.yaml --seed 8
cli render --prompt-path "$fixtures/stablellava/dataset/vehicle.first50.json" --save-path "out/render" --seed 2

cd out
find . -type f ! -name 'manifest.json' ! -name 'state.db*' ! -name 'run.log' ! -path '*/logs/*' -print0 | sort -z | xargs -0 sha256sum
