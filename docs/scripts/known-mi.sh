#!/usr/bin/env bash
# The bias and spread of every estimator on samples with a known MI (docs/estimators.md).
#
#   docs/scripts/known-mi.sh MIO_HOME OUT_DIR [SEEDS]
#
# For each case (d pairs of standard normals with correlation rho, I = -(d/2) log(1 - rho^2),
# at 0.1, 1, 2 and 4 nats in 5+5 and 20+20 dimensions, and 1 nat in 5+5 with every coordinate
# mapped through v -> v + v^3) and each seed, writes 40 000 rows with numpy and runs
# `mio estimate` for every estimator kind. Prints and writes OUT_DIR/known-mi.csv:
# kind,case,dims,mi,seed,estimate,spread,seconds. Needs python3 with numpy. KINDS, CASES
# (shape:dims:nats), STEPS (default 1000) and HIDDEN (default 64) narrow it down, and EXTRA adds
# settings of the trained estimators (e.g. "--set activation=elu --set optimizer.type=adam"), e.g.
#   KINDS="gaussian mine smile" CASES="gaussian:20:1 gaussian:20:2" docs/scripts/known-mi.sh ... 1
set -euo pipefail
MIO_HOME=${1:?usage: known-mi.sh MIO_HOME OUT_DIR [SEEDS]}
OUT=${2:?usage: known-mi.sh MIO_HOME OUT_DIR [SEEDS]}
SEEDS=${3:-"1 2 3"}
KINDS=${KINDS:-"gaussian mine smile nwj infonce club"}
CASES=${CASES:-"gaussian:5:0.1 gaussian:5:1 gaussian:5:2 gaussian:5:4 gaussian:20:0.1 gaussian:20:1 gaussian:20:2 gaussian:20:4 cubed:5:1"}
# the trained estimators: a critic of 64 units (wider ones learn the rows, not the law: see
# docs/estimators.md), STEPS steps of 4 096 rows, no input noise, measured on a held-out fifth
TRAINED=(--steps "${STEPS:-1000}" --set hidden="${HIDDEN:-64}" --set noise=0 --set noiseMode=none)
read -r -a extra <<< "${EXTRA:-}"
TRAINED+=("${extra[@]}")
mkdir -p "$OUT"
CSV="$OUT/known-mi.csv"
echo "kind,case,dims,mi,seed,estimate,spread,seconds" > "$CSV"
for seed in $SEEDS; do
  for case in $CASES; do
    IFS=: read -r shape d mi <<< "$case"
    data="$OUT/data/$shape-$d-$mi-$seed"
    mkdir -p "$data"
    python3 - "$data" "$d" "$mi" "$seed" "$shape" <<'PY'
import sys, numpy as np
out, d, mi, seed, shape = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = np.random.default_rng(seed)
rho = np.sqrt(-np.expm1(-2 * mi / d))
x = rng.standard_normal((40000, d))
y = rho * x + np.sqrt(1 - rho * rho) * rng.standard_normal((40000, d))
if shape == "cubed":
    x, y = x + x ** 3, y + y ** 3
np.save(f"{out}/x.npy", x.astype(np.float32))
np.save(f"{out}/y.npy", y.astype(np.float32))
PY
    for kind in $KINDS; do
      args=()
      if [ "$kind" != gaussian ]; then args=("${TRAINED[@]}"); fi

      json=$("$MIO_HOME/bin/mio" estimate --estimator "$kind" --x "$data/x.npy" --y "$data/y.npy" \
        --seed "$seed" --json "${args[@]}")
      row=$(python3 -c 'import json, sys; r = json.load(sys.stdin); print("%.4f,%.4f,%.1f" % (r["estimate"], r["spread"], r["seconds"]))' <<< "$json")
      echo "$kind,$shape,$d,$mi,$seed,$row" | tee -a "$CSV"
    done
  done
done
