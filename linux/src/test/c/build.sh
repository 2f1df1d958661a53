#!/bin/sh
# Compiles the test programs of debugport-linux (run by the test build in generate-test-resources).
# usage: build.sh OUTDIR    -- every X.c becomes OUTDIR/X, every libX.c becomes OUTDIR/libX.so
set -eu
out=$1
case $0 in */*) src=${0%/*} ;; *) src=. ;; esac
if ! command -v gcc >/dev/null 2>&1; then
  echo "ERROR: gcc not found. The debugport-linux tests drive small C programs that the test build compiles" >&2
  echo "ERROR: from $src; install gcc (Debian/Ubuntu: apt-get install gcc) or skip with -Dmaven.test.skip=true." >&2
  exit 1
fi
mkdir -p "$out"
for c in "$src"/*.c; do
  name=${c##*/}
  name=${name%.c}
  case $name in
    lib*) target=$out/$name.so ;;
    *) target=$out/$name ;;
  esac
  if [ -e "$target" ] && [ "$target" -nt "$c" ] && [ "$target" -nt "$src/common.h" ]; then
    continue
  fi
  case $name in
    lib*) gcc -O0 -g -Wall -Werror -shared -fPIC -o "$target" "$c" ;;
    *) gcc -O0 -g -Wall -Werror -o "$target" "$c" -pthread -ldl ;;
  esac
done
