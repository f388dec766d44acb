#!/usr/bin/env python3
"""Item co-occurrence as a recgap `command` model, in plain Python 3 (no packages).

Fits on the training file: two items co-occur when one person touches both within WINDOW consecutive events.
Scores a profile: the co-occurrence counts of its most recent distinct items, the newest weighted most, with
conversion counts as a small tie-breaker (and as the whole answer for an empty profile). Unlike popularity,
the answer depends on the profile, so a stale or fragmented served view changes it.

    models: [ { name: cooc, type: command, command: [python3, ../examples/models/cooccurrence.py, --f32] } ]
"""
import array
import csv
import json
import sys
from collections import defaultdict

WINDOW = 5  # events of one person within which two items co-occur
RECENT = 20  # most recent distinct profile items that score


def main() -> None:
    f32 = "--f32" in sys.argv[1:]
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    hello = json.loads(stdin.readline())
    items = hello["items"]
    n = len(items)
    index = {item: i for i, item in enumerate(items)}
    positives = set(hello["positives"])

    # Training events by person, in time order (the file is sorted by time).
    popularity = [0.0] * n
    history = defaultdict(list)
    with open(hello["train"], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            i = index.get(row["item"])
            if i is None:
                continue
            history[row["person"]].append(i)
            if row["event"] in positives:
                popularity[i] += 1
    cooc = defaultdict(lambda: defaultdict(float))
    for seq in history.values():
        for a in range(len(seq)):
            for b in range(a + 1, min(len(seq), a + WINDOW + 1)):
                i, j = seq[a], seq[b]
                if i != j:
                    cooc[i][j] += 1
                    cooc[j][i] += 1
    top = max(popularity) or 1.0
    base = [p / top * 1e-3 for p in popularity]  # below any co-occurrence count

    stdout.write(json.dumps({"ready": True, "scores": "f32" if f32 else "json"}).encode() + b"\n")
    stdout.flush()
    print(f"cooccurrence: {len(cooc)} items with neighbours from {len(history)} persons", file=sys.stderr)

    for line in stdin:
        request = json.loads(line)
        scores = list(base)
        seen = set()
        for item in reversed(request["items"]):  # newest first
            i = index.get(item)
            if i is None or i in seen:
                continue
            weight = 1.0 / (1 + len(seen))
            seen.add(i)
            for j, c in cooc.get(i, {}).items():
                scores[j] += weight * c
            if len(seen) == RECENT:
                break
        rid = request["id"]
        if f32:
            body = array.array("f", scores)
            if sys.byteorder != "little":
                body.byteswap()
            body = body.tobytes()
            stdout.write(b'{"id":%d,"bytes":%d}\n' % (rid, len(body)))
            stdout.write(body)
        else:
            stdout.write(b'{"id":%d,"scores":%s}\n' % (rid, json.dumps(scores, separators=(",", ":")).encode()))
        if request.get("more", 0) == 0:
            stdout.flush()


if __name__ == "__main__":
    main()
