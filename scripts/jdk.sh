# Sourced by ./debugport and ./run-tests: finds a JDK >= 22 (the FFM API is final there; the build targets 25)
# and exports JAVA_HOME. Looks at JAVA_HOME first, then every JDK under /usr/lib/jvm, newest first.

java_major() { # prints the feature version of "$1/bin/java", or 0
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
  case "$v" in ''|*[!0-9.]*) echo 0 ;; 1.*) echo "${v#1.}" | cut -d. -f1 ;; *) echo "${v%%.*}" ;; esac
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
