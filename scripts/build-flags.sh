#!/bin/sh
# Writes the C header that records how bdc is built (read by
# harness/build_info.c for meta.json), and only when its text changes, so
# that make rebuilds exactly the file that prints it.
# usage: scripts/build-flags.sh OUT CC CFLAGS FAMILY_FLAGS LDFLAGS
set -eu
out=$1
esc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
# Google Benchmark's version, when its pkg-config file is installed.
bench=$(pkg-config --modversion benchmark 2>/dev/null || true)
{
    printf '#define BDC_BUILD_CC "%s"\n' "$(esc "$2")"
    printf '#define BDC_BUILD_CFLAGS "%s"\n' "$(esc "$3")"
    printf '#define BDC_BUILD_FAMILY_FLAGS "%s"\n' "$(esc "$4")"
    printf '#define BDC_BUILD_LDFLAGS "%s"\n' "$(esc "$5")"
    printf '#define BDC_BUILD_BENCHMARK "%s"\n' "$(esc "$bench")"
} >"$out.new"
if cmp -s "$out.new" "$out"; then rm -f "$out.new"; else mv "$out.new" "$out"; fi
