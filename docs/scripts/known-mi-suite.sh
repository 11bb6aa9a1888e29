#!/usr/bin/env bash
# The known-MI suite of every estimator and of mi-ksg over several seeds, and the bias-and-spread
# table and figure of docs/estimators.md.
#
#   docs/scripts/known-mi-suite.sh OUT_DIR [SEEDS]        (after mvn install -DskipTests)
#
# Runs each plugin's knownMutualInformationSuite test (testkit's KnownMutualInformation: 1 500
# training steps on fresh batches, five estimates on fresh 20 000-row sets; 0.1, 1, 2 and 4 nats
# in 5 + 5 and 20 + 20 dimensions and 1 nat cubed) for SEEDS (default 1,2,3) on one thread,
# appends the results to OUT_DIR/<plugin>.csv, then prints the Markdown table and draws
# OUT_DIR/known-mi.png. About 30 minutes for three seeds on one core. The figure needs numpy and
# matplotlib (Debian: apt-get install python3-matplotlib; set PYTHON=/usr/bin/python3 if your
# python3 is another one).
set -euo pipefail
OUT=${1:?usage: known-mi-suite.sh OUT_DIR [SEEDS]}
SEEDS=${2:-1,2,3}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cd "$(dirname "$0")/../.."
for m in estimator-gaussian estimator-mine estimator-nwj estimator-smile estimator-infonce estimator-club analysis-ksg; do
  rm -f "$OUT/$m.csv"
  mvn -B -q -Pslow test -pl "plugins/$m" -Dtest='*Test#knownMutualInformationSuite' \
    -Dsurefire.failIfNoSpecifiedTests=false -Dmio.knownmi.seeds="$SEEDS" -Dmio.knownmi.threads=1 \
    -Dmio.knownmi.csv="$OUT/$m.csv" | grep '^known MI' || true
done
"${PYTHON:-python3}" docs/scripts/known-mi-figure.py "$OUT/known-mi.png" "$OUT"/*.csv
