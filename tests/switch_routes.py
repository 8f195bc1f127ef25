#!/usr/bin/env python3
"""Routes through switches: every route tumen finds on an OSRD infrastructure is a legal path
(it moves only from a switch's toe to a branch, straight over a crossing, along a slip's
pairs; never from one branch into the other) and is as short as the shortest legal path.

The oracle here reads the railjson file itself and searches its own graph: states are
(track section, direction of travel), moves are the switch types' port pairs (OSRD's
built-in types and the file's extended_switch_types). It shares no code with tumen. A train
slower than every speed limit makes tumen's fastest route its shortest, so the two compare.

usage: switch_routes.py TUMEN INFRA.json WORKDIR
"""
import heapq
import json
import subprocess
import sys

BUILTIN = {
    "point_switch": [("A", "B1"), ("A", "B2")],
    "link": [("A", "B")],
    "crossing": [("A1", "B1"), ("A2", "B2")],
    "single_slip_switch": [("A1", "B1"), ("A2", "B2"), ("A1", "B2")],
    "double_slip_switch": [("A1", "B1"), ("A1", "B2"), ("A2", "B1"), ("A2", "B2")],
}


def legal_moves(infra):
    types = dict(BUILTIN)
    for t in infra.get("extended_switch_types", []):
        types[t["id"]] = [(c["src"], c["dst"]) for g in t["groups"].values() for c in g]
    moves = set()  # {((track, endpoint), (track, endpoint))}, both ways
    for sw in infra["switches"]:
        ports = sw["ports"]
        for a, b in types[sw["switch_type"]]:
            if a in ports and b in ports:
                pa = (ports[a]["track"], ports[a]["endpoint"])
                pb = (ports[b]["track"], ports[b]["endpoint"])
                moves.add((pa, pb))
                moves.add((pb, pa))
    return moves


def shortest(infra, moves, a, b):
    """Shortest legal distance (m) from any part of op a, either way, to any part of op b."""
    length = {t["id"]: t["length"] for t in infra["track_sections"]}
    parts = {o["id"]: [(p["track"], p["position"]) for p in o["parts"]]
             for o in infra["operational_points"]}
    out = {}  # track end -> ends it may go on to
    for x, y in moves:
        out.setdefault(x, []).append(y)
    best = float("inf")
    heap = []
    for t, pos in parts[a]:
        # travelling towards END (+) or BEGIN (-) from pos
        heapq.heappush(heap, (length[t] - pos, (t, "END")))
        heapq.heappush(heap, (pos, (t, "BEGIN")))
        for t2, pos2 in parts[b]:
            if t2 == t:
                best = min(best, abs(pos2 - pos))
    seen = {}
    while heap:
        d, end = heapq.heappop(heap)
        if end in seen or d >= best:
            continue
        seen[end] = d
        for nxt in out.get(end, []):
            t, ep = nxt  # entering track t at endpoint ep, travelling away from it
            for t2, pos2 in parts[b]:
                if t2 == t:
                    best = min(best, d + (pos2 if ep == "BEGIN" else length[t] - pos2))
            heapq.heappush(heap, (d + length[t], (t, "END" if ep == "BEGIN" else "BEGIN")))
    return best


def check_legal(route, moves):
    """Every change of track section in tumen's steps is a legal move of the file."""
    prev = None
    for st in route["steps"]:
        raw = st["track"].split(":")[0]
        fwd = st["forward"]
        if prev is not None:
            praw, pfwd = prev
            if praw == raw:
                if pfwd != fwd:
                    return "reverses on %s without a reversal" % raw
            else:
                exit_end = (praw, "END" if pfwd else "BEGIN")
                entry = (raw, "BEGIN" if fwd else "END")
                if (exit_end, entry) not in moves:
                    return "illegal move %s -> %s" % (exit_end, entry)
        prev = (raw, fwd)
    return None


def main():
    tumen, infra_path, work = sys.argv[1:4]
    infra = json.load(open(infra_path))
    moves = legal_moves(infra)
    net = work + "/net.yaml"
    subprocess.run([tumen, "import", infra_path, "-o", net], check=True,
                   stdout=subprocess.DEVNULL)
    # A diesel train slower than every limit: its fastest route is its shortest.
    with open(work + "/slow.yaml", "w") as f:
        f.write("vehicles:\n  - {id: slow_loco, kind: locomotive, power: diesel, mass: 80 t,"
                " length: 20 m, max_speed: 7.2 km/h,"
                "" " traction: {max_force: 200 kN, max_power: 1000 kW}, brake: {weight: 60 t},"
                " resistance: {law: davis, a: 1 kN, b: 0 N/(km/h), c: 0 N/(km/h)^2}}\n"
                "trains:\n  - {id: slow, consist: [{vehicle: slow_loco, count: 1}]}\n")
    ops = [o["id"] for o in infra["operational_points"]]
    checked = bad = 0
    for a in ops:
        for b in ops:
            if a == b:
                continue
            want = shortest(infra, moves, a, b)
            p = subprocess.run([tumen, "route", net, work + "/slow.yaml", "--train", "slow",
                                "--from", a, "--to", b, "--json"], capture_output=True,
                               text=True)
            checked += 1
            if want == float("inf"):
                if p.returncode == 0:
                    print("FAIL %s -> %s: tumen finds a route where no legal one exists" % (a, b))
                    bad += 1
                continue
            if p.returncode != 0:
                print("FAIL %s -> %s: no route (legal %.1f m): %s" % (a, b, want, p.stderr.strip()))
                bad += 1
                continue
            route = json.loads(p.stdout)
            why = check_legal(route, moves)
            if why:
                print("FAIL %s -> %s: %s" % (a, b, why))
                bad += 1
            elif abs(route["length_m"] - want) > 1.0:
                print("FAIL %s -> %s: %.1f m, shortest legal %.1f m" % (a, b, route["length_m"], want))
                bad += 1
    print("%s: %d routes checked, %d wrong" % (infra_path.split("/")[-2], checked, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
