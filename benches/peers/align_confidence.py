#!/usr/bin/env python3
"""How well `tm align`'s scores tell right beads from wrong ones on the align-eval sets, one document
at a time (--batch).

For each set: strict F1, and for thresholds 0.5/0.7/0.9 the wrong beads at or above (missed by review)
and the correct beads below (flagged for nothing); a calibration table; wrong beads by type.

Usage: align_confidence.py TM_BINARY SETS_DIR [set ...]   (SETS_DIR holds ntrex/, tico19/, ntrex-hard/
as make_eval.py --seed 13 builds them, the last with the harder settings; align_peers.py's work folder
has them). The scorer is imported from $ALIGN_EVAL (default ../shared/data/align-eval). No memory is
used (TM_DB points at a file that does not exist). JSON_OUT=FILE also writes the figures as JSON.
"""
import collections
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "data", "align-eval")
sys.path.insert(0, os.environ.get("ALIGN_EVAL", SHARED))
import score as SCORER  # noqa: E402


def side(s):
    return tuple(int(x) for x in s.split(",") if x != "")


def bead(s):
    a, e = s.split(":")
    return side(a), side(e)


def lines(p):
    with open(p, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def run_set(tm, d, work):
    src, tgt = lines(os.path.join(d, "source.txt")), lines(os.path.join(d, "target.txt"))
    gold = set(bead(l) for l in lines(os.path.join(d, "gold.txt")) if l)
    docs = [l.split("\t") for l in lines(os.path.join(d, "docs.tsv"))[1:] if l]
    os.makedirs(work, exist_ok=True)
    listing = []
    for k, (doc, _c, s0, s1, t0, t1) in enumerate(docs):
        s0, s1, t0, t1 = int(s0), int(s1), int(t0), int(t1)
        with open(os.path.join(work, "%d.ar" % k), "w", encoding="utf-8") as f:
            f.write("".join(x + "\n" for x in src[s0:s1]))
        with open(os.path.join(work, "%d.en" % k), "w", encoding="utf-8") as f:
            f.write("".join(x + "\n" for x in tgt[t0:t1]))
        listing.append("%d.ar\t%d.en\t%d.out" % (k, k, k))
    with open(os.path.join(work, "list.txt"), "w") as f:
        f.write("\n".join(listing) + "\n")
    env = dict(os.environ, TM_DB=os.path.join(work, "no-memory.db"))
    subprocess.run([tm, "align", "--batch", os.path.join(work, "list.txt"), "--segmented", "--json",
                    "--force", "-j", "1"], check=True, env=env, stdout=subprocess.DEVNULL)
    pred = []  # (bead, score)
    for k, (doc, _c, s0, s1, t0, t1) in enumerate(docs):
        s0, t0 = int(s0), int(t0)
        for l in lines(os.path.join(work, "%d.out" % k)):
            if not l.strip():
                continue
            j = json.loads(l)
            b = (tuple(i + s0 for i in j["arabic_lines"]), tuple(i + t0 for i in j["english_lines"]))
            pred.append((b, j["score"]))
    return gold, pred


def kind(b):
    return "%d-%d" % (len(b[0]), len(b[1]))


def report(name, gold, pred):
    ok = [(b in gold, s, b) for b, s in pred]
    hits = sum(1 for c, _, _ in ok if c)
    # strict F1 as the set's scorer counts it (recall over gold beads with both sides)
    f1 = SCORER.score(list(gold), [b for b, _ in pred])["strict"]["f"]
    wrong = [x for x in ok if not x[0]]
    out = {"set": name, "gold": len(gold), "pred": len(pred), "wrong": len(wrong), "strict_f1": round(f1, 4)}
    for t in (0.5, 0.7, 0.9):
        out["wrong>=%.1f" % t] = sum(1 for c, s, _ in ok if not c and s >= t)
        out["correct<%.1f" % t] = sum(1 for c, s, _ in ok if c and s < t)
    print("%s: beads %d (gold %d), wrong %d, strict F1 %.4f" % (name, len(pred), len(gold), len(wrong), f1))
    print("  threshold  wrong>=t  (of %d)  correct<t (of %d)" % (len(wrong), hits))
    for t in (0.5, 0.7, 0.9):
        print("  %.1f        %5d            %5d" % (t, out["wrong>=%.1f" % t], out["correct<%.1f" % t]))
    edges = [0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001]
    print("  calibration: bucket  beads  fraction correct")
    cal = []
    for lo, hi in zip(edges, edges[1:]):
        xs = [c for c, s, _ in ok if lo <= s < hi]
        if xs:
            print("    [%.2f,%.2f)  %5d  %.3f" % (lo, min(hi, 1), len(xs), sum(xs) / len(xs)))
            cal.append((lo, len(xs), round(sum(xs) / len(xs), 3)))
    out["calibration"] = cal
    # The class: a pair bead holding a sentence whose translation was dropped (a gold orphan).
    orphans = set(("ar", g[0][0]) for g in gold if g[0] and not g[1]) | set(("en", g[1][0]) for g in gold if g[1] and not g[0])
    held = [s for c, s, b in ok if not c and b[0] and b[1]
            and (any(("ar", i) in orphans for i in b[0]) or any(("en", j) in orphans for j in b[1]))]
    out["orphan_paired"] = len(held)
    out["orphan_paired>=0.9"] = sum(1 for s in held if s >= 0.9)
    print("  orphans paired: %d, of them >=0.9: %d" % (len(held), out["orphan_paired>=0.9"]))
    hi_wrong = collections.Counter(kind(b) for c, s, b in ok if not c and s >= 0.9)
    print("  wrong >=0.9 by predicted shape:", dict(hi_wrong))
    return out


def main():
    tm, sets_dir = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or ["ntrex", "tico19", "ntrex-hard"]
    results = []
    for n in names:
        work = os.path.join(tempfile.gettempdir(), "ae-run", n)
        gold, pred = run_set(tm, os.path.join(sets_dir, n), work)
        results.append(report(n, gold, pred))
    if os.environ.get("JSON_OUT"):
        with open(os.environ["JSON_OUT"], "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
