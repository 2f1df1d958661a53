# Sourced by ./debugport and ./run-tests: finds a JDK >= 22 (the FFM API is final there; the build targets 25)
# and exports JAVA_HOME. Looks at JAVA_HOME first, then every JDK under /usr/lib/jvm, newest first.
# The version comes from the JDK's `release` file, read with shell builtins: starting a JVM to ask it costs
# 50-100 ms per candidate, which the launcher's start-up cannot afford.

java_major() { # prints the feature version of the JDK at "$1", or 0
  local v="" line
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v//\"/}; break ;; esac
    done <"$1/release"
  fi
  if [ -z "$v" ]; then # no release file: ask the JVM
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
  fi
  case "$v" in ''|*[!0-9.]*) echo 0 ;; 1.*) v=${v#1.}; echo "${v%%.*}" ;; *) echo "${v%%.*}" ;; esac
}

find_jdk() {
  local need=${1:-25} best="" best_v=0 cand v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(java_major "$JAVA_HOME")
    if [ "$v" -ge "$need" ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for cand in /usr/lib/jvm/*; do
    [ -x "$cand/bin/javac" ] || continue
    v=$(java_major "$cand")
    if [ "$v" -ge "$need" ] && [ "$v" -gt "$best_v" ]; then best=$cand; best_v=$v; fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}
