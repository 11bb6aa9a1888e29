"""The bias-and-spread table and figure of docs/estimators.md from the known-MI suite's CSV files.

    python3 docs/scripts/known-mi-figure.py OUT.png RESULTS.csv [RESULTS.csv ...]

Each CSV is what `KnownMutualInformation.suite` appends with -Dmio.knownmi.csv
(kind,shape,dims,mi,seed,estimate,spread,seconds), one file per estimator or all in one. Prints a
Markdown table (mean over seeds minus the true MI, the standard deviation over seeds, the mean
spread of the five estimates within a seed) and draws the estimate against the true MI, one panel
per shape and dimension. Needs numpy and matplotlib (Debian: apt-get install python3-matplotlib).
"""
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ORDER = ["gaussian", "mine", "nwj", "smile", "infonce", "club", "mi-ksg"]


def load(paths):
    rows = defaultdict(list)  # (kind, shape, dims, mi) -> [(estimate, spread)]
    for path in paths:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                key = (r["kind"], r["shape"], int(r["dims"]), float(r["mi"]))
                rows[key].append((float(r["estimate"]), float(r["spread"])))
    return rows


def kinds_of(rows):
    found = {k for k, _, _, _ in rows}
    return [k for k in ORDER if k in found] + sorted(found - set(ORDER))


def table(rows):
    kinds = kinds_of(rows)
    cases = sorted({(s, d, mi) for _, s, d, mi in rows}, key=lambda c: (c[0] != "gaussian", c[1], c[2]))
    head = "| case | " + " | ".join(f"`{k}`" for k in kinds) + " |"
    print(head)
    print("|" + "---|" * (len(kinds) + 1))
    for shape, d, mi in cases:
        cells = []
        for k in kinds:
            v = rows.get((k, shape, d, mi))
            if not v:
                cells.append("")
                continue
            est = np.array([e for e, _ in v])
            between = est.std(ddof=1) if len(est) > 1 else float("nan")
            within = np.mean([s for _, s in v])
            cells.append(f"{est.mean() - mi:+.3f} ± {between:.3f} ({within:.3f})")
        print(f"| {shape} {d}+{d}, {mi:g} nats | " + " | ".join(cells) + " |")
    seeds = max(len(v) for v in rows.values())
    print(f"\nbias (mean over {seeds} seeds − true MI) ± standard deviation over seeds "
          "(mean spread of the five estimates within a seed), nats")


def figure(rows, out):
    kinds = kinds_of(rows)
    colours = dict(zip(kinds, plt.get_cmap("tab10").colors))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), gridspec_kw={"width_ratios": [1, 1, 0.8]})
    top = 1.3  # estimate / true MI; CLUB, an upper bound at 2-10 times the MI, is off this scale
    for ax, dims in zip(axes[:2], (5, 20)):
        for k in kinds:
            pts = sorted((mi, [e / mi for e, _ in v]) for (kk, s, d, mi), v in rows.items()
                         if kk == k and s == "gaussian" and d == dims)
            if not pts:
                continue
            x = np.array([p[0] for p in pts])
            m = np.array([np.mean(p[1]) for p in pts])
            sd = np.array([np.std(p[1], ddof=1) if len(p[1]) > 1 else 0.0 for p in pts])
            if np.all(m > top):
                ax.annotate(f"{k}: {m.min():.1f}-{m.max():.1f}x (upper bound)", xy=(0.02, 0.97),
                            xycoords="axes fraction", va="top", fontsize=8, color=colours[k])
                continue
            ax.errorbar(x, m, yerr=sd, marker="o", capsize=3, label=k, color=colours[k])
        ax.axhline(1.0, color="black", lw=0.8, ls="--")
        ax.set_xscale("log")
        ax.set_xticks([0.1, 1, 2, 4], ["0.1", "1", "2", "4"])
        ax.set_title(f"correlated Gaussians, {dims} + {dims} dimensions")
        ax.set_xlabel("true MI (nats)")
        ax.set_ylabel("estimate / true MI")
        ax.set_ylim(0, top)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="lower left")
    ax = axes[2]
    for i, k in enumerate(kinds):
        v = rows.get((k, "cubed", 5, 1.0))
        if not v:
            continue
        est = [e for e, _ in v]
        m = float(np.mean(est))
        ax.bar(i, min(m, top), yerr=np.std(est, ddof=1) if len(est) > 1 and m < top else 0, color=colours[k], capsize=3)
        if m > top:
            ax.text(i, top * 0.97, f"{m:.1f}", ha="center", va="top", fontsize=8, color="white")
    ax.axhline(1.0, color="black", lw=0.8, ls="--")
    ax.set_ylim(0, top)
    ax.set_xticks(range(len(kinds)), kinds, rotation=30)
    ax.set_title("1 nat, 5 + 5, every value mapped v -> v + v^3")
    ax.set_ylabel("estimate (nats)")
    ax.grid(alpha=0.3, axis="y")
    fig.suptitle("Known-MI suite: mean over seeds, bars +/- one standard deviation over seeds")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = load(sys.argv[2:])
    table(rows)
    figure(rows, sys.argv[1])


if __name__ == "__main__":
    main()
