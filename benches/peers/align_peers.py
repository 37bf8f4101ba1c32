#!/usr/bin/env python3
"""Sentence-alignment peers: hunalign (with and without a dictionary) beside `tm align`, on the
align-eval test sets of ../shared/data/align-eval, scored with its score.py.

Stdlib only. The peers are separately built programs that this script runs; no code of theirs is in
this repository (hunalign is LGPL-3.0+: build it outside the repository, see benches/peers/README.md).

  align_peers.py [--data DIR] [--work DIR] [--sets ntrex,tico19,ntrex-hard]
                 [--aligners hunalign,hunalign-tok,hunalign+dict,hunalign+dict-tok,tm]
                 [--whole | --batch] [--json OUT] [--keep-pred DIR]
  align_peers.py --stress 50000 [--aligners ...] [--json OUT]
  align_peers.py --make-hunalign-dict dict-freedict-ara-eng_*.deb --out ar-en.dic [--dict-case both|lower]

Sets (built with make_eval.py --seed 13): ntrex, tico19 (default perturbation) and ntrex-hard
(--p-merge-src 0.12 --p-merge-tgt 0.12 --p-merge3 0.03 --p-del-src 0.05 --p-del-tgt 0.05).

Aligners (--aligners, comma list):
  hunalign               hunalign with an empty dictionary, default settings, on the lines as they are
  hunalign+dict          hunalign with --hunalign-dict (skipped when there is no such file)
  ...-realign            with hunalign's -realign (hunalign-realign, hunalign+dict-realign)
  ...-tok                the input tokenized first, as hunalign wants it: punctuation split off, lower
                         case, no harakat (hunalign-tok, hunalign+dict-tok, hunalign+dict-realign-tok);
                         done by the harness before the process starts, not timed
  tm                     `tm align --segmented --format beads AR EN` (skipped if it fails on a probe)

Each aligner runs once per document (lines sliced by docs.tsv, written to temporary files), once
on the whole set with --whole, or once per set in its own batch mode with --batch (every document still
aligned on its own: hunalign -batch DICT JOBS, tm align --batch LIST). Bead line numbers are mapped back to the set's global numbers and the
concatenated beads are scored with score.py. Only the aligner processes are timed (wall clock,
time.perf_counter around each process); Arabic lines/s = Arabic lines / that time. `total_s` is the
wall time of the whole run of that aligner on that set (slicing, writing files, parsing, included).
A document with no line on one side gets its null beads from the harness, for every aligner alike,
without running anything.
"""
import argparse
import io
import json
import lzma
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
DEFAULT_HUNALIGN = "/work/peers/hunalign/src/hunalign/hunalign"
DEFAULT_DICT = "/work/peers/hunalign-dict/ar-en.dic"
DEFAULT_TM = os.path.join(REPO, "target", "release", "tm")

HARD = ["--p-merge-src", "0.12", "--p-merge-tgt", "0.12", "--p-merge3", "0.03",
        "--p-del-src", "0.05", "--p-del-tgt", "0.05"]
SETS = {
    "ntrex": ("ntrex", []),
    "tico19": ("tico19", []),
    "ntrex-hard": ("ntrex", HARD),
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# Test sets


def check_data(data):
    need = [os.path.join(data, "align-eval", "make_eval.py"), os.path.join(data, "align-eval", "score.py"),
            os.path.join(data, "parallel")]
    missing = [p for p in need if not os.path.exists(p)]
    if missing:
        raise SystemExit("align_peers: shared data not found (%s); pass --data DIR, the folder that holds "
                         "align-eval/ and parallel/ (default ../shared/data beside the repository)"
                         % ", ".join(missing))


def make_set(data, out, corpus, extra, python):
    """Run make_eval.py into OUT unless OUT already holds its files."""
    if all(os.path.exists(os.path.join(out, f)) for f in ("source.txt", "target.txt", "gold.txt", "docs.tsv")):
        return
    cmd = [python, os.path.join(data, "align-eval", "make_eval.py"), "--data", os.path.join(data, "parallel"),
           "--corpus", corpus, "--out", out, "--seed", "13"] + extra
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise SystemExit("make_eval.py failed (%s):\n%s" % (" ".join(cmd), r.stderr))


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f]


def read_docs(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            d, c, s0, s1, t0, t1 = line.rstrip("\n").split("\t")
            docs.append((d, int(s0), int(s1), int(t0), int(t1)))
    return docs


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(l + "\n" for l in lines))


def parse_beads(text):
    """Gold-format beads "0,1:0", "3:", ":2" (one per line) -> list of (src tuple, tgt tuple)."""
    beads = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if len(parts) < 2:
            raise ValueError("not a bead: %r" % line)
        side = lambda s: tuple(int(x) for x in re.split(r"[,\s]+", s.strip().strip("[]")) if x != "")
        b = (side(parts[0]), side(parts[1]))
        if b != ((), ()):
            beads.append(b)
    return beads


def bead_str(b):
    return "%s:%s" % (",".join(map(str, b[0])), ",".join(map(str, b[1])))


def check_beads(beads, n_src, n_tgt):
    """How far the beads are from a partition of both sides: (out of range, repeated, missing)."""
    seen_s, seen_t = set(), set()
    bad = rep = 0
    for s, t in beads:
        for i in s:
            bad += not 0 <= i < n_src
            rep += i in seen_s
            seen_s.add(i)
        for j in t:
            bad += not 0 <= j < n_tgt
            rep += j in seen_t
            seen_t.add(j)
    missing = (n_src - len(seen_s & set(range(n_src)))) + (n_tgt - len(seen_t & set(range(n_tgt))))
    return bad, rep, missing


# ----------------------------------------------------------------------------------------------
# Running a process: wall time and peak RSS of that child only (os.wait4), optional timeout.


def run_timed(cmd, cwd, stdout_path, stderr_path, timeout=None):
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.perf_counter()
        try:
            p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except OSError as e:
            return {"rc": None, "error": str(e), "seconds": 0.0, "cpu_seconds": 0.0, "max_rss_kb": 0,
                    "timed_out": False}
        timed_out = []
        timer = None
        if timeout:
            def kill():
                timed_out.append(1)
                p.kill()
            timer = threading.Timer(timeout, kill)
            timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
    return {"rc": p.returncode, "error": None, "seconds": seconds, "cpu_seconds": ru.ru_utime + ru.ru_stime,
            "max_rss_kb": ru.ru_maxrss, "timed_out": bool(timed_out)}


def run_result(r, err, timeout):
    """An aligner's result from a run_timed() record: times, memory, and the error if it failed."""
    res = {"seconds": r["seconds"], "cpu_seconds": r["cpu_seconds"], "max_rss_kb": r["max_rss_kb"],
           "beads": None, "error": None}
    if r["error"] or r["rc"] != 0 or r["timed_out"]:
        res["error"] = r["error"] or ("timed out after %ss" % timeout if r["timed_out"] else
                                      "exit %s: %s" % (r["rc"], tail(err, 300)))
    return res


def tail(path, n=400):
    try:
        with open(path, "rb") as f:
            data = f.read()
        return data[-n:].decode("utf-8", "replace").strip()
    except OSError:
        return ""


# ----------------------------------------------------------------------------------------------
# Aligners. run(src_path, tgt_path, n_src, n_tgt, tmp) -> dict(beads or None, seconds, max_rss_kb, error)


class Hunalign:
    """hunalign [-realign] DICT SRC TGT -> ladder: one rung "i<TAB>j<TAB>score" a line, meaning the first i
    source lines correspond to the first j target lines. Consecutive rungs bound one bead:
    (i0,j0) (i1,j1) -> source lines i0..i1-1 with target lines j0..j1-1 (scripts/ladder2text.py pairs
    them the same way). The first rung is (0,0) and the last (n_src, n_tgt); if either is missing the
    harness adds it, so every line lands in exactly one bead."""

    def __init__(self, name, binary, dictionary, realign, tokenize, timeout):
        self.name, self.binary, self.dictionary, self.realign = name, binary, dictionary, realign
        self.tokenize, self.timeout = tokenize, timeout
        self.version = "danielvarga/hunalign"
        self.call = "%s %s%s SRC TGT%s" % (binary, "-realign " if realign else "", dictionary,
                                           " (SRC, TGT tokenized and lower-cased by the harness, untimed)"
                                           if tokenize else "")

    def available(self, tmp):
        if not os.access(self.binary, os.X_OK):
            return "hunalign binary not found at %s (build it, or pass --hunalign BIN)" % self.binary
        if not os.path.exists(self.dictionary):
            return "dictionary %s not found" % self.dictionary
        return None

    def run(self, src, tgt, n_src, n_tgt, tmp):
        if self.tokenize:
            src, tgt = hunalign_tokens(src, tmp), hunalign_tokens(tgt, tmp)
        cmd = [self.binary] + (["-realign"] if self.realign else []) + [self.dictionary, src, tgt]
        out, err = os.path.join(tmp, "out.ladder"), os.path.join(tmp, "err.txt")
        # cwd=tmp: hunalign writes a translate.txt into its working directory.
        r = run_timed(cmd, tmp, out, err, self.timeout)
        res = run_result(r, err, self.timeout)
        if res["error"]:
            return res
        rungs = read_ladder(out)
        if not rungs:
            # e.g. "Sizes differing too much. Ignoring files to avoid a rare loop bug." (> 5x line ratio)
            res["error"] = "no ladder output: %s" % tail(err, 200).splitlines()[-1:]
            return res
        res["beads"] = ladder_to_beads(rungs, n_src, n_tgt)
        return res


    def run_batch(self, jobs, tmp):
        """jobs: [(src, tgt, n_src, n_tgt)] -> one hunalign -batch process; beads per job (None if its
        ladder is missing)."""
        batch = os.path.join(tmp, "jobs.txt")
        with open(batch, "w", encoding="utf-8") as f:
            for k, (src, tgt, _, _) in enumerate(jobs):
                if self.tokenize:
                    src, tgt = hunalign_tokens(src, tmp), hunalign_tokens(tgt, tmp)
                f.write("%s\t%s\t%s\n" % (src, tgt, os.path.join(tmp, "%d.ladder" % k)))
        cmd = [self.binary] + (["-realign"] if self.realign else []) + ["-batch", self.dictionary, batch]
        out, err = os.path.join(tmp, "out.txt"), os.path.join(tmp, "err.txt")
        res = run_result(run_timed(cmd, tmp, out, err, self.timeout), err, self.timeout)
        res["beads"] = []
        for k, (_, _, n_src, n_tgt) in enumerate(jobs):
            path = os.path.join(tmp, "%d.ladder" % k)
            rungs = read_ladder(path) if os.path.exists(path) else []
            res["beads"].append(ladder_to_beads(rungs, n_src, n_tgt) if rungs else None)
        return res


def read_ladder(path):
    """hunalign's output: rungs "i<TAB>j<TAB>score", one a line."""
    rungs = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split("\t")
            if len(parts) >= 2:
                rungs.append((int(parts[0]), int(parts[1])))
    return rungs


def hunalign_tokens(path, tmp):
    """What hunalign expects as input ("word tokens are separated by spaces"): punctuation split off
    the words, everything lower-cased, harakat and tatweel removed. Same number of lines."""
    out = os.path.join(tmp, os.path.basename(path) + ".tok")
    lines = []
    for line in read_lines(path):
        line = HARAKAT.sub("", line).lower()
        line = " ".join(re.sub(r"([^\w\s])", r" \1 ", line).split())
        lines.append(line)
    write_lines(out, lines)
    return out


def ladder_to_beads(rungs, n_src, n_tgt):
    # hunalign reads one empty phantom sentence after the last newline of each file (its read loop tests
    # eof after reading), so it aligns n+1 and m+1 sentences and leaves out its last rung (n+1, m+1):
    # the last rung printed is normally (n, m), where the two phantoms pair up. A rung past the real
    # lines would only mean a phantom was paired with a real line; it is clamped to (n, m).
    rungs = [(min(i, n_src), min(j, n_tgt)) for i, j in rungs]
    if rungs[0] != (0, 0):
        rungs = [(0, 0)] + rungs
    if rungs[-1] != (n_src, n_tgt):
        rungs = rungs + [(n_src, n_tgt)]
    beads = []
    for (i0, j0), (i1, j1) in zip(rungs, rungs[1:]):
        if i1 < i0 or j1 < j0:
            raise ValueError("ladder goes backwards: (%d,%d) -> (%d,%d)" % (i0, j0, i1, j1))
        b = (tuple(range(i0, i1)), tuple(range(j0, j1)))
        if b != ((), ()):
            beads.append(b)
    return beads


# tm runs with a memory that does not exist: a user's own memory would teach it and change the figures.
NO_MEMORY = "no-memory.db"


class TmAlign:
    def __init__(self, binary, timeout):
        self.name, self.binary, self.timeout = "tm", binary, timeout
        self.version = None
        self.call = "%s align --segmented --format beads AR EN" % binary

    def available(self, tmp):
        if not os.access(self.binary, os.X_OK):
            return "tm binary not found at %s (cargo build --release, or pass --tm BIN)" % self.binary
        src, tgt = os.path.join(tmp, "probe.ar"), os.path.join(tmp, "probe.en")
        write_lines(src, ["قال الرئيس إن الاجتماع سيعقد غدا.", "وأضاف أن الحكومة ستدرس الاقتراح."])
        write_lines(tgt, ["The president said the meeting would be held tomorrow.",
                          "He added that the government would study the proposal."])
        r = self.run(src, tgt, 2, 2, tmp)
        if r["error"]:
            return "`tm align` does not work yet: %s" % r["error"]
        try:
            v = subprocess.run([self.binary, "--version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, timeout=30)
            self.version = v.stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            pass
        return None

    def run(self, src, tgt, n_src, n_tgt, tmp):
        cmd = [self.binary, "--db", os.path.join(tmp, NO_MEMORY), "align", "--segmented", "--format", "beads",
               src, tgt]
        out, err = os.path.join(tmp, "out.beads"), os.path.join(tmp, "err.txt")
        r = run_timed(cmd, tmp, out, err, self.timeout)
        res = run_result(r, err, self.timeout)
        if res["error"]:
            return res
        try:
            with open(out, encoding="utf-8") as f:
                res["beads"] = parse_beads(f.read())
        except ValueError as e:
            res["error"] = "bad output: %s" % e
        return res


    def run_batch(self, jobs, tmp):
        """jobs: [(src, tgt, n_src, n_tgt)] -> one `tm align --batch` process; beads per job."""
        listing = os.path.join(tmp, "list.tsv")
        with open(listing, "w", encoding="utf-8") as f:
            for k, (src, tgt, _, _) in enumerate(jobs):
                f.write("%s\t%s\t%d.beads\n" % (src, tgt, k))
        cmd = [self.binary, "--db", os.path.join(tmp, NO_MEMORY), "align", "--batch", listing, "--segmented",
               "--format", "beads"]
        out, err = os.path.join(tmp, "out.txt"), os.path.join(tmp, "err.txt")
        res = run_result(run_timed(cmd, tmp, out, err, self.timeout), err, self.timeout)
        res["beads"] = []
        for k in range(len(jobs)):
            try:
                with open(os.path.join(tmp, "%d.beads" % k), encoding="utf-8") as f:
                    res["beads"].append(parse_beads(f.read()))
            except (OSError, ValueError):
                res["beads"].append(None)
        return res


def make_aligners(a, tmp):
    aligners, skipped = [], {}
    for name in a.aligners.split(","):
        name = name.strip()
        if not name:
            continue
        if name.startswith("hunalign"):
            m = re.fullmatch(r"hunalign(\+dict)?(-realign)?(-tok)?", name)
            if not m:
                raise SystemExit("unknown aligner %r" % name)
            if m.group(1):
                if not a.hunalign_dict:
                    skipped[name] = "no dictionary (--hunalign-dict)"
                    continue
                d = a.hunalign_dict
            else:
                d = a.null_dict
            al = Hunalign(name, a.hunalign, d, bool(m.group(2)), bool(m.group(3)), a.timeout)
        elif name == "tm":
            al = TmAlign(a.tm, a.timeout)
        else:
            raise SystemExit("unknown aligner %r" % name)
        why = al.available(tmp)
        if why:
            skipped[name] = why
            log("skipping %s: %s" % (name, why))
        else:
            aligners.append(al)
    return aligners, skipped


# ----------------------------------------------------------------------------------------------
# Evaluation


def score(data, gold_path, pred_path, python):
    r = subprocess.run([python, os.path.join(data, "align-eval", "score.py"), gold_path, pred_path, "--json"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise SystemExit("score.py failed: %s" % r.stderr)
    return json.loads(r.stdout)


def run_set(al, set_dir, mode, tmp):
    """Run one aligner over one set (mode: per-document, whole or batch) -> (beads with global
    numbers, stats)."""
    t_start = time.perf_counter()
    src, tgt = read_lines(os.path.join(set_dir, "source.txt")), read_lines(os.path.join(set_dir, "target.txt"))
    if mode == "whole":
        docs = [("(whole)", 0, len(src), 0, len(tgt))]
    else:
        docs = read_docs(os.path.join(set_dir, "docs.tsv"))
    beads, seconds, cpu, max_rss, runs, failures = [], 0.0, 0.0, 0, 0, []
    bad = rep = missing = 0

    def take(doc, r_beads, error):
        nonlocal beads, bad, rep, missing
        doc_id, s0, s1, t0, t1 = doc
        ns, nt = s1 - s0, t1 - t0
        if error:
            failures.append({"doc": doc_id, "src_lines": ns, "tgt_lines": nt, "error": error})
            return
        b1, r1, m1 = check_beads(r_beads, ns, nt)
        bad, rep, missing = bad + b1, rep + r1, missing + m1
        beads += [(tuple(i + s0 for i in s), tuple(j + t0 for j in t)) for s, t in r_beads
                  if all(0 <= i < ns for i in s) and all(0 <= j < nt for j in t)]

    d = os.path.join(tmp, "doc")
    jobs = []  # batch mode: (doc, src path, tgt path)
    for doc in docs:
        doc_id, s0, s1, t0, t1 = doc
        ns, nt = s1 - s0, t1 - t0
        if ns == 0 or nt == 0:
            beads += [((i,), ()) for i in range(s0, s1)] + [((), (j,)) for j in range(t0, t1)]
            continue
        os.makedirs(d, exist_ok=True)
        name = "%d" % len(jobs) if mode == "batch" else "doc"
        sp, tp = os.path.join(d, name + ".ar"), os.path.join(d, name + ".en")
        write_lines(sp, src[s0:s1])
        write_lines(tp, tgt[t0:t1])
        if mode == "batch":
            jobs.append((doc, sp, tp))
            continue
        r = al.run(sp, tp, ns, nt, d)
        runs += 1
        seconds += r["seconds"]
        cpu += r["cpu_seconds"]
        max_rss = max(max_rss, r["max_rss_kb"])
        take(doc, r["beads"], r["error"])
        shutil.rmtree(d, ignore_errors=True)
    if jobs:
        r = al.run_batch([(sp, tp, doc[2] - doc[1], doc[4] - doc[3]) for doc, sp, tp in jobs], d)
        runs, seconds, cpu, max_rss = 1, r["seconds"], r["cpu_seconds"], r["max_rss_kb"]
        # A batch that fails on some documents (tm exits 2 then) still wrote the others' beads.
        for (doc, _, _), job_beads in zip(jobs, r["beads"]):
            take(doc, job_beads, None if job_beads is not None else r["error"] or "no output")
        shutil.rmtree(d, ignore_errors=True)
    stats = {"documents": len(docs), "processes": runs, "aligner_s": seconds, "aligner_cpu_s": cpu,
             "total_s": time.perf_counter() - t_start, "src_lines": len(src), "tgt_lines": len(tgt),
             "max_rss_mb": round(max_rss / 1024, 1), "failed_documents": len(failures),
             "failed_src_lines": sum(f["src_lines"] for f in failures), "failures": failures[:20],
             "out_of_range_indices": bad, "repeated_indices": rep, "unassigned_lines": missing}
    stats["src_lines_per_s"] = len(src) / seconds if seconds else None
    stats["src_lines_per_cpu_s"] = len(src) / cpu if cpu else None
    return beads, stats


def evaluate(a, aligners, sets, tmp, python):
    results = {}
    for set_name, set_dir in sets:
        for al in aligners:
            log("%s on %s%s ..." % (al.name, set_name, "" if a.mode == "per-document" else " (%s)" % a.mode))
            beads, st = run_set(al, set_dir, a.mode, tmp)
            if a.runs > 1:
                # Scores come from the first run; the time reported is the median over all runs.
                times, cpus, totals, same = [st["aligner_s"]], [st["aligner_cpu_s"]], [st["total_s"]], True
                for _ in range(a.runs - 1):
                    b2, st2 = run_set(al, set_dir, a.mode, tmp)
                    times.append(st2["aligner_s"])
                    cpus.append(st2["aligner_cpu_s"])
                    totals.append(st2["total_s"])
                    same = same and b2 == beads
                st["aligner_s_runs"] = [round(t, 4) for t in times]
                st["aligner_s"], st["total_s"] = statistics.median(times), statistics.median(totals)
                st["aligner_cpu_s"] = statistics.median(cpus)
                st["src_lines_per_s"] = st["src_lines"] / st["aligner_s"] if st["aligner_s"] else None
                st["src_lines_per_cpu_s"] = st["src_lines"] / st["aligner_cpu_s"] if st["aligner_cpu_s"] else None
                st["same_beads_every_run"] = same
            pred = os.path.join(tmp, "pred.%s.%s.txt" % (set_name, re.sub(r"\W", "_", al.name)))
            write_lines(pred, [bead_str(b) for b in beads])
            if a.keep_pred:
                os.makedirs(a.keep_pred, exist_ok=True)
                shutil.copy(pred, a.keep_pred)
            if st["failed_documents"] == st["processes"] and st["processes"] > 0:
                sc = None
            else:
                sc = score(a.data, os.path.join(set_dir, "gold.txt"), pred, python)
            st.update({"set": set_name, "aligner": al.name, "call": al.call, "version": al.version,
                       "mode": a.mode})
            if sc:
                st["score"] = {k: sc[k] for k in ("strict", "lax", "pairs", "links", "gold_beads", "pred_beads",
                                                    "gold_recall_by_type", "pred_types")}
            results["%s/%s" % (set_name, al.name)] = st
            log("  %s" % row_text(st))
    return results


def row_text(st):
    s = st.get("score")
    if not s:
        return "FAILED (%d of %d processes failed: %s)" % (st["failed_documents"], st["processes"],
                                                           st["failures"][0]["error"] if st["failures"] else "")
    lps = st["src_lines_per_s"]
    return "strict P %.3f R %.3f F1 %.3f, lax F1 %.3f, %s Arabic lines/s (aligner %.2fs, total %.2fs)%s" % (
        s["strict"]["p"], s["strict"]["r"], s["strict"]["f"], s["lax"]["f"],
        "%.0f" % lps if lps else "-", st["aligner_s"], st["total_s"],
        ", %d failed documents" % st["failed_documents"] if st["failed_documents"] else "")


def print_table(results, skipped, stress=False):
    cols = ["set", "aligner", "strict P", "strict R", "strict F1", "lax F1", "ar lines/s", "ar lines/CPU s",
            "aligner s", "total s"]
    if stress:
        cols += ["peak RSS MB"]
    cols += ["failed"]
    rows = []
    for key, st in results.items():
        s = st.get("score")
        f = lambda x: "%.3f" % x
        row = [st["set"], st["aligner"]]
        if s:
            row += [f(s["strict"]["p"]), f(s["strict"]["r"]), f(s["strict"]["f"]), f(s["lax"]["f"])]
        else:
            row += ["-"] * 4
        lps = st["src_lines_per_s"]
        lpc = st["src_lines_per_cpu_s"]
        row += ["%.0f" % lps if lps and s else "-", "%.0f" % lpc if lpc and s else "-",
                "%.2f" % st["aligner_s"], "%.2f" % st["total_s"]]
        if stress:
            row += ["%.0f" % st["max_rss_mb"]]
        if st["failed_documents"]:
            e = st["failures"][0]["error"] if st["failures"] else ""
            row += ["%d/%d docs (%s)" % (st["failed_documents"], st["processes"], e[:60].replace("|", "/"))]
        else:
            row += [""]
        rows.append(row)
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    for name, why in skipped.items():
        print("skipped %s: %s" % (name, why))


# ----------------------------------------------------------------------------------------------
# Stress: one document of N Arabic lines.


def make_stress(data, out, n, python):
    """make_eval.py --corpus ntrex,tico19 --repeat R (each copy perturbed with its own sub-seed), cut at
    the first bead boundary at or after N Arabic lines; one document."""
    if all(os.path.exists(os.path.join(out, f)) for f in ("source.txt", "target.txt", "gold.txt", "docs.tsv")):
        return
    probe = os.path.join(out, "probe")
    make_set(data, probe, "ntrex,tico19", [], python)
    per_copy = len(read_lines(os.path.join(probe, "source.txt")))
    repeat = -(-n // per_copy)
    full = os.path.join(out, "full")
    make_set(data, full, "ntrex,tico19", ["--repeat", str(repeat)], python)
    src, tgt = read_lines(os.path.join(full, "source.txt")), read_lines(os.path.join(full, "target.txt"))
    with open(os.path.join(full, "gold.txt"), encoding="utf-8") as f:
        gold = parse_beads(f.read())
    keep, ns, nt = [], 0, 0
    for b in gold:
        if ns >= n:
            break
        keep.append(b)
        ns = max([ns] + [i + 1 for i in b[0]])
        nt = max([nt] + [j + 1 for j in b[1]])
    write_lines(os.path.join(out, "source.txt"), src[:ns])
    write_lines(os.path.join(out, "target.txt"), tgt[:nt])
    write_lines(os.path.join(out, "gold.txt"), [bead_str(b) for b in keep])
    with open(os.path.join(out, "docs.tsv"), "w", encoding="utf-8") as f:
        f.write("doc_id\tcorpus\tsrc_start\tsrc_end\ttgt_start\ttgt_end\n")
        f.write("stress\tntrex,tico19\t0\t%d\t0\t%d\n" % (ns, nt))
    types = {}
    for b in keep:
        k = "%d-%d" % (len(b[0]), len(b[1]))
        types[k] = types.get(k, 0) + 1
    with open(os.path.join(out, "stats.json"), "w", encoding="utf-8") as f:
        json.dump({"corpus": ["ntrex", "tico19"], "seed": 13, "repeat": repeat, "documents": 1,
                   "source_lines": ns, "target_lines": nt, "beads": len(keep),
                   "bead_types": dict(sorted(types.items()))}, f, indent=1, sort_keys=True)
        f.write("\n")
    shutil.rmtree(probe, ignore_errors=True)
    shutil.rmtree(full, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# FreeDict ara-eng (dictd format) -> hunalign dictionary


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def dictd_num(s):
    v = 0
    for c in s:
        v = v * 64 + B64.index(c)
    return v


def deb_members(path):
    """The files of a .deb's data.tar.* (an ar archive holding tar archives)."""
    with open(path, "rb") as f:
        blob = f.read()
    if blob[:8] != b"!<arch>\n":
        raise SystemExit("%s is not a .deb" % path)
    pos, files = 8, {}
    while pos + 60 <= len(blob):
        name = blob[pos:pos + 16].decode().strip().rstrip("/")
        size = int(blob[pos + 48:pos + 58].decode().strip())
        data = blob[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            if name.endswith(".xz"):
                data = lzma.decompress(data)
            elif name.endswith(".gz"):
                data = zlib.decompress(data, 47)
            elif name.endswith(".zst"):
                raise SystemExit("zstd-compressed .deb: unpack it with `dpkg-deb -x` and pass the folder")
            with tarfile.open(fileobj=io.BytesIO(data)) as t:
                for m in t.getmembers():
                    if m.isfile():
                        files[os.path.basename(m.name)] = t.extractfile(m).read()
    return files


def load_dictd(src):
    """-> (index text, dict bytes) of freedict-ara-eng from a .deb or a folder (searched recursively)."""
    if os.path.isfile(src):
        files = deb_members(src)
        idx, dz = files.get("freedict-ara-eng.index"), files.get("freedict-ara-eng.dict.dz")
    else:
        idx = dz = None
        for root, _, names in os.walk(src):
            for nm in names:
                if nm == "freedict-ara-eng.index":
                    idx = open(os.path.join(root, nm), "rb").read()
                elif nm in ("freedict-ara-eng.dict.dz", "freedict-ara-eng.dict"):
                    dz = open(os.path.join(root, nm), "rb").read()
    if idx is None or dz is None:
        raise SystemExit("freedict-ara-eng.index / .dict.dz not found in %s" % src)
    body = zlib.decompress(dz, 47) if dz[:2] == b"\x1f\x8b" else dz  # dictzip is gzip
    return idx.decode("utf-8"), body


def make_hunalign_dict(src, out, case="both"):
    """hunalign's dictionary: one item a line, TARGET phrase @ SOURCE phrase (hunalign README: "the target
    language phrases come first"); here target = English, source = Arabic. Arabic headwords: the IPA
    /.../ dropped, alternatives split at ، and ',', harakat and tatweel removed (the texts rarely carry
    them). English senses as given ("Adornment") and, where that differs, lower-cased ("adornment"):
    hunalign compares tokens exactly, and for a one-word Arabic entry with several one-word English
    senses it keeps the one most frequent in the English text being aligned, so both spellings help.
    case="lower": the lower-cased senses only (half the size, loads twice as fast; enough for -tok input)."""
    idx, body = load_dictd(src)
    seen_off, pairs = set(), set()
    entries = 0
    for line in idx.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or parts[0].startswith("00database") or parts[0].startswith("00-database"):
            continue
        off, ln = dictd_num(parts[1]), dictd_num(parts[2])
        if off in seen_off:
            continue
        seen_off.add(off)
        text = body[off:off + ln].decode("utf-8", "replace").strip("\n").split("\n")
        if not text or not text[0].strip():
            continue
        entries += 1
        head = re.sub(r"\s*/[^/]*/\s*$", "", text[0]).strip()
        ars = []
        for alt in re.split(r"[،,;؛]", head):
            alt = " ".join(HARAKAT.sub("", alt).split())
            if alt and re.search("[\u0600-\u06ff]", alt):
                ars.append(alt)
        ens = []
        for sense in text[1:]:
            sense = re.sub(r"^\s*\d+\.\s*", "", sense).strip()
            if sense and re.search("[A-Za-z0-9]", sense):
                ens.append(" ".join(sense.split()))
        for ar in ars:
            for en in ens:
                if case == "both":
                    pairs.add((en, ar))
                pairs.add((en.lower(), ar))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for en, ar in sorted(pairs):
            f.write("%s @ %s\n" % (en, ar))
    log("%s: %d entries -> %d dictionary lines (%d one-word Arabic)" % (
        out, entries, len(pairs), sum(1 for _, ar in pairs if " " not in ar)))


# ----------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA, help="shared data folder (default %(default)s)")
    ap.add_argument("--work", help="where to build the test sets (kept; default: a temporary folder)")
    ap.add_argument("--sets", default="ntrex,tico19,ntrex-hard")
    ap.add_argument("--aligners", default="hunalign,hunalign-tok,hunalign+dict,hunalign+dict-tok,tm",
                    help="comma list (default %(default)s); hunalign[+dict][-realign][-tok], tm")
    ap.add_argument("--hunalign", default=DEFAULT_HUNALIGN, help="hunalign binary (default %(default)s)")
    ap.add_argument("--hunalign-dict", help="hunalign dictionary for hunalign+dict (default %s if it exists)"
                    % DEFAULT_DICT)
    ap.add_argument("--tm", default=DEFAULT_TM, help="tm binary (default %(default)s)")
    ap.add_argument("--whole", action="store_true", help="one aligner run on the whole set, not per document")
    ap.add_argument("--batch", action="store_true",
                    help="one aligner process per set in its batch mode, each document aligned on its own")
    ap.add_argument("--stress", type=int, metavar="N", help="align one document of N Arabic lines instead")
    ap.add_argument("--timeout", type=float, default=None, help="seconds per aligner process (default none; "
                    "3600 with --stress)")
    ap.add_argument("--runs", type=int, default=1, metavar="N",
                    help="run each aligner N times on each set and report the median time (default 1)")
    ap.add_argument("--json", metavar="OUT", help="write the results as JSON")
    ap.add_argument("--keep-pred", metavar="DIR", help="copy each predicted bead file into DIR")
    ap.add_argument("--make-hunalign-dict", metavar="DEB_OR_DIR",
                    help="convert FreeDict ara-eng (dict-freedict-ara-eng .deb, or a folder with its "
                         "freedict-ara-eng.index and .dict.dz) into a hunalign dictionary at --out, then exit")
    ap.add_argument("--out", help="output file of --make-hunalign-dict")
    ap.add_argument("--dict-case", choices=("both", "lower"), default="both",
                    help="--make-hunalign-dict: English senses as given and lower-cased (both), or lower only")
    a = ap.parse_args()

    if a.make_hunalign_dict:
        if not a.out:
            raise SystemExit("--make-hunalign-dict needs --out FILE")
        make_hunalign_dict(a.make_hunalign_dict, a.out, a.dict_case)
        return

    python = sys.executable or "python3"
    a.data = os.path.abspath(a.data)
    check_data(a.data)
    if a.hunalign_dict is None and os.path.exists(DEFAULT_DICT):
        a.hunalign_dict = DEFAULT_DICT
    if a.stress and a.timeout is None:
        a.timeout = 3600

    tmp = tempfile.mkdtemp(prefix="align_peers.")
    try:
        a.null_dict = os.path.join(tmp, "null.dic")
        open(a.null_dict, "w").close()
        aligners, skipped = make_aligners(a, tmp)
        work = os.path.abspath(a.work) if a.work else os.path.join(tmp, "sets")
        sets = []
        if a.stress:
            d = os.path.join(work, "stress-%d" % a.stress)
            make_stress(a.data, d, a.stress, python)
            sets.append(("stress-%d" % a.stress, d))
            a.whole = True
        a.mode = "whole" if a.whole else "batch" if a.batch else "per-document"
        if a.whole and a.batch:
            raise SystemExit("--whole and --batch exclude each other")
        if not a.stress:
            for nm in a.sets.split(","):
                if nm not in SETS:
                    raise SystemExit("unknown set %r (have %s)" % (nm, ", ".join(SETS)))
                d = os.path.join(work, nm)
                make_set(a.data, d, SETS[nm][0], SETS[nm][1], python)
                sets.append((nm, d))
        results = evaluate(a, aligners, sets, tmp, python)
        print_table(results, skipped, stress=bool(a.stress))
        if a.json:
            meta = {"mode": a.mode, "stress": a.stress,
                    "sets": {n: json.load(open(os.path.join(d, "stats.json"))) if os.path.exists(
                        os.path.join(d, "stats.json")) else None for n, d in sets},
                    "skipped": skipped, "cpu_count": os.cpu_count()}
            with open(a.json, "w", encoding="utf-8") as f:
                json.dump({"meta": meta, "results": results}, f, indent=1, ensure_ascii=False)
                f.write("\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
