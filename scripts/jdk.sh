# Sourced by ./debugport, ./run-tests and the bench/ scripts: finds a JDK of a given feature version or newer
# (locate_jdk sets found_jdk; find_jdk prints it); the callers set JAVA_HOME from it. Looks at JAVA_HOME first, then
# every JDK under /usr/lib/jvm, newest first.
# The version comes from the JDK's `release` file, read with shell builtins: starting a JVM to ask it costs
# 50-100 ms per candidate, which the launcher's start-up cannot afford. The functions set variables instead of
# printing (no command substitution): each $(...) forks a subshell, about a millisecond of the launcher's start-up.

jdk_major() { # sets jdk_major_version to the feature version of the JDK at "$1", or 0
  local v="" line
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v//\"/}; break ;; esac
    done <"$1/release"
  fi
  if [ -z "$v" ]; then # no release file: ask the JVM
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
  fi
  case "$v" in
    ''|*[!0-9.]*) jdk_major_version=0 ;;
    1.*) v=${v#1.}; jdk_major_version=${v%%.*} ;;
    *) jdk_major_version=${v%%.*} ;;
  esac
}

locate_jdk() { # sets found_jdk to a JDK of feature version "$1" (default 25) or newer; fails if there is none
  local need=${1:-25} best="" best_v=0 cand
  found_jdk=""
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    jdk_major "$JAVA_HOME"
    if [ "$jdk_major_version" -ge "$need" ]; then found_jdk=$JAVA_HOME; return 0; fi
  fi
  for cand in /usr/lib/jvm/*; do
    [ -x "$cand/bin/javac" ] || continue
    jdk_major "$cand"
    if [ "$jdk_major_version" -ge "$need" ] && [ "$jdk_major_version" -gt "$best_v" ]; then
      best=$cand
      best_v=$jdk_major_version
    fi
  done
  [ -n "$best" ] || return 1
  found_jdk=$best
}

find_jdk() { # prints what locate_jdk finds (for scripts that are not timed)
  locate_jdk "$@" && echo "$found_jdk"
}
