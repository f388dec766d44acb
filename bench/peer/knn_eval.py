"""The peer of recgap's frozen (offline) item-kNN evaluation: the same protocol (docs/method.md section 4) written the way
a data scientist would with pandas and scipy.sparse, to benchmark recgap against (bench/peer.ts runs both).

    /usr/bin/python3 bench/peer/knn_eval.py LOG.csv [--k 10] [--window-ms 604800000] [--until-q 0.75]
        [--neighbors 100] [--shrink 10] [--half-life-ms 604800000] [--positives purchase] [--exclude-seen]
        [--dump per_request.csv]

LOG.csv has recgap's canonical columns (time,person,key,login,channel,session,item,event,value), as
`recgap generate` writes them; time is epoch milliseconds. Prints one JSON object: request counts, ndcg@K,
hr@K, wall and CPU seconds by stage (load, fit, requests, score+rank, metrics) and in total.

Protocol, step by step (what recgap does, file by file):
  load      read the CSV; item ids numbered in order of first appearance in the file (recgap's ingest
            interns them that way, and ties in the ranking go to the smaller number); rows stably sorted by
            time; events without a person belong to a stand-in person per key (log/persons.ts).
  split     until = the time of event floor(q * n) in time order; training = events with time < until.
  fit       X = person x item, 1 where the person has any training event on the item. C = X^T X;
            sim(i, j) = C_ij / (sqrt(d_i d_j) + shrink), d = column sums of X, kept as float32; per item the
            `neighbors` most similar j != i (ties: smaller j). Prior: 1e-6 d_i / max d (float32).
  requests  the first event of every session that starts at or after until (a session with an event
            before until is not a request); censored when t + W > the last event's time; labels: the
            person's distinct positive items with t <= time < t + W; no labels -> dropped.
  score     frozen profile = all of the person's events with time < t; each weighs
            typeWeight(event) * 2^(-(newest profile time - time) / halfLife) (view 1, cart 2, purchase 2).
            score = prior + P (I + N), P the request x item weights, N the neighbour matrix.
  rank      the K highest scores over the whole catalogue, ties by smaller item number.
  metrics   NDCG@K = sum over hits 1/log2(rank+1) / sum_{r <= min(K, |L|)} 1/log2(r+1); HR@K = any hit;
            means over requests.
With --exclude-seen the person's positive items before t leave both labels and ranking.

Scores are summed in float64 here, in float32 in recgap: rankings can differ where two scores are within
float32 rounding of each other, which moves the means by far less than 1e-4 (bench/peer.ts checks).
"""

import argparse
import json
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

TYPE_WEIGHTS = {"view": 1.0, "cart": 2.0, "purchase": 2.0}  # itemknn.ts DEFAULT_TYPE_WEIGHTS; others weigh 1


def parse_args(argv):
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("csv")
    a.add_argument("--k", type=int, default=10)
    a.add_argument("--window-ms", type=float, default=7 * 86_400_000)
    a.add_argument("--until-q", type=float, default=0.75)
    a.add_argument("--neighbors", type=int, default=100)
    a.add_argument("--shrink", type=float, default=10.0)
    a.add_argument("--half-life-ms", type=float, default=7 * 86_400_000)
    a.add_argument("--positives", default="purchase", help="comma-separated event types that are labels")
    a.add_argument("--exclude-seen", action="store_true")
    a.add_argument("--chunk", type=int, default=2048, help="requests scored per dense block")
    a.add_argument("--dump", help="write per-request time,person,ndcg,hr to this CSV")
    return a.parse_args(argv)


COLUMNS = ["time", "person", "key", "session", "item", "event"]  # what the protocol reads of the log


def load(path):
    """The log as a time-sorted frame with integer person and item columns."""
    df = pd.read_csv(path, usecols=COLUMNS, dtype={c: "float64" if c == "time" else "object" for c in COLUMNS})
    # Item numbers in order of first appearance in the file (before sorting), as recgap's ingest interns them.
    item_idx, item_names = pd.factorize(df["item"], sort=False)
    df["item"] = item_idx.astype(np.int32)
    unknown = df["person"].isna()
    if unknown.any():
        df.loc[unknown, "person"] = "key:" + df.loc[unknown, "key"].astype(str)
    df["person"] = pd.factorize(df["person"], sort=False)[0].astype(np.int32)
    df = df.drop(columns="key").sort_values("time", kind="stable", ignore_index=True)
    return df, len(item_names)


def fit(train, n_persons, n_items, neighbors, shrink):
    """Neighbour matrix N (item x item, float32 similarities kept as float64) and the popularity prior."""
    pairs = train[["person", "item"]].drop_duplicates()
    X = sp.csr_matrix((np.ones(len(pairs)), (pairs["person"].to_numpy(), pairs["item"].to_numpy())), shape=(n_persons, n_items))
    deg = np.asarray(X.sum(axis=0)).ravel()
    C = (X.T @ X).tocoo()
    off = C.row != C.col
    row, col, co = C.row[off], C.col[off], C.data[off]
    sim = (co / (np.sqrt(deg[row] * deg[col]) + shrink)).astype(np.float32)
    # Top neighbours per item: sort by (item, -sim, neighbour) and keep the first m of each item.
    m = min(neighbors, max(0, n_items - 1))
    order = np.lexsort((col, -sim, row))
    row, col, sim = row[order], col[order], sim[order]
    first = np.searchsorted(row, row, side="left")
    keep = np.arange(len(row)) - first < m
    N = sp.csr_matrix((sim[keep].astype(np.float64), (row[keep], col[keep])), shape=(n_items, n_items))
    prior = ((1e-6 * deg) / max(1.0, deg.max(initial=0))).astype(np.float32).astype(np.float64)
    return N, prior


def build_requests(df, train_bound, window_ms, positive, exclude_seen):
    """Requests (time, person) with their label and seen (person, item) pairs, and the counts."""
    end = df["time"].iat[-1]
    before = pd.unique(df["session"].iloc[:train_bound].dropna())
    test = df.iloc[train_bound:]
    starts = test[test["session"].notna()].drop_duplicates("session")
    starts = starts[~starts["session"].isin(before)]
    candidates = len(starts)
    ok = starts["time"] + window_ms <= end
    req = starts.loc[ok, ["time", "person"]].reset_index(drop=True)
    req["rid"] = np.arange(len(req))
    pos = df.loc[positive, ["person", "time", "item"]]
    j = req.merge(pos, on="person", suffixes=("", "_e"))
    labels = j[(j["time_e"] >= j["time"]) & (j["time_e"] < j["time"] + window_ms)][["rid", "item"]].drop_duplicates()
    seen = None
    if exclude_seen:
        seen = j[j["time_e"] < j["time"]][["rid", "item"]].drop_duplicates()
        labels = labels.merge(seen, on=["rid", "item"], how="left", indicator=True)
        labels = labels[labels["_merge"] == "left_only"].drop(columns="_merge")
    has = np.unique(labels["rid"].to_numpy())
    # Renumber the labelled requests 0..R-1, in time order.
    new_id = np.full(len(req), -1, dtype=np.int64)
    new_id[has] = np.arange(len(has))
    req = req.iloc[has].reset_index(drop=True)
    req["rid"] = np.arange(len(req))
    labels = labels.assign(rid=new_id[labels["rid"].to_numpy()])
    if seen is not None:
        seen = seen.assign(rid=new_id[seen["rid"].to_numpy()])
        seen = seen[seen["rid"] >= 0]
    counts = {
        "candidates": int(candidates),
        "censored": int((~ok).sum()),
        "noLabels": int(ok.sum() - len(req)),
        "requests": int(len(req)),
        "persons": int(req["person"].nunique()),
    }
    return req, labels, seen, counts


def profiles(df, req, n_items, half_life_ms, type_weight):
    """P: request x item, the recency- and type-weighted frozen profile (person's events with time < t)."""
    ev = df[["person", "time", "item"]].assign(w=type_weight)
    j = req.merge(ev, on="person", suffixes=("", "_e"))
    j = j[j["time_e"] < j["time"]]
    newest = j.groupby("rid")["time_e"].transform("max")
    w = j["w"].to_numpy() * np.exp(-np.log(2) / half_life_ms * (newest - j["time_e"]).to_numpy())
    return sp.csr_matrix((w, (j["rid"].to_numpy(), j["item"].to_numpy())), shape=(len(req), n_items))


def top_k(scores, k, exclude=None):
    """Indices of the k highest scores per row, best first, ties by smaller index."""
    if exclude is not None:
        scores[exclude] = -np.inf
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    kth = np.take_along_axis(scores, part, axis=1).min(axis=1)
    # Everything at or above the k-th score (k items plus ties), ordered by (row, -score, index).
    r, c = np.nonzero(scores >= kth[:, None])
    v = scores[r, c]
    order = np.lexsort((c, -v, r))
    r, c = r[order], c[order]
    keep = np.arange(len(r)) - np.searchsorted(r, r, side="left") < k
    return c[keep].reshape(scores.shape[0], k)


def main(argv):
    args = parse_args(argv)
    cpu0 = time.process_time()
    t, cpu = {}, {}
    t0 = time.perf_counter()
    last, last_cpu = t0, cpu0

    def stage(name):
        nonlocal last, last_cpu
        now, now_cpu = time.perf_counter(), time.process_time()
        t[name], cpu[name] = now - last, now_cpu - last_cpu
        last, last_cpu = now, now_cpu

    # 1. Load.
    df, n_items = load(args.csv)
    n_persons = int(df["person"].max()) + 1
    stage("load")

    # 2. Split and fit.
    n = len(df)
    until = df["time"].iat[min(n - 1, int(np.floor(args.until_q * n)))]
    train_bound = int(np.searchsorted(df["time"].to_numpy(), until, side="left"))
    N, prior = fit(df.iloc[:train_bound], n_persons, n_items, args.neighbors, args.shrink)
    S = (N + sp.identity(n_items, format="csr")).tocsr()
    stage("fit")

    # 3. Requests and labels.
    positives = set(args.positives.split(","))
    positive = df["event"].isin(positives).to_numpy()
    req, labels, seen, counts = build_requests(df, train_bound, args.window_ms, positive, args.exclude_seen)
    stage("requests")

    # 4. Score the full catalogue and rank.
    type_weight = df["event"].map(TYPE_WEIGHTS).fillna(1.0).to_numpy()
    P = profiles(df, req, n_items, args.half_life_ms, type_weight)
    R = len(req)
    top = np.empty((R, min(args.k, n_items)), dtype=np.int64)
    seen_codes = None
    if seen is not None:
        seen_codes = (seen["rid"].to_numpy(), seen["item"].to_numpy())
    for c0 in range(0, R, args.chunk):
        c1 = min(R, c0 + args.chunk)
        scores = (P[c0:c1] @ S).toarray() + prior
        exclude = None
        if seen_codes is not None:
            sel = (seen_codes[0] >= c0) & (seen_codes[0] < c1)
            exclude = (seen_codes[0][sel] - c0, seen_codes[1][sel])
        top[c0:c1] = top_k(scores, args.k, exclude)
    stage("score+rank")

    # 5. Metrics.
    K = args.k
    label_codes = labels["rid"].to_numpy() * n_items + labels["item"].to_numpy()
    hits = np.isin(np.arange(R)[:, None] * n_items + top, label_codes)
    discount = 1.0 / np.log2(np.arange(2, top.shape[1] + 2))
    ideal = np.concatenate([[0.0], np.cumsum(1.0 / np.log2(np.arange(2, K + 2)))])
    n_labels = np.bincount(labels["rid"].to_numpy(), minlength=R)
    ndcg = (hits * discount).sum(axis=1) / ideal[np.minimum(K, n_labels)]
    hr = hits.any(axis=1).astype(np.float64)
    result = {"ndcg": float(ndcg.mean()), "hr": float(hr.mean())}
    stage("metrics")

    total = time.perf_counter() - t0
    if args.dump:
        pd.DataFrame({"time": req["time"], "ndcg": ndcg, "hr": hr}).to_csv(args.dump, index=False)
    out = {
        **counts,
        "events": n,
        "columnsRead": f"{len(COLUMNS)} of {len(pd.read_csv(args.csv, nrows=0).columns)}",
        "items": n_items,
        "trainEvents": train_bound,
        "untilMs": float(until),
        f"ndcg@{K}": result["ndcg"],
        f"hr@{K}": result["hr"],
        "seconds": {k: round(v, 4) for k, v in t.items()},
        "total": round(total, 4),
        "cpuSeconds": round(time.process_time() - cpu0, 4),
        "cpuSecondsByStage": {k: round(v, 4) for k, v in cpu.items()},
        "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "scipy": __import__("scipy").__version__, "numpy": np.__version__},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
