#!/usr/bin/env bash
# Installs the reference build of skiff-api that the build's baseline step (bnd, via maven-bundle-plugin's
# `baseline` goal in bundles/api) compares the current API with: io.skiff:skiff-api:${SKIFF_API_BASELINE_VERSION}.
#
# There is no released skiff-api on Maven Central yet, so the reference is the API as of a fixed commit of this
# repository (SKIFF_API_BASELINE_COMMIT), built from `git archive` and installed into the local Maven repository under
# a version that sorts before the current snapshot. The default is the last commit before the split of InstanceService
# into capability interfaces (io.skiff.api.service 0.3.0 -> 1.0.0, issue 14), so that the check sees that break as the
# major change it is; before, it was the last commit of session 1 (3f1937c, installed as 0.1.0-m1). Moving the
# reference means a new VERSION too (and skiff.api.baseline in bundles/api/pom.xml). When a release exists, point the
# baseline at it instead and drop this script.
#
# Extra Maven arguments (e.g. -Dmaven.repo.local=...) come from SKIFF_MVN_ARGS, as for scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

COMMIT=${SKIFF_API_BASELINE_COMMIT:-03bf3c3}
VERSION=${SKIFF_API_BASELINE_VERSION:-0.1.0-m2}

if ! git rev-parse -q --verify "$COMMIT^{commit}" >/dev/null; then
    echo "skiff: api baseline commit $COMMIT is not in this clone (shallow?); the baseline step will be skipped" >&2
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive "$COMMIT" pom.xml bundles/api | tar -x -C "$work"
# shellcheck disable=SC2086
mvn -B -ntp -q ${SKIFF_MVN_ARGS:-} -f "$work/bundles/api/pom.xml" -DskipTests package
jar=$(ls "$work"/bundles/api/target/skiff-api-*.jar | grep -v sources | head -n 1)
# shellcheck disable=SC2086
mvn -B -ntp -q ${SKIFF_MVN_ARGS:-} install:install-file -Dfile="$jar" -DgroupId=io.skiff -DartifactId=skiff-api \
    -Dversion="$VERSION" -Dpackaging=jar -DgeneratePom=true
echo "skiff: installed io.skiff:skiff-api:$VERSION = skiff-api as of commit $COMMIT (the API baseline)"
