#!/usr/bin/env bash
# Runs every test of Skiff: unit tests (Surefire), then the OSGi integration tests in the real
# distribution (Pax Exam) and the system tests with separate Karaf processes (Failsafe).
# Installs what it needs first. Exits non-zero when any test fails.
set -uo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME=$(scripts/deps.sh | tail -n 1) || exit 1
export JAVA_HOME
[ -n "$JAVA_HOME" ] || unset JAVA_HOME
# the system tests drive the machine's libvirtd (qemu:///system) with QEMU under TCG
scripts/libvirt-up.sh || exit 1

# the reference API for the baseline check in bundles/api (see scripts/api-baseline.sh)
scripts/api-baseline.sh || exit 1

mvn -B -ntp ${SKIFF_MVN_ARGS:-} install
status=$?

# One closing line over every Surefire and Failsafe report of the build.
scripts/test-summary.sh
exit $status
