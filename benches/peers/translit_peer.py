"""arabic-name-romanizer (PyPI) on the google-ar2en eval split, scored as benches/translit.rs scores tm.

Usage: PY benches/peers/translit_peer.py ../shared/data/translit/google-ar2en/ar2en-eval.txt
Prints top-1 accuracy (case-insensitive), character error rate and names per second.
The package is only imported, never copied into the repository.
"""
import sys
import time

import arabic_name_romanizer as romanizer


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a):
        cur = [i + 1] * (len(b) + 1)
        for j, y in enumerate(b):
            cur[j + 1] = min(prev[j] + (x != y), prev[j + 1] + 1, cur[j] + 1)
        prev = cur
    return prev[len(b)]


def main(path: str) -> None:
    pairs = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if "\t" in line]
    started = time.perf_counter()
    outputs = [romanizer.transliterate(ar) for ar, _ in pairs]
    seconds = time.perf_counter() - started
    right = errors = chars = 0
    for (_, gold), out in zip(pairs, outputs):
        gold, out = gold.lower(), (out or "").lower()
        right += gold == out
        errors += edit_distance(out, gold)
        chars += len(gold)
    print(
        f"arabic-name-romanizer on {len(pairs)} names: top-1 {right / len(pairs):.3f}, "
        f"CER {errors / chars:.3f}, {len(pairs) / seconds:.0f} names/s"
    )


if __name__ == "__main__":
    main(sys.argv[1])
