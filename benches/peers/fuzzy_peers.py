#!/usr/bin/env python3
"""Run two peer fuzzy matchers on the same memory and queries as `tm`'s benchmark.

Peers (installed from PyPI into a venv, see README.md; nothing of theirs is copied here):

* ``rapidfuzz``        rapidfuzz.process.extract, scorer=fuzz.ratio on the raw strings
                       (character-level normalized Indel similarity, 0-100), brute force.
* ``rapidfuzz-words``  rapidfuzz.process.extract, scorer=distance.Levenshtein.normalized_similarity
                       on word-token lists (word-level Levenshtein / max token count), brute force.
* ``ttk``              translate-toolkit's translate.search.match.matcher (what pot2po uses):
                       candidates sorted by source length, a length window, character Levenshtein
                       through rapidfuzz, score = 100 - 100 * distance / longer length.

All three: at most 5 results per query, threshold 70.

Usage:
  fuzzy_peers.py --memory MEM.tsv --queries Q.txt --out RESULTS.json
                 [--peer rapidfuzz|rapidfuzz-words|ttk|all] [--limit-queries N]
                 [--expected EXPECTED.tsv] [--ttk-max-length 3000] [--ttk-stock]
  fuzzy_peers.py --write-data DIR [--units 20000] [--num-queries 500] [--seed 1] [--filler variants|random]
  fuzzy_peers.py --self-test [--units 2000] [--num-queries 200] [--peer ...] [--out RESULTS.json]

MEM.tsv: ``id<TAB>arabic source<TAB>english target`` per line (UTF-8, no header, no quoting).
Q.txt: one Arabic query per line. EXPECTED.tsv (optional): ``query line number (1-based)<TAB>id``.

Only the matching call for each query is timed (time.perf_counter); loading the files and building
the peer's structures are timed separately as build_seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
import tempfile
import time

PEERS = ("rapidfuzz", "rapidfuzz-words", "ttk")
LIMIT = 5  # results per query
THRESHOLD = 70  # minimum similarity, 0-100

HERE = os.path.dirname(os.path.abspath(__file__))
NTREX_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data", "parallel", "ntrex"))
NTREX_AR = "newstest2019-ref.arb.txt"
NTREX_EN = "newstest2019-src.eng.txt"

# Word tokens for the word-level scorer: runs of letters/digits (Python's \w covers Arabic letters and
# digits) with harakat, Quranic marks and superscript alef kept inside the word, and `.`/`,`/`'`
# between word characters kept (3.5, 1,000, o'brien), roughly what UAX #29 word boundaries give.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD = rf"[\w{_MARKS}]+"
TOKEN_RE = re.compile(rf"{_WORD}(?:[.,'\u2019]{_WORD})*")


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


# --------------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------------


def read_memory(path: str) -> list[tuple[str, str, str]]:
    units = []
    with open(path, encoding="utf-8", newline="") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            parts = line.split("\t", 2)
            if len(parts) != 3:
                sys.exit(f"error: {path}:{lineno}: expected id<TAB>source<TAB>target")
            units.append((parts[0], parts[1], parts[2]))
    return units


def read_queries(path: str) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        return [line.rstrip("\r\n") for line in f]


def read_expected(path: str) -> dict[int, str]:
    expected = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line:
                n, uid = line.split("\t", 1)
                expected[int(n) - 1] = uid
    return expected


# --------------------------------------------------------------------------------------------------
# Peers. Each builder returns (version, scorer description, match function, extra info); the match
# function takes one query and returns [(id, score 0-100), ...] best first. Only that call is timed,
# so each one does exactly what a user of the library would do per query and nothing more, except
# turning the library's answer into (id, score) pairs where that is cheap.
# --------------------------------------------------------------------------------------------------


def build_rapidfuzz(units):
    import rapidfuzz
    from rapidfuzz import fuzz, process

    ids = [u[0] for u in units]
    choices = [u[1] for u in units]

    def match(query):
        found = process.extract(query, choices, scorer=fuzz.ratio, limit=LIMIT, score_cutoff=THRESHOLD)
        return [(ids[index], score) for _choice, score, index in found]

    info = {
        "scorer": "rapidfuzz.fuzz.ratio on raw strings (character normalized Indel similarity x100)",
        "call": f"process.extract(query, choices, scorer=fuzz.ratio, limit={LIMIT}, score_cutoff={THRESHOLD})",
    }
    return rapidfuzz.__version__, match, info


def build_rapidfuzz_words(units):
    import rapidfuzz
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    ids = [u[0] for u in units]
    # Token lists of str: rapidfuzz hashes each element, so lists of words are valid "strings".
    choices = [tokenize(u[1]) for u in units]
    cutoff = THRESHOLD / 100.0
    scorer = Levenshtein.normalized_similarity

    def match(query):
        found = process.extract(tokenize(query), choices, scorer=scorer, limit=LIMIT, score_cutoff=cutoff)
        return [(ids[index], score * 100.0) for _choice, score, index in found]

    info = {
        "scorer": "rapidfuzz.distance.Levenshtein.normalized_similarity on word-token lists "
        "(1 - word edit distance / max token count, x100)",
        "call": f"process.extract(tokens(query), token_lists, scorer=Levenshtein.normalized_similarity, "
        f"limit={LIMIT}, score_cutoff={cutoff})",
        "tokens": "regex runs of \\w plus Arabic marks, . , ' between word characters kept; no folding",
    }
    return rapidfuzz.__version__, match, info


# translate-toolkit keeps its top candidates in a heap of (similarity, unit) tuples; when two candidates
# have exactly the same similarity the heap compares the units, and TranslationUnit has no ordering, so
# the stock matcher raises TypeError (pot2po is safe only because it asks for max_candidates=1). Unless
# --ttk-stock is given we give the base unit class an ordering that says "never less", i.e. ties compare
# equal, as a heap keyed on the score alone would; it counts how often it was needed.
_TTK_TIES = [0]


def _never_less(self, other):
    _TTK_TIES[0] += 1
    return False


def build_ttk(units, max_length=3000, stock=False):
    from translate.__version__ import sver
    from translate.search import match as ttk_match
    from translate.storage import base

    if not stock:
        base.TranslationUnit.__lt__ = _never_less

    # An in-memory store of plain units. The memory id rides in the translator note, which the matcher
    # copies onto the units it returns (pot2po carries translator comments the same way); the matcher
    # appends "NN.N%" as a further note line.
    store = base.TranslationStore()
    for uid, source, target in units:
        unit = store.addsourceunit(source)
        unit.target = target
        unit.addnote(uid, origin="translator")
    matcher = ttk_match.matcher(store, max_candidates=LIMIT, min_similarity=THRESHOLD, max_length=max_length)

    def match(query):
        found = matcher.matches(query)
        out = []
        for unit in found:
            note_lines = unit.getnotes().split("\n")
            out.append((note_lines[0], float(note_lines[-1].rstrip("%"))))
        return out

    info = {
        "scorer": "translate.search.lshtein.LevenshteinComparer: 100 - 100 * Levenshtein distance / "
        "length of the longer string (characters; strings past max_length are cut)",
        "call": f"match.matcher(store, max_candidates={LIMIT}, min_similarity={THRESHOLD}, "
        f"max_length={max_length}).matches(query)",
        "max_length": max_length,
        "units_kept": len(matcher.candidates.units),
        "tie_patch": not stock,
    }
    return sver, match, info


# --------------------------------------------------------------------------------------------------
# Running and timing
# --------------------------------------------------------------------------------------------------


def percentile(sorted_values, q):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def run_peer(name, units, queries, expected=None, ttk_max_length=3000, ttk_stock=False, progress=True):
    t0 = time.perf_counter()
    if name == "rapidfuzz":
        version, match, info = build_rapidfuzz(units)
    elif name == "rapidfuzz-words":
        version, match, info = build_rapidfuzz_words(units)
    elif name == "ttk":
        version, match, info = build_ttk(units, max_length=ttk_max_length, stock=ttk_stock)
    else:
        raise ValueError(name)
    build_seconds = time.perf_counter() - t0

    per_query_ms = []
    results = []
    errors = []
    ties_before = _TTK_TIES[0]
    queries_with_ties = 0
    clock = time.perf_counter
    for qi, query in enumerate(queries):
        ties = _TTK_TIES[0]
        t = clock()
        try:
            found = match(query)
        except TypeError as e:  # only translate-toolkit's tie crash with --ttk-stock
            elapsed = clock() - t
            errors.append({"query": qi, "error": f"TypeError: {e}"})
            found = []
        else:
            elapsed = clock() - t
        if _TTK_TIES[0] != ties:
            queries_with_ties += 1
        per_query_ms.append(elapsed * 1000.0)
        results.append([{"id": uid, "score": round(score, 2)} for uid, score in found])
        if progress and (qi + 1) % 100 == 0:
            print(f"  {name}: {qi + 1}/{len(queries)} queries", file=sys.stderr)

    ordered = sorted(per_query_ms)
    report = {
        "name": name,
        "version": version,
        "memory_units": len(units),
        "queries": len(queries),
        "build_seconds": round(build_seconds, 4),
        "median_ms": round(percentile(ordered, 0.5), 4) if ordered else None,
        "p95_ms": round(percentile(ordered, 0.95), 4) if ordered else None,
        "p99_ms": round(percentile(ordered, 0.99), 4) if ordered else None,
        "mean_ms": round(sum(ordered) / len(ordered), 4) if ordered else None,
        "limit": LIMIT,
        "threshold": THRESHOLD,
        **info,
    }
    if name == "ttk":
        report["tie_comparisons"] = _TTK_TIES[0] - ties_before
        report["queries_with_ties"] = queries_with_ties
        report["errors"] = errors
    if expected:
        judged = [qi for qi in expected if qi < len(results)]
        top1 = sum(1 for qi in judged if results[qi] and results[qi][0]["id"] == expected[qi])
        top5 = sum(1 for qi in judged if any(r["id"] == expected[qi] for r in results[qi]))
        report["expected_judged"] = len(judged)
        report["expected_top1"] = round(top1 / len(judged), 4) if judged else None
        report["expected_top5"] = round(top5 / len(judged), 4) if judged else None
    report["per_query_ms"] = [round(ms, 4) for ms in per_query_ms]
    report["results"] = results
    return report


# --------------------------------------------------------------------------------------------------
# Test data from NTREX (newstest2019, Arabic reference + English source)
# --------------------------------------------------------------------------------------------------


def load_ntrex(ntrex_dir):
    with open(os.path.join(ntrex_dir, NTREX_AR), encoding="utf-8") as f:
        ar = [line.strip() for line in f]
    with open(os.path.join(ntrex_dir, NTREX_EN), encoding="utf-8") as f:
        en = [line.strip() for line in f]
    if len(ar) != len(en):
        sys.exit(f"error: {NTREX_AR} has {len(ar)} lines, {NTREX_EN} {len(en)}")
    pairs = [(a, e) for a, e in zip(ar, en) if a and e]
    return pairs


def edit_words(words, k, rng, vocab):
    """k random word edits: substitute, delete, insert a corpus word, or swap two neighbours."""
    words = list(words)
    for _ in range(k):
        op = rng.random()
        if op < 0.45 or len(words) < 3:
            i = rng.randrange(len(words))
            words[i] = rng.choice(vocab)
        elif op < 0.7:
            del words[rng.randrange(len(words))]
        elif op < 0.9:
            words.insert(rng.randrange(len(words) + 1), rng.choice(vocab))
        else:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
    return words


def generate(n_units, n_queries, seed, ntrex_dir, filler="variants"):
    """A deterministic stream of memory lines and edited queries.

    Line stream: first every NTREX pair once (shuffled), then passes of variants of them (each pass
    shuffled), a variant being the Arabic with 1 to 30% of its words edited and the same English. The
    memory of N units is the first N lines of the stream, so every size has the unedited originals.
    With filler="random" the lines after the originals are instead random sentences: a real sentence's
    word count filled with words drawn by corpus frequency (the English is that sentence's).
    Queries: distinct originals among the memory's units with 1-3 word edits (one per 10 words, at
    least one); the expected answer is the original's id.
    """
    pairs = load_ntrex(ntrex_dir)
    rng = random.Random(seed)
    vocab = [w for a, _ in pairs for w in a.split()]
    seen = set()
    memory = []  # (id, ar, en, is_original)
    order = list(range(len(pairs)))
    rng.shuffle(order)
    for i in order:
        if len(memory) >= n_units:
            break
        ar, en = pairs[i]
        if ar in seen:
            continue
        seen.add(ar)
        memory.append((f"g{len(memory) + 1:06d}", ar, en, True))
    while len(memory) < n_units:
        order = list(range(len(pairs)))
        rng.shuffle(order)
        for i in order:
            if len(memory) >= n_units:
                break
            ar, en = pairs[i]
            words = ar.split()
            if filler == "random":
                # Same word count as a real sentence, words drawn by corpus frequency: a memory in
                # which only a query's own original is near it.
                variant = " ".join(rng.choice(vocab) for _ in words)
                if variant in seen:
                    continue
                seen.add(variant)
                memory.append((f"g{len(memory) + 1:06d}", variant, en, False))
                continue
            for _attempt in range(10):
                k = rng.randint(1, max(1, round(0.3 * len(words))))
                variant = " ".join(edit_words(words, k, rng, vocab))
                if variant not in seen:
                    break
            else:
                continue
            seen.add(variant)
            memory.append((f"g{len(memory) + 1:06d}", variant, en, False))

    originals = [m for m in memory if m[3]]
    qrng = random.Random(seed + 1)
    picked = qrng.sample(originals, min(n_queries, len(originals)))
    queries = []
    for uid, ar, _en, _orig in picked:
        words = ar.split()
        k = max(1, min(3, len(words) // 10))
        for _attempt in range(10):
            q = " ".join(edit_words(words, k, qrng, vocab))
            if q != ar:
                break
        queries.append((q, uid))
    return [(m[0], m[1], m[2]) for m in memory], queries


def write_data(out_dir, units, queries):
    os.makedirs(out_dir, exist_ok=True)
    mem_path = os.path.join(out_dir, "memory.tsv")
    q_path = os.path.join(out_dir, "queries.txt")
    exp_path = os.path.join(out_dir, "expected.tsv")
    with open(mem_path, "w", encoding="utf-8", newline="\n") as f:
        for uid, ar, en in units:
            f.write(f"{uid}\t{ar}\t{en}\n")
    with open(q_path, "w", encoding="utf-8", newline="\n") as f:
        for q, _uid in queries:
            f.write(q + "\n")
    with open(exp_path, "w", encoding="utf-8", newline="\n") as f:
        for n, (_q, uid) in enumerate(queries, 1):
            f.write(f"{n}\t{uid}\n")
    return mem_path, q_path, exp_path


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------


def summary_line(r):
    line = (
        f"{r['name']:<16} {r['version']:<8} units {r['memory_units']:>7}  queries {r['queries']:>5}  "
        f"build {r['build_seconds']:8.3f} s  median {r['median_ms']:9.3f} ms  p95 {r['p95_ms']:9.3f} ms  "
        f"p99 {r['p99_ms']:9.3f} ms"
    )
    if "expected_top1" in r:
        line += f"  top1 {r['expected_top1']:.3f}  top5 {r['expected_top5']:.3f}"
    if r["name"] == "ttk":
        line += f"  tie-queries {r['queries_with_ties']}  errors {len(r['errors'])}"
    return line


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--memory", help="MEM.tsv: id<TAB>arabic<TAB>english")
    p.add_argument("--queries", help="Q.txt: one Arabic query per line")
    p.add_argument("--out", help="RESULTS.json")
    p.add_argument("--peer", default="all", choices=PEERS + ("all",))
    p.add_argument("--limit-queries", type=int, help="use only the first N queries")
    p.add_argument("--expected", help="query number (1-based)<TAB>expected id; adds top-1/top-5 rates")
    p.add_argument("--ttk-max-length", type=int, default=3000,
                   help="translate-toolkit max_length: no candidate longer than this is ever compared "
                   "and longer strings are cut (its default, 70, skips every candidate over 70 "
                   "characters); default 3000, as pot2po's own template matcher, which leaves the "
                   "whole length window of a 1,000-character query (up to 1000/0.7) in reach")
    p.add_argument("--ttk-stock", action="store_true",
                   help="do not give units an ordering: ties crash the stock matcher (reported as errors)")
    p.add_argument("--write-data", metavar="DIR", help="write memory.tsv, queries.txt, expected.tsv and exit")
    p.add_argument("--self-test", action="store_true",
                   help="generate a memory (default 2,000 units), run the peers, check top-1 of edited queries")
    p.add_argument("--units", type=int, help="units to generate (--write-data: 20000, --self-test: 2000)")
    p.add_argument("--num-queries", type=int, help="queries to generate (--write-data: 500, --self-test: 200)")
    p.add_argument("--filler", choices=("variants", "random"), default="variants",
                   help="units after the NTREX originals: edited variants of them (default) or random "
                   "sentences of words drawn by frequency")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--ntrex", default=NTREX_DIR, help=f"NTREX folder (default {NTREX_DIR})")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = p.parse_args(argv)

    if args.write_data:
        units, queries = generate(args.units or 20000, args.num_queries or 500, args.seed, args.ntrex,
                                 args.filler)
        for path in write_data(args.write_data, units, queries):
            print(path)
        return 0

    tmpdir = None
    if args.self_test:
        units, qs = generate(args.units or 2000, args.num_queries or 200, args.seed, args.ntrex, args.filler)
        tmpdir = tempfile.mkdtemp(prefix="fuzzy-peers-")
        mem_path, q_path, exp_path = write_data(tmpdir, units, qs)
        args.memory, args.queries, args.expected = mem_path, q_path, exp_path
    elif not (args.memory and args.queries and args.out):
        p.error("--memory, --queries and --out are required (or --self-test, or --write-data DIR)")

    units = read_memory(args.memory)
    queries = read_queries(args.queries)
    if args.limit_queries is not None:
        queries = queries[: args.limit_queries]
    expected = read_expected(args.expected) if args.expected else None

    peers = PEERS if args.peer == "all" else (args.peer,)
    out = {}
    for name in peers:
        report = run_peer(name, units, queries, expected, args.ttk_max_length, args.ttk_stock,
                          progress=not args.quiet)
        out[name] = report
        print(summary_line(report))
        sys.stdout.flush()

    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False)
        print(f"wrote {args.out}")

    if args.self_test:
        import shutil

        shutil.rmtree(tmpdir, ignore_errors=True)
        failed = [n for n, r in out.items() if (r.get("expected_top1") or 0) < 0.8 or r.get("errors")]
        for n, r in out.items():
            print(f"self-test {n}: original at top 1 for {r['expected_top1']:.1%} of "
                  f"{r['expected_judged']} edited queries, in top 5 for {r['expected_top5']:.1%}")
        if failed:
            print(f"self-test FAILED for {', '.join(failed)} (need top-1 >= 80% and no errors)")
            return 1
        print("self-test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
