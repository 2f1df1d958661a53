# Sourced by bench/int3-loop, breakpoint-loop, attach-many, startup: finds the JDK, builds the bench jar (quietly),
# prepares the JVM that ./debugport runs (product_jvm) for the Java side,
# compiles the C programs of bench/c into bench/target/native, and gives a nanosecond clock.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/jdk.sh"
JAVA_HOME=$(find_jdk 25) || { echo "bench: no JDK 25 found" >&2; exit 2; }
export JAVA_HOME
out="$root/bench/target/native"
mkdir -p "$out"
build_jar() {
  (cd "$root" && mvn -B -q -DskipTests install -pl bench -am >"$out/mvn.log" 2>&1) || { tail -n 30 "$out/mvn.log" >&2; exit 2; }
}
# The JVM `./debugport` runs: its options (scripts/jvm.sh), its jar and its start-up cache, which the launcher makes
# (or brings up to date) on this first run. Measures of the tool (bench/attach-many) run their Java side with it
# (clibench), the bench classes appended to the class path.
product_jvm() {
  "$root/debugport" run -- /bin/true >"$out/launcher.log" 2>&1 || { tail -n 30 "$out/launcher.log" >&2; exit 2; }
  . "$root/scripts/jvm.sh"
  product_java=("$JAVA_HOME/bin/java" "${jvm_options[@]}")
  [ -f "$cli_aot" ] && product_java+=("${aot_options[@]}")
  product_cp=$cli_jar
}
cc_() { # cc_ NAME SOURCE FLAGS...
  local name=$1 src=$2; shift 2
  gcc -O2 -o "$out/$name" "$root/bench/c/$src" "$@"
}
need_gdb() {
  command -v gdb >/dev/null || { echo "bench: gdb not found (apt-get install -y gdb)" >&2; exit 2; }
}
# NativeBench as a program that uses debugport's API runs: a default JVM (the event loops of bench/int3-loop and
# bench/breakpoint-loop, which measure the API).
nativebench() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$root/bench/target/benchmarks.jar" \
    dev.debugport.bench.NativeBench "$@"
}
# NativeBench in the JVM `./debugport` runs (after product_jvm).
clibench() {
  "${product_java[@]}" -cp "$product_cp:$root/bench/target/classes" dev.debugport.bench.NativeBench "$@"
}
now_ns() { date +%s%N; }
field() { # field KEY LINE: the value of KEY=... in a RESULT line
  sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"
}
rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }
