#!/usr/bin/env python3
"""Popularity as a recgap `command` model, in plain Python 3 (no packages).

Scores every catalogue item by its number of conversions in the training file: events whose type is one
of the handshake's "positives", as recgap's built-in `popularity` model counts them. recgap ranks external
scores exactly as its own, so this model reproduces the built-in model's metrics to the last digit.

    models:
      - { name: pop, type: popularity }
      - { name: cand, type: command, command: [python3, ../examples/models/popularity.py] }         # JSON answers
      - { name: cand32, type: command, command: [python3, ../examples/models/popularity.py, --f32] } # float32 answers

The protocol (README, "Evaluate your own model"): one JSON object a line on stdin; answers one a line on
stdout, in order. stderr is passed through to recgap's stderr with the model's name in front.
"""
import array
import csv
import json
import sys


def main() -> None:
    f32 = "--f32" in sys.argv[1:]
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer

    # 1. Handshake: the catalogue (scores follow its order), the training file, K, the conversion types.
    hello = json.loads(stdin.readline())
    items = hello["items"]
    index = {item: i for i, item in enumerate(items)}
    positives = set(hello["positives"])
    counts = [0] * len(items)
    with open(hello["train"], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):  # time,person,key,item,event
            if row["event"] in positives:
                i = index.get(row["item"])
                if i is not None:
                    counts[i] += 1

    # Popularity ignores the profile: encode the answer's body once.
    if f32:
        body = array.array("f", counts)
        if sys.byteorder != "little":
            body.byteswap()
        body = body.tobytes()
        tail = b',"bytes":%d}\n' % len(body)
    else:
        scores = json.dumps(counts, separators=(",", ":")).encode()
    stdout.write(json.dumps({"ready": True, "scores": "f32" if f32 else "json"}).encode() + b"\n")
    stdout.flush()
    print(f"popularity: {sum(counts)} conversions on {sum(1 for c in counts if c)} items", file=sys.stderr)

    # 2. One answer per request, in order. "more" says how many requests of the batch follow this one:
    # flushing once per batch instead of once per answer saves a system call per answer.
    for line in stdin:
        request = json.loads(line)
        rid = request["id"]
        if f32:
            stdout.write(b'{"id":%d%s' % (rid, tail))
            stdout.write(body)
        else:
            stdout.write(b'{"id":%d,"scores":%s}\n' % (rid, scores))
        if request.get("more", 0) == 0:
            stdout.flush()


if __name__ == "__main__":
    main()
