#!/usr/bin/env bash
# Lays out the application for Flink application mode in a Flink home folder, from the Spring Boot jar:
#
#   <flink home>/usrlib/<name>.jar       the application's classes (its manifest's Class-Path names lib/*)
#   <flink home>/usrlib/lib/*.jar        the libraries a Flink distribution does not have
#   <flink home>/plugins/cloudflow-metrics/  the metric reporter that serves cloudflow_streamlet_* series
#
# Used by config/Dockerfile (target `flink`) and by sample-app's ApplicationModeIT, so the test runs
# exactly the layout the image ships. Flink itself (with the RocksDB state backend's native library) and
# the logging backends (Flink logs with Log4j 2) are left out. Give it the production jar: it has no Kafka broker or test library to leave out (the
# -dev jar, which has the embedded broker, is refused).
#
# Usage: application-layout.sh <app.jar> <flink home> [<application jar name>]
set -euo pipefail
app_jar="$1"
flink_home="$2"
name="${3:-application.jar}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

java -Djarmode=tools -jar "$app_jar" extract --destination "$work/extracted" --application-filename "$name" >/dev/null
if compgen -G "$work/extracted/lib/spring-kafka-test-*.jar" >/dev/null; then
  echo "$app_jar has the embedded Kafka broker (spring-kafka-test): lay out the production jar, not the -dev one" >&2
  exit 1
fi
usrlib="$flink_home/usrlib"
plugin="$flink_home/plugins/cloudflow-metrics"
mkdir -p "$usrlib/lib" "$plugin"
cp "$work/extracted/$name" "$usrlib/"
for jar in "$work"/extracted/lib/*.jar; do
  file="$(basename "$jar")"
  case "$file" in
    flink-connector-*|flink-avro-*|flink-sql-avro-*) cp "$jar" "$usrlib/lib/" ;;
    # frocksdbjni: the RocksDB state backend's native library, in flink-dist next to the backend
    flink-*|frocksdbjni-*|logback-*|log4j-*|slf4j-*|jul-to-slf4j-*) ;;
    *) cp "$jar" "$usrlib/lib/" ;;
  esac
  # the reporter plugin: its own jar and Micrometer's Prometheus registry, in a class loader of their own
  case "$file" in
    cloudflow-flink-metrics-*|micrometer-core-*|micrometer-commons-*|micrometer-observation-*|micrometer-registry-prometheus-*|prometheus-metrics-*|HdrHistogram-*|LatencyUtils-*)
      cp "$jar" "$plugin/" ;;
  esac
done
echo "usrlib: $(ls "$usrlib/lib" | wc -l) libraries; plugin: $(ls "$plugin" | wc -l) jars"
