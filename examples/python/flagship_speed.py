"""flagship_speed.py: the flagship journey from Python, notebook style.

The armoured special from Pyongyang to Vladivostok (examples/flagship/journey.yaml: its
every number carries its origin there, most are assumed), run by tumen, then its speed
profile against the speed limit. Each `# %%` block is a notebook cell (Jupyter, VS Code);
as a script:

    PYTHONPATH=build/python python3 examples/python/flagship_speed.py [OUT.png]

draws OUT.png (default out/flagship_speed.png) with matplotlib when it is installed, and
otherwise says so and prints the speed at every 50 km instead.
"""
# %% Load and run the journey
import os
import sys

import tumen

HERE = os.path.dirname(os.path.abspath(__file__))
JOURNEY = os.path.join(HERE, "..", "flagship", "journey.yaml")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join("out", "flagship_speed.png")

scenario = tumen.load(JOURNEY)
result = scenario.run()
print("tumen %s, numpy %s" % (tumen.__version__, "yes" if tumen.HAVE_NUMPY else "no"))
print("running time %.1f h over %.1f km, %.0f kWh at the wheel, at most %.1f km/h"
      % (result["running_time_s"] / 3600, result["distance_m"] / 1000,
         result["energy_kwh"], result["max_speed_kmh"]))

# %% The legs: consist changes at Tumangang (bogie exchange) and Ussuriysk
for i, leg in enumerate(result["legs"]):
    print("leg %d: %-50s %7.1f km %6.0f kWh" % (
        i + 1, leg["line"][:50], (leg["end_m"] - leg["start_m"]) / 1000,
        leg["energy_j"] / 3.6e6))

# %% The trajectory: one value a sample, numpy arrays when numpy is there
trajectory = result["trajectory"]
km = [s / 1000 for s in trajectory["s"]]
kmh = [v * 3.6 for v in trajectory["v"]]
profile = result["profile"]
# The limit holds from profile s[i] to s[i+1]: a step line over the journey.
limit_km, limit_kmh = [], []
for i, (s, limit) in enumerate(zip(profile["s"], profile["limit"])):
    end = profile["s"][i + 1] if i + 1 < len(profile["s"]) else result["distance_m"]
    limit_km += [s / 1000, end / 1000]
    limit_kmh += [limit * 3.6, limit * 3.6]

# %% The speed profile
try:
    import matplotlib
    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt
except ImportError:
    plt = None

if plt is None:
    print("matplotlib is not installed (Debian: apt-get install python3-matplotlib): "
          "no picture; the speed every 50 km instead")
    print("%8s %10s %10s" % ("km", "km/h", "limit"))
    nxt, j = 0.0, 0
    for k, v in zip(km, kmh):
        if k >= nxt:
            while j + 2 < len(limit_km) and limit_km[j + 1] <= k:
                j += 2
            print("%8.1f %10.1f %10.1f" % (k, v, limit_kmh[j]))
            nxt += 50.0
else:
    fig, ax = plt.subplots(figsize=(12, 4))
    ax.plot(limit_km, limit_kmh, color="tab:orange", linewidth=2.5, alpha=0.5, label="speed limit")
    ax.plot(km, kmh, color="tab:blue", linewidth=0.8, label="speed")
    for tp in result["timing_points"]:
        if tp["departure_s"] > tp["arrival_s"]:
            ax.axvline(tp["position_m"] / 1000, color="tab:red", linewidth=0.4)
    ax.set_xlabel("km from Pyongyang")
    ax.set_ylabel("km/h")
    ax.set_title("Pyongyang - Vladivostok: speed (stops in red)")
    ax.legend(loc="lower right")
    fig.tight_layout()
    if os.path.dirname(OUT):
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
    fig.savefig(OUT, dpi=120)
    print("wrote " + OUT)
