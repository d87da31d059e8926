#!/usr/bin/env bash
# Prints one line summing up the Surefire and Failsafe reports under the project:
#   "Tests: N passed, N failed, N skipped"
cd "$(dirname "$0")/.."
total=0; failed=0; skipped=0
while IFS= read -r f; do
    line=$(grep -m1 -o '<testsuite [^>]*>' "$f") || continue
    t=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$line")
    e=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$line")
    fl=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$line")
    s=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$line")
    total=$((total + ${t:-0})); failed=$((failed + ${e:-0} + ${fl:-0})); skipped=$((skipped + ${s:-0}))
done < <(find . -path '*/target/surefire-reports/TEST-*.xml' -o -path '*/target/failsafe-reports/TEST-*.xml' | sort)
echo "Tests: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
