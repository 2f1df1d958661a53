#!/bin/sh
# Compiles the test programs of debugport-analysis (run by the test build in generate-test-resources).
# usage: build.sh OUTDIR    -- callchain.c becomes OUTDIR/callchain-O0, callchain-O2, callchain-nocfi and
#                              callchain-nopie (a fixed-address ET_EXEC, for the symbol tests); params.c (kp's
#                              DWARF tests, also built by debugport-debugger's test build) becomes OUTDIR/params
#                              (-O0, DWARF 5), params-dwarf4, params-O2 (location lists) and params-nodebug (no -g)
set -eu
out=$1
case $0 in */*) src=${0%/*} ;; *) src=. ;; esac
if ! command -v gcc >/dev/null 2>&1; then
  echo "ERROR: gcc not found. The debugport-analysis tests walk the stacks of small C programs that the test build" >&2
  echo "ERROR: compiles from $src; install gcc (Debian/Ubuntu: apt-get install gcc) or skip with -Dmaven.test.skip=true." >&2
  exit 1
fi
mkdir -p "$out"
# build TARGET SOURCE GCC-OPTIONS...: SOURCE.c with -g (a later -g0 drops it) and the options.
build() {
  target=$out/$1
  source=$src/$2.c
  shift 2
  if [ -e "$target" ] && [ "$target" -nt "$source" ] && [ "$target" -nt "$0" ]; then
    return
  fi
  gcc -g -Wall -Werror "$@" -o "$target" "$source"
}
build callchain-O0 callchain -O0
build callchain-O2 callchain -O2 -fomit-frame-pointer
build callchain-nocfi callchain -O0 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables
build callchain-nopie callchain -O0 -no-pie
build params params -O0
build params-dwarf4 params -O0 -gdwarf-4
build params-O2 params -O2
build params-nodebug params -O0 -g0
