#!/usr/bin/env bash
# Installs what building, running and testing Skiff needs on Debian 12, with apt-get.
# Idempotent: packages already installed are not fetched again.
set -euo pipefail

PACKAGES=(openjdk-17-jdk-headless maven curl ca-certificates procps iproute2)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "skiff: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Maven must run on Java 17.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"17'; then
    for d in /usr/lib/jvm/java-17-openjdk-*; do
        [ -x "$d/bin/java" ] && echo "$d" && exit 0
    done
fi
echo "${JAVA_HOME:-}"
