# Shared by the Java benches: finds a JDK 21+ (bin/tandem's find_jdk), compiles main and test classes offline,
# and sets BENCH_CP to the test classpath. Sourced, not run.
#
# The classpath comes from `mvn dependency:build-classpath` when the dependency plugin resolves offline; when it
# does not (it needs artifacts that are not in every local repository), from the shaded target/tandem.jar
# (`mvn package -DskipTests`), which holds the main classes and every runtime dependency the benches use.

bench_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

bench_build() {
  # shellcheck source=/dev/null
  source "$bench_repo/bin/tandem"   # only defines its functions when sourced
  JAVA_HOME=$(find_jdk)
  export JAVA_HOME
  local cpfile log
  cpfile=$(mktemp /tmp/tandem-bench-cp.XXXXXX)
  log=$(mktemp /tmp/tandem-bench-mvn.XXXXXX)
  echo "bench: compiling (mvn -q -B test-compile, offline first, JAVA_HOME=$JAVA_HOME)" >&2
  # offline first (no update checks); online when the local repository lacks a plugin (a fresh machine)
  if ! (cd "$bench_repo" && { mvn -q -B -o test-compile || mvn -q -B test-compile; }) >"$log" 2>&1; then
    grep -v '^WARNING: ' "$log" >&2; rm -f "$cpfile" "$log"; return 1
  fi
  if (cd "$bench_repo" && mvn -q -B -o org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
        -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test) >"$log" 2>&1 && [[ -s "$cpfile" ]]; then
    BENCH_CP="$bench_repo/target/test-classes:$bench_repo/target/classes:$(cat "$cpfile")"
  else
    echo "bench: dependency:build-classpath does not resolve offline; using target/tandem.jar (mvn -q -B package -DskipTests)" >&2
    if ! (cd "$bench_repo" && { mvn -q -B -o package -DskipTests || mvn -q -B package -DskipTests; }) >"$log" 2>&1; then
      grep -v '^WARNING: ' "$log" >&2; rm -f "$cpfile" "$log"; return 1
    fi
    BENCH_CP="$bench_repo/target/test-classes:$bench_repo/target/tandem.jar"
  fi
  rm -f "$cpfile" "$log"
  export BENCH_CP
}
