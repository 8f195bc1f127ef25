#!/usr/bin/env python3
"""make_profile.py: writes the `lines:` block of examples/flagship/journey.yaml.

No longitudinal profile has been published for any section of the route (FACTS.md,
"Gradients"). The flagship example therefore uses an ASSUMED profile: sections a few km
long whose gradients are drawn from a seeded random generator, bounded by the ruling grade
each stretch is assumed to have, and steered so that the line passes through a few assumed
elevations (sea level on the coast, a summit between Pyongyang and Hamhung). Everything
else about the lines (station positions, speed limits, braking distances) is written out
in the tables below, each value with where it comes from.

The output is plain data: this script rewrites the text between the markers
    # >>> lines
    # <<< lines
in journey.yaml, and between
    # >>> tracks
    # <<< tracks
in network.yaml (the same profile cut into tracks between operational points, see NETWORK
below, with the assumed block signals of SIGNALLING), and touches nothing else. The same seed gives the same bytes.

    python3 examples/flagship/make_profile.py            # rewrite both files in place
    python3 examples/flagship/make_profile.py --check    # exit 1 if either differs

Only the Python standard library is used.
"""
import os
import random
import textwrap
import sys

SEED = 2019  # the year of the first journey in FACTS.md; any fixed number would do

HERE = os.path.dirname(os.path.abspath(__file__))
JOURNEY = os.path.join(HERE, "journey.yaml")
NETWORK_FILE = os.path.join(HERE, "network.yaml")
BEGIN = "# >>> lines"
END = "# <<< lines"
NET_BEGIN = "# >>> tracks"
NET_END = "# <<< tracks"

# Positions are handled in units of 0.1 km (integers), so that no float drift creeps in.
def dkm(km):
    return int(round(km * 10))


def fmt_km(d):
    return ("%d" % (d // 10)) if d % 10 == 0 else "%.1f" % (d / 10.0)


# ---- The lines ---------------------------------------------------------------------------
#
# Each line has:
#   points:    (name, km, stop, dwell, comment) timing points; km along this line.
#   zones:     (from km, to km, speed km/h or None, comment): level track (0 permille) at a
#              station or on a bridge, at the given speed or, for None, the stretch's speed.
#   stretches: (from km, to km, speed km/h, ruling grade permille, highest elevation m,
#              comment): speed limit and the bound of the random gradients elsewhere.
#   controls:  (km, elevation m): the assumed profile passes through these.
#
# Every number not marked FACTS is assumed.

LINES = [
    {
        "id": "pyongyang-tumangang",
        "name": "Pyongyang - Tumangang",
        "head": [
            "# Pyongra, Hambuk and Hongui Lines, via Hamhung, Kimchaek, Chongjin, Rajin, Sonbong, Hongui.",
            "# FACTS: Pyongyang - Rajin 819 km (Pyongra Line), Rajin - Hongui 42.6 km (Hambuk Line,",
            "#   km 328.2 to 285.6), Hongui - Tumangang 9.5 km; 1435 mm (dual with 1520 mm from Rajin);",
            "#   3000 V DC throughout, the wire ends at Tumangang. 819 + 42.6 + 9.5 = 871.1 km. FACTS",
            "#   also quotes Tumangang - Pyongyang 845 km and Tumangang - Rajin 49 km, which disagree",
            "#   with the section lengths; the sum of the sections is used.",
            "# assumed braking_distance 400 m: no signalling data for North Korea is public. Its",
            "#   lines are run at 60 km/h at best (FACTS), and 400 m is the shortest of the standard",
            "#   distant-signal spacings (400, 700, 1000 m) of the braking tables that go with the",
            "#   Mindener formula - the spacing of slow lines. See README.md, \"Why 60 km/h\".",
        ],
        "braking_distance": 400,
        "points": [
            ("Pyongyang", 0, True, 0, "FACTS: start of the Pyongra Line"),
            ("Hamhung", 275, True, 10, "assumed km (map estimate); assumed 10 min technical stop (crew, inspection)"),
            ("Kimchaek", 545, False, 0, "assumed km (map estimate)"),
            ("Chongjin", 735, True, 10, "assumed km (map estimate); assumed 10 min technical stop (crew, inspection)"),
            ("Rajin", 819, False, 0, "FACTS: Pyongyang - Rajin 819 km"),
            ("Sonbong", 834, False, 0, "assumed km: between Rajin and Hongui (FACTS), about 15 km from Rajin"),
            ("Hongui", 861.6, False, 0, "FACTS: Rajin - Hongui 42.6 km"),
            ("Tumangang", 871.1, True, 0, "FACTS: Hongui - Tumangang 9.5 km; end of the wire"),
        ],
        "zones": [
            (0, 1.0, 30, "Pyongyang station throat"),
            (274.5, 275.5, 30, "Hamhung station"),
            (544.5, 545.5, 30, "Kimchaek station"),
            (734.5, 735.5, 30, "Chongjin station"),
            (818.5, 819.5, 30, "Rajin station"),
            (833.5, 834.5, 30, "Sonbong station"),
            (861.1, 862.1, 30, "Hongui station"),
            (870.1, 871.1, 25, "Tumangang, border station"),
        ],
        "stretches": [
            (0, 275, 45, 11, 700, "mountain crossing to the east coast, curves (FACTS: ruling grades about 11 permille on main lines)"),
            (275, 819, 60, 11, 300, "east-coast Pyongra, coastal ridges (FACTS: up to about 60 km/h on the best main lines)"),
            (819, 861.6, 50, 8, 120, "Rajin - Hongui, hilly coast (FACTS: 18 bridges and 3 tunnels on Rajin - Khasan)"),
            (861.6, 871.1, 50, 3, 40, "Hongui - Tumangang along the Tumen (FACTS: the riverbank is comparatively flat)"),
        ],
        # assumed elevations: Pyongyang 30 m; a summit of 560 m crossing the mountains to the
        # east coast; the coastal stations near sea level; coastal ridges of 140 m (Hamhung -
        # Kimchaek), 260 m (inland, Kimchaek - Chongjin) and 70 m (Rajin - Sonbong).
        "controls": [(0, 30), (150, 560), (275, 20), (400, 140), (545, 15), (640, 260), (735, 10),
                     (819, 10), (840, 70), (861.6, 15), (871.1, 10)],
        "min_elevation": 3,
    },
    {
        "id": "tumangang-ussuriysk",
        "name": "Tumangang - Ussuriysk",
        "head": [
            "# Over the Friendship Bridge to Khasan, then Baranovsky and the Trans-Siberian to Ussuriysk.",
            "# FACTS: Tumangang - Khasan 5 km over the Friendship Bridge (about 400 m, 1959), dual",
            "#   gauge, single track, not electrified; Khasan - Baranovsky 238 km, 1520 mm, single track,",
            "#   not electrified; Baranovsky - Ussuriysk about 22 km (Trans-Siberian, 25 kV AC).",
            "#   5 + 238 + 22 = 265 km; FACTS: Khasan - Ussuriysk 260 km agrees.",
            "# FACTS: station km on Khasan - Baranovsky are given from Baranovsky; here at 5 + (238 - km).",
            "# assumed braking_distance 1000 m: a Russian main line with block signals spaced at about",
            "#   the full braking distance of ordinary trains; no figure for this line is in FACTS.",
        ],
        "braking_distance": 1000,
        "points": [
            ("Tumangang", 0, True, 0, "FACTS: bogie exchange point (the change is on the journey leg)"),
            ("Friendship Bridge", 1.0, False, 0, "FACTS: bridge about 400 m; its km here is assumed"),
            ("Khasan", 5, True, 20, "FACTS: Tumangang - Khasan 5 km; assumed 20 min stop (Russian border formalities)"),
            ("Makhalino", 46, False, 0, "FACTS: 197 km from Baranovsky"),
            ("Gvozdevo", 58, False, 0, "FACTS: 185 km from Baranovsky"),
            ("Ryazanovka", 96, False, 0, "FACTS: 147 km from Baranovsky"),
            ("Bamburovo", 118, False, 0, "FACTS: 125 km from Baranovsky"),
            ("Kedrovy", 147, False, 0, "FACTS: 96 km from Baranovsky"),
            ("Primorsky", 156, False, 0, "FACTS: 87 km from Baranovsky"),
            ("Vinevitino", 207, False, 0, "FACTS: 36 km from Baranovsky"),
            ("Olenevod", 231, False, 0, "FACTS: 12 km from Baranovsky"),
            ("Baranovsky", 243, False, 0, "FACTS: Khasan - Baranovsky 238 km; junction with the Trans-Siberian"),
            ("Ussuriysk", 265, True, 0, "FACTS: Baranovsky - Ussuriysk about 22 km; locomotive change (journey leg)"),
        ],
        "zones": [
            (0, 1.0, 25, "Tumangang, border station"),
            (1.0, 1.4, 20, "Friendship Bridge over the Tumen (FACTS: about 400 m)"),
            (4.5, 5.5, 25, "Khasan, border station"),
            (45.5, 46.5, None, "Makhalino"),
            (57.5, 58.5, None, "Gvozdevo"),
            (95.5, 96.5, None, "Ryazanovka"),
            (117.5, 118.5, None, "Bamburovo"),
            (146.5, 147.5, None, "Kedrovy"),
            (155.5, 156.5, None, "Primorsky"),
            (206.5, 207.5, None, "Vinevitino"),
            (230.5, 231.5, None, "Olenevod"),
            (242.5, 243.5, 40, "Baranovsky junction"),
            (264.0, 265.0, 40, "Ussuriysk station (FACTS: 40 km/h through Ussuriysk, 2001)"),
        ],
        "stretches": [
            (0, 4.5, 40, 3, 40, "Tumen riverbank (FACTS: comparatively flat)"),
            (4.5, 7, 40, 3, 40, "Khasan station area"),
            (7, 243, 80, 9, 200, "Khasan - Baranovsky, single track through the coastal hills"),
            (243, 265, 100, 6, 120, "Baranovsky - Ussuriysk, double-track Trans-Siberian"),
        ],
        "controls": [(0, 10), (5, 10), (243, 30), (265, 25)],
        "min_elevation": 3,
    },
    {
        "id": "ussuriysk-vladivostok",
        "name": "Ussuriysk - Vladivostok",
        "head": [
            "# FACTS: Baranovsky - Ussuriysk about 22 km and Baranovsky - Vladivostok 89 km, double",
            "#   track, 25 kV 50 Hz AC. The train reverses at Ussuriysk and runs back over the same 22 km:",
            "#   km 0 - 22 here is km 265 - 243 of tumangang-ussuriysk, mirrored (gradients negated).",
            "# assumed braking_distance 1000 m: as on tumangang-ussuriysk.",
        ],
        "braking_distance": 1000,
        "points": [
            ("Ussuriysk", 0, True, 0, "FACTS: the diesel was replaced here by two electric locomotives (2019)"),
            ("Baranovsky", 22, False, 0, "FACTS: Baranovsky - Ussuriysk about 22 km"),
            ("Vladivostok", 111, True, 0, "FACTS: Baranovsky - Vladivostok 89 km"),
        ],
        "mirror": {"line": "tumangang-ussuriysk", "from": 243, "to": 265},
        "zones": [
            (22, 22.5, 40, "Baranovsky junction"),
            (108, 111, 40, "Vladivostok station approach"),
        ],
        "stretches": [
            (22, 111, 100, 6, 120, "Baranovsky - Vladivostok, double-track Trans-Siberian"),
        ],
        "controls": [(22, None), (111, 5)],
        "min_elevation": 3,
    },
]

# ---- The network (network.yaml) ---------------------------------------------------------
#
# The same assumed profile, cut at the operational points into tracks, each from the point
# nearer Pyongyang (the journey's direction) to the next. Per track: id, from, to, the line
# and km range of the profile above it lies on, gauges, main tracks, electrification, and
# where these come from. Station km are those of LINES (FACTS or assumed, as marked there).
#   (id, from, to, line, km from, km to, gauges mm, main tracks, electrification, comment)

PY_TUM = "pyongyang-tumangang"
TUM_USS = "tumangang-ussuriysk"
USS_VLA = "ussuriysk-vladivostok"
PYONGRA = "FACTS: Pyongra Line, 1435 mm, single track, 3000 V DC; station km assumed (map estimates)"
HAMBUK = "FACTS: Hambuk Line, dual gauge (1435 + 1520 mm), double track, 3000 V DC; Sonbong km assumed"
KB = "FACTS: Khasan - Baranovsky, 1520 mm, single track, not electrified; station km from Baranovsky"
NETWORK = [
    ("PY-HAM", "PY", "HAM", PY_TUM, 0, 275, [1435], 1, "3kV DC", PYONGRA),
    ("HAM-KIM", "HAM", "KIM", PY_TUM, 275, 545, [1435], 1, "3kV DC", PYONGRA),
    ("KIM-CHJ", "KIM", "CHJ", PY_TUM, 545, 735, [1435], 1, "3kV DC", PYONGRA),
    ("CHJ-RAJ", "CHJ", "RAJ", PY_TUM, 735, 819, [1435], 1, "3kV DC",
     "FACTS: Pyongra Line, Pyongyang - Rajin 819 km in all; 1435 mm, single track, 3000 V DC"),
    ("RAJ-SON", "RAJ", "SON", PY_TUM, 819, 834, [1435, 1520], 2, "3kV DC", HAMBUK),
    ("SON-HON", "SON", "HON", PY_TUM, 834, 861.6, [1435, 1520], 2, "3kV DC",
     HAMBUK + "; Rajin - Hongui 42.6 km"),
    ("HON-TUM", "HON", "TUM", PY_TUM, 861.6, 871.1, [1435, 1520], 2, "3kV DC",
     "FACTS: Hongui Line, 9.5 km, dual gauge, double track, 3000 V DC; the wire ends at Tumangang"),
    ("TUM-KHS", "TUM", "KHS", TUM_USS, 0, 5, [1435, 1520], 1, "none",
     "FACTS: over the Friendship Bridge (about 400 m, 1959), 5 km, dual gauge, single track, not electrified"),
    ("KHS-MAK", "KHS", "MAK", TUM_USS, 5, 46, [1520], 1, "none", KB + ": Khasan 238, Makhalino 197"),
    ("MAK-GVZ", "MAK", "GVZ", TUM_USS, 46, 58, [1520], 1, "none", KB + ": Gvozdevo 185"),
    ("GVZ-RYA", "GVZ", "RYA", TUM_USS, 58, 96, [1520], 1, "none", KB + ": Ryazanovka 147"),
    ("RYA-BAM", "RYA", "BAM", TUM_USS, 96, 118, [1520], 1, "none",
     KB + ": Bamburovo 125. FACTS: a second track on Ryazanovka - Sukhanovka; Sukhanovka's km"
     " is not in FACTS, so it stays single here (assumed)"),
    ("BAM-KED", "BAM", "KED", TUM_USS, 118, 147, [1520], 1, "none", KB + ": Kedrovy 96"),
    ("KED-PRI", "KED", "PRI", TUM_USS, 147, 156, [1520], 1, "none", KB + ": Primorsky 87"),
    ("PRI-VIN", "PRI", "VIN", TUM_USS, 156, 207, [1520], 1, "none", KB + ": Vinevitino 36"),
    ("VIN-OLE", "VIN", "OLE", TUM_USS, 207, 231, [1520], 1, "none", KB + ": Olenevod 12"),
    ("OLE-BAR", "OLE", "BAR", TUM_USS, 231, 243, [1520], 1, "none", KB + ": Baranovsky 0"),
    ("BAR-USS", "BAR", "USS", TUM_USS, 243, 265, [1520], 2, "25kV 50Hz",
     "FACTS: Trans-Siberian, Baranovsky - Ussuriysk about 22 km, 1520 mm, double track, 25 kV AC"),
    ("BAR-VLA", "BAR", "VLA", USS_VLA, 22, 111, [1520], 2, "25kV 50Hz",
     "FACTS: Trans-Siberian, Baranovsky - Vladivostok 89 km, 1520 mm, double track, 25 kV 50 Hz AC"),
]

# ---- Signals (network.yaml `signals:`, the block sections of tumen conflicts) ------------
#
# No signalling data for any track of the route is in FACTS or public: every signal below is
# assumed. Per track: the block system and the block length it is cut into (equal blocks, as
# many as the track length over that spacing rounds to, at least one; positions to 0.1 km).
# Signals stand in both directions at the same places (single track is worked both ways; on
# double track each track has its own signals at about the same km). A track's two ends are
# the stations' exit and entry signals already.
#   (spacing km, comment)
AB_RU = (2.0, "automatic block, three-aspect signals both ways about every 2 km: no"
              " signalling data is in FACTS; automatic block with block sections of 1.5 to"
              " 2.5 km, longer than the braking distance (1000 m, journey.yaml), is assumed as"
              " on Russian main lines")
AB_TSR = (2.0, "automatic block on each track, signals about every 2 km (as"
               " Khasan - Baranovsky, see there); no signalling data is in FACTS")
SB_NK = (10.0, "station-to-station block (no automatic block): no signalling data for"
               " North Korea is public; the network lists only the main stations, so a signal"
               " about every 10 km stands for the intermediate stations, where a train may"
               " follow another")
ONE_BLOCK = (None, "one block from station to station over the border bridge, no"
                   " intermediate signal (no signalling data is public)")
SIGNALLING = {
    "PY-HAM": SB_NK, "HAM-KIM": SB_NK, "KIM-CHJ": SB_NK, "CHJ-RAJ": SB_NK,
    "RAJ-SON": SB_NK, "SON-HON": SB_NK, "HON-TUM": SB_NK,
    "TUM-KHS": ONE_BLOCK,
    "KHS-MAK": AB_RU, "MAK-GVZ": AB_RU, "GVZ-RYA": AB_RU, "RYA-BAM": AB_RU, "BAM-KED": AB_RU,
    "KED-PRI": AB_RU, "PRI-VIN": AB_RU, "VIN-OLE": AB_RU, "OLE-BAR": AB_RU,
    "BAR-USS": AB_TSR, "BAR-VLA": AB_TSR,
}
SIGNALS_PER_LINE = 6


def signal_positions(length, spacing):
    """Interior signal positions (0.1 km units) cutting length into equal blocks."""
    if spacing is None:
        return []
    n = max(1, int(round(length / float(dkm(spacing)))))
    return [int(round(k * length / float(n))) for k in range(1, n)]


def emit_signals(tid, length):
    spacing, comment = SIGNALLING[tid]
    pos = signal_positions(length, spacing)
    out = ["      # " + x for x in textwrap.wrap("assumed, signals: " + comment, 90)]
    if not pos:
        return out  # no `signals:`: the track is one block
    out.append("      signals:   # %d blocks of about %s km" % (len(pos) + 1,
                                                              fmt_km(int(round(length / (len(pos) + 1.0))))))
    for i in range(0, len(pos), SIGNALS_PER_LINE):
        row = ", ".join("{at: %s km}" % fmt_km(x) for x in pos[i:i + SIGNALS_PER_LINE])
        out.append("        %s%s%s" % ("[" if i == 0 else " ", row,
                                        "]" if i + SIGNALS_PER_LINE >= len(pos) else ","))
    return out


# ---- Structures (network.yaml `structures:`, the special's security schedule) ------------
#
# Public facts (FACTS.md): the Friendship Bridge over the Tumen River, about 400 m, 1959, on
# Tumangang - Khasan; Khasan - Rajin has 18 bridges and 3 tunnels over 4.5 km. No public
# list of level crossings, bridges or tunnels with positions was at hand for any track:
# every position, every length not in FACTS, and every level crossing below is assumed, and
# says so in network.yaml.
#   track: [(kind, at km, length m or None, name, protection, warning s, closing s, comment)]
ASSUMED_LC = ("assumed: no public list of level crossings on this line was at hand; a road"
              " crossing by the station's village, automatic barriers, 30 s warning and 10 s"
              " closing as usual for Russian automatic crossings, is assumed")
ASSUMED_BR = ("assumed position and length: FACTS counts 18 bridges and 3 tunnels (4.5 km of"
              " tunnel) on Khasan - Rajin but gives no positions; one of them")


def _nk_bridges():
    """The 18 bridges of Khasan - Rajin (FACTS: the count): one is the Friendship Bridge on
    TUM-KHS; 17 spread evenly over RAJ-SON, SON-HON and HON-TUM (positions and the 100 m
    lengths assumed)."""
    out = {"RAJ-SON": [], "SON-HON": [], "HON-TUM": []}
    spans = [("RAJ-SON", 15.0, 6), ("SON-HON", 27.6, 8), ("HON-TUM", 9.5, 3)]
    k = 1
    for tid, length, n in spans:
        for j in range(n):
            at = round(length * (j + 0.5) / n, 1)
            out[tid].append(("bridge", at, 100, "NK bridge %d" % k, None, None, None,
                             ASSUMED_BR))
            k += 1
    return out


STRUCTURES = _nk_bridges()
# The 3 tunnels (FACTS: 4.5 km in all), 1.5 km each, on the hilly Rajin - Sonbong -
# Hongui part (assumed: positions and the even split).
for _tid, _at in (("RAJ-SON", 10.0), ("SON-HON", 4.0), ("SON-HON", 18.0)):
    STRUCTURES[_tid].append(("tunnel", _at, 1500, "NK tunnel at %s km %.1f" % (_tid, _at), None,
                             None, None, "assumed position; FACTS: 3 tunnels, 4.5 km in all, on"
                             " Khasan - Rajin (the even split is assumed)"))
STRUCTURES["TUM-KHS"] = [
    ("bridge", 1.0, 400, "Friendship Bridge (Tumen River)", None, None, None,
     "FACTS: about 400 m, 1959; its position on the 5 km track (1 km from Tumangang) is assumed"),
    ("level_crossing", 4.5, None, "Khasan station road", "manned", 30, 15,
     "assumed: a manned border-area crossing before Khasan (no public source)"),
]
for _tid, _at in (("KHS-MAK", 40.0), ("MAK-GVZ", 11.0), ("GVZ-RYA", 37.0), ("RYA-BAM", 21.0),
                  ("BAM-KED", 28.0), ("KED-PRI", 8.0), ("PRI-VIN", 50.0), ("VIN-OLE", 23.0),
                  ("OLE-BAR", 11.0)):
    STRUCTURES.setdefault(_tid, []).append(
        ("level_crossing", _at, None, "LC %s km %.1f" % (_tid, _at), "automatic", 30, 10,
         ASSUMED_LC))
STRUCTURES["PRI-VIN"].append(
    ("level_crossing", 25.0, None, "LC PRI-VIN km 25.0", "unprotected", 0, 0,
     "assumed: an unprotected field crossing (no public source)"))
STRUCTURES["BAR-USS"] = [
    ("level_crossing", 10.0, None, "LC BAR-USS km 10.0", "automatic", 30, 10, ASSUMED_LC),
]
STRUCTURES["BAR-VLA"] = [
    ("level_crossing", 30.0, None, "LC BAR-VLA km 30.0", "automatic", 30, 10, ASSUMED_LC),
    ("level_crossing", 60.0, None, "LC BAR-VLA km 60.0", "manned", 30, 15,
     "assumed: a manned crossing (no public source)"),
]


def emit_structures(tid):
    items = sorted(STRUCTURES.get(tid, []), key=lambda x: x[1])
    if not items:
        return []
    out = ["      structures:"]
    for kind, at, length, name, prot, warn, close, comment in items:
        out += ["        # " + x for x in textwrap.wrap(comment, 88)]
        if kind == "level_crossing":
            out.append('        - {kind: level_crossing, at: %.1f km, protection: %s, warning_time: %d s,'
                       ' closing_time: %d s, name: "%s"}' % (at, prot, warn, close, name))
        else:
            out.append('        - {kind: %s, at: %.1f km, length: %d m, name: "%s"}'
                       % (kind, at, length, name))
    return out


def emit_network(built):
    """The tracks: block of network.yaml from the built profile pieces."""
    out = [NET_BEGIN + ": written by examples/flagship/make_profile.py (seed %d)." % SEED,
           "  # Edit the script and run it again rather than this block. Speed limits and",
           "  # gradients are journey.yaml's assumed profile, cut at the stations (see there);",
           "  # signals are the assumed block systems of SIGNALLING there.",
           "  tracks:"]
    for tid, a, b, line, km_a, km_b, gauges, tracks, elec, comment in NETWORK:
        lo, hi = dkm(km_a), dkm(km_b)
        pieces = [(max(f, lo), min(t, hi), v, g) for f, t, v, g, _ in built[line]
                  if min(t, hi) > max(f, lo)]
        assert pieces[0][0] == lo and pieces[-1][1] == hi, tid
        out.append("    - id: %s" % tid)
        out.append("      # %s" % comment)
        out.append("      from: %s" % a)
        out.append("      to: %s" % b)
        out.append("      length: %s km" % fmt_km(hi - lo))
        out.append("      main_tracks: %d" % tracks)
        out.append("      gauges: [%s]" % ", ".join("%d mm" % g for g in gauges))
        out.append("      electrification: %s" % elec)
        out.append("      sections:   # %s km %s - %s" % (line, fmt_km(lo), fmt_km(hi)))
        for f, t, v, g in pieces:
            out.append("        - {from: %s km, to: %s km, speed_limit: %d km/h, gradient: %.1f permille}"
                       % (fmt_km(f - lo), fmt_km(t - lo), v, g))
        out += emit_signals(tid, hi - lo)
        out += emit_structures(tid)
    out.append("  " + NET_END)
    return "\n".join(out) + "\n"


MIN_PIECE = 20  # 2 km, in 0.1 km
MAX_PIECE = 60  # 6 km


def split_pieces(rng, a, b):
    """Random piece lengths 2-6 km covering [a, b] (0.1 km units); a short rest joins the last."""
    out = []
    x = a
    while b - x > MAX_PIECE:
        n = rng.randint(MIN_PIECE, MAX_PIECE)
        if b - (x + n) < MIN_PIECE:
            break
        out.append((x, x + n))
        x += n
    out.append((x, b))
    return out


def stretch_at(line, x):
    for f, t, v, g, hmax, _ in line["stretches"]:
        if dkm(f) <= x < dkm(t):
            return v, g, hmax
    raise SystemExit("%s: no stretch covers km %s" % (line["id"], fmt_km(x)))


def build(line, rng, mirrored):
    """Returns [(from, to, speed, gradient permille, elevation at end m)] in 0.1 km units."""
    start = dkm(line["stretches"][0][0])
    if mirrored is not None:
        pieces = mirrored
        start = pieces[-1][1]
    else:
        pieces = []
    end = dkm(line["stretches"][-1][1])
    zones = [(dkm(f), dkm(t), v) for f, t, v, _ in line["zones"]]
    # Fixed breakpoints: zone edges, stretch edges, controls.
    cuts = {start, end}
    for f, t, _ in zones:
        cuts.update((f, t))
    for f, t, *_ in line["stretches"]:
        cuts.update((dkm(f), dkm(t)))
    for k, _ in line["controls"]:
        cuts.add(dkm(k))
    cuts = sorted(c for c in cuts if start <= c <= end)
    raw = []  # (from, to, speed, bound or None for level, hmax)
    for a, b in zip(cuts, cuts[1:]):
        zone = next((z for z in zones if z[0] <= a and b <= z[1]), None)
        v, g, hmax = stretch_at(line, a)
        if zone:
            raw.append((a, b, zone[2] if zone[2] is not None else v, None, hmax))
        else:
            for pa, pb in split_pieces(rng, a, b):
                raw.append((pa, pb, v, g, hmax))
    # Walk the elevation from control to control.
    controls = [(dkm(k), h) for k, h in line["controls"]]
    h = controls[0][1] if controls[0][1] is not None else pieces[-1][4]
    out = list(pieces)
    for (ca, _), (cb, target) in zip(controls, controls[1:]):
        seg = [p for p in raw if ca <= p[0] and p[1] <= cb]
        for i, (a, b, v, g, hmax) in enumerate(seg):
            length = (b - a) / 10.0  # km: permille * km = m
            if g is None:
                out.append((a, b, v, 0.0, h))
                continue
            cap = 0.9 * sum(q[3] * (q[1] - q[0]) / 10.0 for q in seg[i + 1:] if q[3] is not None)
            rest = sum((q[1] - q[0]) / 10.0 for q in seg[i:] if q[3] is not None)
            want = (target - h) / rest + rng.uniform(-0.8 * g, 0.8 * g)
            lo, hi = -g, g
            lo = max(lo, (line["min_elevation"] - h) / length)
            hi = min(hi, (hmax - h) / length)
            lo = max(lo, (target - cap - h) / length)  # the rest must still reach the target
            hi = min(hi, (target + cap - h) / length)
            grade = min(max(want, lo), hi)
            grade = max(-g, min(g, round(grade, 1)))
            if grade == 0:
                grade = 0.0
            h += grade * length
            out.append((a, b, v, grade, h))
    return out


def mirror(pieces, a, b):
    """Pieces within [a, b] seen from b backwards: position b - x, gradients negated."""
    out = []
    for f, t, v, g, h in pieces:
        f2, t2 = max(f, a), min(t, b)
        if f2 >= t2:
            continue
        out.append((b - t2, b - f2, v, -g if g else 0.0, 0.0))
    out.sort()
    # Elevation along the mirrored stretch, from the end of the original.
    h = next(p[4] for p in pieces if p[1] == b)
    res = []
    for f, t, v, g, _ in out:
        h += g * (t - f) / 10.0
        res.append((f, t, v, g, h))
    return res


def emit(line, pieces):
    lines = ["  - id: %s" % line["id"], '    name: "%s"' % line["name"]]
    lines += ["    " + c for c in line["head"]]
    lines.append("    curve_resistance: roeckl   # no curve data: every section is straight (radius 0)")
    lines.append("    braking_distance: %d m" % line["braking_distance"])
    lines.append("    # assumed (make_profile.py, seed %d): speed limits and ruling grades by stretch," % SEED)
    lines.append("    #   gradients drawn at random within them:")
    for f, t, v, g, hmax, c in line["stretches"]:
        lines.append("    #   km %s - %s: %d km/h, grades within +-%g permille: %s"
                     % (fmt_km(dkm(f)), fmt_km(dkm(t)), v, g, c))
    lines.append("    #   stations and bridges lie on level track; zones:")
    for f, t, v, c in line["zones"]:
        lines.append("    #   km %s - %s: %s%s" % (fmt_km(dkm(f)), fmt_km(dkm(t)), c,
                                                 ", %d km/h" % v if v else ""))
    lines.append("    #   elevations the profile passes through (assumed): %s" % ", ".join(
        "km %s %s m" % (fmt_km(dkm(k)), "%d" % h if h is not None else "(as mirrored)")
        for k, h in line["controls"]))
    top = max(pieces, key=lambda p: p[4])
    lines.append("    #   highest point of the assumed profile: %.0f m at km %s" % (top[4], fmt_km(top[1])))
    lines.append("    sections:")
    for f, t, v, g, h in pieces:
        lines.append("      - {from: %s km, to: %s km, speed_limit: %d km/h, gradient: %.1f permille}"
                     % (fmt_km(f), fmt_km(t), v, g))
    lines.append("    points:")
    for name, km, stop, dwell, comment in line["points"]:
        extra = ""
        if stop:
            extra = ", stop: true" + (", dwell: %d min" % dwell if dwell else "")
        lines.append("      - {name: %s, at: %s km%s}   # %s" % (name, fmt_km(dkm(km)), extra, comment))
    return lines


def generate():
    rng = random.Random(SEED)
    built = {}
    out = [BEGIN + ": written by examples/flagship/make_profile.py (seed %d)." % SEED,
           "# Edit the script and run it again rather than this block.",
           "lines:"]
    for line in LINES:
        m = line.get("mirror")
        mirrored = mirror(built[m["line"]], dkm(m["from"]), dkm(m["to"])) if m else None
        pieces = build(line, rng, mirrored)
        # Sanity: contiguous, grades within bounds.
        for p, q in zip(pieces, pieces[1:]):
            assert p[1] == q[0], (line["id"], p, q)
        built[line["id"]] = pieces
        out += emit(line, pieces)
    out.append(END)
    return "\n".join(out) + "\n", built


def replace_block(path, begin, end, block):
    """path's text with the lines from begin to end (markers included) replaced by block.
    The begin marker may be indented; the block carries its own indentation."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < 0:
        raise SystemExit("%s has no '%s' ... '%s' markers" % (os.path.basename(path), begin, end))
    i = text.rfind("\n", 0, i) + 1
    j = text.index("\n", j) + 1
    return text, text[:i] + block + text[j:]


def main():
    lines, built = generate()
    status = 0
    for path, begin, end, block in ((JOURNEY, BEGIN, END, lines),
                                    (NETWORK_FILE, NET_BEGIN, NET_END, emit_network(built))):
        text, new = replace_block(path, begin, end, block)
        if "--check" in sys.argv[1:]:
            if new != text:
                print("%s differs from what make_profile.py writes" % os.path.basename(path),
                      file=sys.stderr)
                status = 1
        elif new != text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
    return status


if __name__ == "__main__":
    sys.exit(main())
