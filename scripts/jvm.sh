# The JVM options of every debugport run, and where the launcher keeps its jar and start-up cache; sourced, with
# $root set to the repository, by the launcher (../debugport) and by bench/lib.sh, whose Java side runs with them
# and with that cache, so that the benchmarks measure the JVM users get.
cli_jar="$root/cli/target/debugport.jar"
cli_aot="$root/cli/target/debugport.aot" # made by the launcher once per build (see ../debugport)
# Added to the options to run with the cache (quietly: a cache the JVM finds stale is ignored without a word).
aot_options=(-XX:AOTCache="$cli_aot" -Xlog:aot=off -Xlog:cds=off)
# C1 only (TieredStopAtLevel=1): C2's compilations cost a short run ~60 ms (measured on `run -- /bin/true`), more
# than C2 gives back in an event loop bound by ptrace stops. C1's own thresholds stay: raising them 20 times cut the
# CPU time of `run -- /bin/true` from ~220 to ~180 ms on a loaded machine but made 10,000 single steps (bench/step-loop)
# ~1 s slower, their loops running interpreted, and on a quiet machine the start-up's wall time was the same
# (0.112-0.118 s either way, gdb 0.146-0.151 s). The AOT cache's profiles are not replayed
# (-AOTReplayTraining): replaying them compiles at start-up what the training run compiled, ~30 ms of CPU more.
# The cache is mapped where it was written (ArchiveRelocationMode=0; the JVM relocates it only if that address is
# taken) instead of at a random address, which costs the start-up 5-10 ms of pointer patching. No perf-data file
# (-UsePerfData): nothing to map.
jvm_options=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining
  -XX:ArchiveRelocationMode=0 -XX:-UsePerfData)
