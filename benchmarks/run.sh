#!/bin/sh
# Runs every Skiff benchmark once and prints all figures with the machine they ran on:
# the Core benchmarks (journal fsync commits, task engine) and the start-up/memory benchmark of the
# distribution (cold start, warm restart, heap, RSS). See benchmarks/README.md.
#
#   benchmarks/run.sh [--images] [--scale] [--state-at-scale] [--rest-load] [--transport] [--migration] [--failover] [extra -D options for Maven, e.g. -Dbench.runs=5 -Dbench.dir=/other/disk]
#
# --transport also runs the cluster transport's request round trips (io.skiff.benchmarks.TransportBenchmark: two nodes
# on 127.0.0.1); with -Dskiff.bench.transport.before=<classes dir or jar of another skiff-transport build> it
# compares that build with this one, in turns.
#
# --migration also runs the migration benchmark (io.skiff.benchmarks.MigrationBenchmark: the multi-host test bed of
# scripts/testbed.sh with two hosts and an NFS server, the real distribution on both; create on NFS, live migration
# through Skiff beside plain virsh migrate; ~6 min, needs root).
#
# --failover also runs the failover benchmark (io.skiff.benchmarks.FailoverBenchmark: the multi-host test bed with three
# hosts and an NFS server; detection and recovery after a host crash and after a cut link, 10 runs each
# (-Dskiff.bench.failovers=N), beside moving the domain by hand with virsh; ~25 min, needs root).
#
# --scale also runs the scale SIMULATION (io.skiff.benchmarks.ScaleSimulation: the real Core and simulated cells on
# libvirt's test:/// driver, JGroups on 127.0.0.1) last, with its defaults (10 cells, 1,000 instances, ~2 min) or
# the -Dskiff.scale.* options given.
# --state-at-scale also runs io.skiff.benchmarks.StateAtScaleBenchmark (the distribution holding 100,000 instance
# records: restart, heap, lists and metrics through REST; ~5 min), --rest-load io.skiff.benchmarks.RestLoadBenchmark
# (the distribution with SIMULATED cells, libvirt's test:/// driver, in a second JVM: creates and lists through REST;
# ~4 min with its defaults); both with the -Dbench.* options given.
#
# Needs the project installed (mvn -B -o -q install -DskipTests from the root): the benchmarks use
# skiff-core from the local repository and StartupBenchmark starts karaf-assembly/target/skiff-assembly-*.tar.gz.
set -eu
cd "$(dirname "$0")/.."

SCALE=0
STATE=0
REST_LOAD=0
IMAGES=0
TRANSPORT=0
MIGRATION=0
FAILOVER=0
while [ "${1:-}" = "--scale" ] || [ "${1:-}" = "--images" ] || [ "${1:-}" = "--transport" ] \
        || [ "${1:-}" = "--migration" ] || [ "${1:-}" = "--failover" ] || [ "${1:-}" = "--state-at-scale" ] \
        || [ "${1:-}" = "--rest-load" ]; do
    [ "$1" = "--scale" ] && SCALE=1
    [ "$1" = "--state-at-scale" ] && STATE=1
    [ "$1" = "--rest-load" ] && REST_LOAD=1
    [ "$1" = "--images" ] && IMAGES=1
    [ "$1" = "--transport" ] && TRANSPORT=1
    [ "$1" = "--migration" ] && MIGRATION=1
    [ "$1" = "--failover" ] && FAILOVER=1
    shift
done

if ! ls karaf-assembly/target/skiff-assembly-*.tar.gz >/dev/null 2>&1; then
    echo "No distribution in karaf-assembly/target; building it (mvn -B -o -q install -DskipTests) ..."
    mvn -B -o -q install -DskipTests || mvn -B -q install -DskipTests
fi

echo "=== Core benchmarks ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
mvn -B -q -Dstyle.color=never -f benchmarks/pom.xml compile exec:java "$@"
echo
echo "=== Start-up benchmark ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
mvn -B -q -Dstyle.color=never -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.StartupBenchmark "$@"
if [ "$IMAGES" = 1 ]; then
    echo
    echo "=== Images: linked clone vs full copy, qemu:///system ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
    mvn -B -q -Dstyle.color=never -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.ImageCloneBenchmark "$@"
fi
if [ "$TRANSPORT" = 1 ]; then
    echo
    echo "=== Transport: request round trips on 127.0.0.1 ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
    mvn -B -q -Dstyle.color=never -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.TransportBenchmark "$@"
fi
if [ "$MIGRATION" = 1 ]; then
    echo
    echo "=== Migration: two hosts of the test bed, disks on NFS ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
    mvn -B -q -Dstyle.color=never -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.MigrationBenchmark "$@"
fi
if [ "$FAILOVER" = 1 ]; then
    echo
    echo "=== Failover: three hosts of the test bed, disks on NFS ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
    mvn -B -q -Dstyle.color=never -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.FailoverBenchmark "$@"
fi
if [ "$STATE" = 1 ]; then
    echo
    echo "=== A Core holding 100,000 instance records ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
    mvn -B -q -Dstyle.color=never -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.StateAtScaleBenchmark "$@"
fi
if [ "$REST_LOAD" = 1 ]; then
    echo
    echo "=== REST load, cells a SIMULATION on libvirt test:/// ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
    mvn -B -q -Dstyle.color=never -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.RestLoadBenchmark "$@"
fi
if [ "$SCALE" = 1 ]; then
    echo
    echo "=== Scale SIMULATION, libvirt test:/// driver ($(date -u '+%Y-%m-%d %H:%M UTC')) ==="
    mvn -B -q -Dstyle.color=never -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.skiff.benchmarks.ScaleSimulation "$@"
fi
