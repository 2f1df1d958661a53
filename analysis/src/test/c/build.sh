#!/bin/sh
# Compiles the test programs of debugport-analysis (run by the test build in generate-test-resources).
# usage: build.sh OUTDIR    -- callchain.c becomes OUTDIR/callchain-O0, callchain-O2, callchain-nocfi and
#                              callchain-nopie (a fixed-address ET_EXEC, for the symbol tests)
set -eu
out=$1
case $0 in */*) src=${0%/*} ;; *) src=. ;; esac
if ! command -v gcc >/dev/null 2>&1; then
  echo "ERROR: gcc not found. The debugport-analysis tests walk the stacks of small C programs that the test build" >&2
  echo "ERROR: compiles from $src; install gcc (Debian/Ubuntu: apt-get install gcc) or skip with -Dmaven.test.skip=true." >&2
  exit 1
fi
mkdir -p "$out"
build() {
  target=$out/$1
  shift
  if [ -e "$target" ] && [ "$target" -nt "$src/callchain.c" ] && [ "$target" -nt "$0" ]; then
    return
  fi
  gcc -g -Wall -Werror "$@" -o "$target" "$src/callchain.c"
}
build callchain-O0 -O0
build callchain-O2 -O2 -fomit-frame-pointer
build callchain-nocfi -O0 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables
build callchain-nopie -O0 -no-pie
