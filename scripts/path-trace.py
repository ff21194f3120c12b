#!/usr/bin/env python3
"""Where each order's time went, from a PathTrace file (a server run with -Dexchange.path_trace=FILE,
e.g. LOADTEST_JAVA_OPTS=-Dexchange.path_trace=/tmp/trace.txt scripts/loadtest.sh --only latency).

Orders are split into runs at gaps of over 300 ms between arrivals; for each run of 500 or more
orders it prints the gaps of an order's path (us) at the median, their mean over the middle 10%
and over the slowest 1%, and which gap was the largest in each of the slowest 1%. A command with
no HTTP arrival that held the engine thread 1 ms or more is listed too (a stall every order
published meanwhile waits for).
usage: scripts/path-trace.py TRACE_FILE
"""
import bisect
import collections
import sys

GAPS = ["arrival>submit", "submit>published", "published>journal_append", "journal_append>batch_end",
        "published>engine_start", "engine_start>engine_end", "both_done>result", "result>answer",
        "answer>responded", "published>result", "TOTAL"]
DOMINANT = ["arrival>submit", "submit>published", "published>result", "result>answer", "answer>responded"]


def pct(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def gaps(d):
    answer = d.get("seen_by_waiter", d.get("async_continue"))
    both = max(d["journal_batch_end"], d["engine_end"])
    return {
        "arrival>submit": d["submit"] - d["arrival"],
        "submit>published": d["published"] - d["submit"],
        "published>journal_append": d["journal_append"] - d["published"],
        "journal_append>batch_end": d["journal_batch_end"] - d["journal_append"],
        "published>engine_start": d["engine_start"] - d["published"],
        "engine_start>engine_end": d["engine_end"] - d["engine_start"],
        "both_done>result": d["result"] - both,
        "result>answer": answer - d["result"],
        "answer>responded": d["responded"] - answer,
        "published>result": d["result"] - d["published"],
        "TOTAL": d["responded"] - d["arrival"],
    }


def main(path):
    orders = collections.defaultdict(dict)
    for line in open(path):
        if line.startswith("#"):
            continue
        key, point, nanos, _thread = line.split()
        orders[key].setdefault(point, int(nanos))
    # the journal stamps the end of a batch under its last command: give it to each of the batch's
    batch_ends = sorted(d["journal_batch_end"] for d in orders.values() if "journal_batch_end" in d)
    for d in orders.values():
        if "journal_append" in d:
            i = bisect.bisect_left(batch_ends, d["journal_append"])
            if i < len(batch_ends):
                d["journal_batch_end"] = batch_ends[i]
    need = ("arrival", "submit", "published", "journal_append", "journal_batch_end", "engine_start",
            "engine_end", "result", "responded")
    http = sorted((d["arrival"], d) for d in orders.values()
                  if all(p in d for p in need) and ("seen_by_waiter" in d or "async_continue" in d))
    stalls = sorted((d["engine_end"] - d["engine_start"], d["engine_start"]) for d in orders.values()
                    if "arrival" not in d and "engine_start" in d and "engine_end" in d)
    runs, run = [], []
    for arrival, d in http:
        if run and arrival - run[-1]["arrival"] > 300_000_000:
            runs.append(run)
            run = []
        run.append(d)
    if run:
        runs.append(run)
    for n, run in enumerate(runs):
        if len(run) < 500:
            continue
        seconds = (run[-1]["arrival"] - run[0]["arrival"]) / 1e9
        rows = sorted((gaps(d) for d in run), key=lambda g: g["TOTAL"])
        mid = rows[int(len(rows) * 0.45):int(len(rows) * 0.55)]
        slow = rows[int(len(rows) * 0.99):]
        waited = sum(1 for d in run if "seen_by_waiter" in d)
        totals = [g["TOTAL"] for g in rows]
        print(f"\nrun {n}: {len(run)} orders, {len(run) / seconds:.0f}/s; answered by the waiting thread "
              f"{waited / len(run) * 100:.1f}%; total p50 {pct(totals, 50) / 1e3:.0f} p99 {pct(totals, 99) / 1e3:.0f} "
              f"p99.9 {pct(totals, 99.9) / 1e3:.0f} us")
        print(f"  {'gap (us)':26s} {'p50':>8s} {'mean mid 10%':>13s} {'mean slow 1%':>13s} {'p50 slow 1%':>12s}")
        for gap in GAPS:
            values = sorted(g[gap] for g in rows)
            slow_values = sorted(g[gap] for g in slow)
            print(f"  {gap:26s} {pct(values, 50) / 1e3:8.1f} {sum(g[gap] for g in mid) / len(mid) / 1e3:13.1f} "
                  f"{sum(slow_values) / len(slow_values) / 1e3:13.1f} {pct(slow_values, 50) / 1e3:12.1f}")
        largest = collections.Counter(max(DOMINANT, key=lambda gap: g[gap]) for g in slow)
        print("  largest gap in each of the slowest 1%: " + ", ".join(f"{k} {v}" for k, v in largest.most_common()))
    long_ones = [s for s in stalls if s[0] >= 1_000_000]
    if long_ones:
        print(f"\ncommands without an HTTP arrival holding the engine 1 ms or more: {len(long_ones)}, "
              f"longest {long_ones[-1][0] / 1e6:.1f} ms")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
