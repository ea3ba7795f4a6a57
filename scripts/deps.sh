#!/bin/sh
# Installs the Debian packages a bdc target needs, when they are missing.
# usage: scripts/deps.sh GROUP...
#   (groups: build test data bench plots cross reference fuzz valgrind)
# An entry PACKAGE:COMMAND is satisfied by COMMAND on the PATH too (npm often
# comes with a nodejs that is not Debian's).  An entry PACKAGE@ARCH is the
# package of another Debian architecture (multiarch); the architecture is
# added to dpkg first when it is missing.
set -eu

packages_for() {
    case "$1" in
    build)     echo "gcc make pkg-config libsimde-dev libhwloc-dev zlib1g-dev" ;;
    test)      echo "check python3:python3" ;;
    data)      echo "npm:npm dataset-fashion-mnist" ;;
    bench)     echo "g++ libbenchmark-dev python3:python3" ;;
    plots)     echo "gnuplot-nox" ;;
    cross)     echo "gcc-aarch64-linux-gnu qemu-user check@arm64" ;;
    reference) echo "python3-numpy python3-sklearn libopenblas0-pthread" ;;
    fuzz)      echo "clang libclang-rt-14-dev" ;;
    valgrind)  echo "valgrind" ;;
    *) echo "scripts/deps.sh: unknown group '$1'" >&2; exit 2 ;;
    esac
}

# Sets $missing and $foreign from the groups on the command line.
find_missing() {
    missing=""
    foreign=""
    for group in "$@"; do
        for entry in $(packages_for "$group"); do
            p=${entry%%:*}
            cmd=${entry#*:}
            if [ "$cmd" != "$entry" ] && command -v "$cmd" >/dev/null 2>&1; then
                continue
            fi
            case "$p" in
            *@*) arch=${p#*@}; p="${p%@*}:$arch" ;;
            *) arch="" ;;
            esac
            if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
                missing="$missing $p"
                if [ -n "$arch" ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
                    foreign="$foreign $arch"
                fi
            fi
        done
    done
}

find_missing "$@"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "bdc: missing Debian packages:$missing" >&2
    for arch in $foreign; do
        echo "bdc: first: sudo dpkg --add-architecture $arch && sudo apt-get update" >&2
    done
    echo "bdc: install them (e.g. sudo apt-get install$missing) and run make again" >&2
    exit 1
fi
# make -j runs several of these at once, and apt allows one at a time: wait
# for any other bdc install, then look again at what it left missing.
exec 9>/var/lock/bdc-deps.lock
flock 9
find_missing "$@"
[ -z "$missing" ] && exit 0
echo "bdc: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
for arch in $foreign; do
    echo "bdc: adding the Debian architecture $arch (dpkg --add-architecture)" >&2
    dpkg --add-architecture "$arch"
done
apt-get update -qq
if ! apt-get install -y -qq $missing >/dev/null; then
    echo "bdc: could not install$missing with apt-get; install them by hand" >&2
    exit 1
fi
