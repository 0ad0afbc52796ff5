#!/usr/bin/env bash
# Proves that a plain clone passes its tests: clones this repository's committed HEAD into an empty temporary
# folder (no ../shared beside it), and runs the README's test command there with VISINSTRUCT_REFERENCE unset.
# Tests that need other projects' prompt text are skipped (with the reason); none may fail.
# Ends with one line "N passed, N failed, N skipped" and exits non-zero on any failure.
# KEEP=1 keeps the temporary folder and says where it is.
set -euo pipefail
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
head=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain)" ]; then
    echo "fresh-clone: note: uncommitted changes are not part of the test; it runs the committed HEAD $head" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/visinstruct-fresh-clone.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
    echo "fresh-clone: keeping $work" >&2
else
    trap 'rm -rf "$work"' EXIT
fi

git clone --quiet --no-checkout "$repo" "$work/visinstruct"
git -C "$work/visinstruct" checkout --quiet --detach "$head"
if [ -e "$work/shared" ] || [ "$(ls -A "$work")" != visinstruct ]; then
    echo "fresh-clone: the clone's folder is not alone in $work" >&2
    exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log="$work/test.log"
set +e
# The README's command; the TRX report only adds a record of each skip's reason, listed below.
(cd "$work/visinstruct" && env -u VISINSTRUCT_REFERENCE dotnet test VisInstruct.slnx --logger trx --results-directory "$work/results") 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if ls "$work"/results/*.trx >/dev/null 2>&1; then
    echo "fresh-clone: skipped tests by reason:"
    cat "$work"/results/*.trx | { grep -o '<Message>needs VISINSTRUCT_REFERENCE[^<]*' || true; } | sed 's/<Message>/  /' | sort | uniq -c
fi

passed=$({ grep -Eo 'Passed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
failed=$({ grep -Eo 'Failed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
skipped=$({ grep -Eo 'Skipped: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1 # the build or the runner failed before any test result was reported
fi
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
    echo "fresh-clone: no test ran" >&2
    status=1
fi
echo "fresh-clone: tested $head in $work/visinstruct"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
