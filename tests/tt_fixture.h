/* tt_fixture.h: a small single-track network with four services, two each way, for
 * tests/test_timetable.c and tests/test_gtfs.c.
 *
 *   WES ---- 14 km ---- MID ---- 9 km ---- JCT ---- 11 km ---- EAS
 *   (loops)             (loops)            (no loop: junction)  (loops)
 *                                           \-- 6 km -- SID (siding, no position)
 *
 * Gradients in both directions, a 60 km/h stretch; a diesel with five coaches (passenger)
 * and a diesel with twenty wagons (freight). Service "P2" runs past midnight. */
#ifndef TM_TT_FIXTURE_H
#define TM_TT_FIXTURE_H

static const char tt_fixture_yaml[] =
    "vehicles:\n"
    "  - {id: dl, kind: locomotive, power: diesel, mass: 120 t, length: 20 m, axles: 6,\n"
    "     max_speed: 100 km/h, traction: {max_force: 300 kN, max_power: 2000 kW},\n"
    "     resistance: {law: davis, a: 2 kN, b: 20 N/(km/h), c: 0.4 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.5 m/s2}}\n"
    "  - {id: coach, kind: coach, mass: 50 t, length: 25 m, axles: 4,\n"
    "     resistance: {law: davis, a: 1 kN, b: 5 N/(km/h), c: 0.1 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.5 m/s2}}\n"
    "  - {id: wagon, kind: wagon, mass: 25 t, load: 50 t, length: 14 m, axles: 4,\n"
    "     max_speed: 80 km/h,\n"
    "     resistance: {law: davis, a: 1.5 kN, b: 3 N/(km/h), c: 0.05 N/(km/h)^2},\n"
    "     brake: {deceleration: 0.35 m/s2}}\n"
    "trains:\n"
    "  - {id: pax, consist: \"dl + 5 x coach\"}\n"
    "  - {id: goods, consist: \"dl + 20 x wagon\"}\n"
    "network:\n"
    "  operational_points:\n"
    "    - {id: WES, name: Westport, position: [43.10, 131.00], loops: [900 m, 900 m]}\n"
    "    - {id: MID, name: \"Midvale, upper\", position: [43.15, 131.15], loops: [900 m]}\n"
    "    - {id: JCT, name: Junction, kind: junction, position: [43.20, 131.25]}\n"
    "    - {id: EAS, name: Eastgate, position: [43.25, 131.40], loops: [900 m, 900 m]}\n"
    "    - {id: SID, name: Siding, loops: [900 m]}\n"
    "  tracks:\n"
    "    - {id: WES-MID, from: WES, to: MID, length: 14 km, speed_limit: 90 km/h,\n"
    "       sections: [{from: 0 km, to: 6 km, speed_limit: 90 km/h, gradient: 4 permille},\n"
    "                  {from: 6 km, to: 14 km, speed_limit: 60 km/h, gradient: -2 permille}]}\n"
    "    - {id: MID-JCT, from: MID, to: JCT, length: 9 km, speed_limit: 80 km/h}\n"
    "    - {id: JCT-EAS, from: JCT, to: EAS, length: 11 km, speed_limit: 90 km/h}\n"
    "    - {id: JCT-SID, from: JCT, to: SID, length: 6 km, speed_limit: 40 km/h}\n"
    "timetable:\n"
    "  name: \"Fixture day\"\n"
    "  date: 2026-11-30\n"
    "  services:\n"
    "    - id: P1\n"
    "      train: pax\n"
    "      category: passenger\n"
    "      departure: \"06:00\"\n"
    "      route: [WES, EAS]\n"
    "      stops: [{at: MID, dwell: 2 min}]\n"
    "    - {id: F1, train: goods, category: freight, departure: \"06:40:30\",\n"
    "       route: [EAS, JCT, MID, WES]}\n"
    "    - {id: P2, train: pax, category: passenger, departure: \"23:50\", route: [EAS, WES],\n"
    "       stops: [MID]}\n"
    "    - {id: F2, train: goods, category: freight, departure: \"12:00\", route: [WES, EAS],\n"
    "       stops: [{at: MID, dwell: 10 min}]}\n";

/* Operational points each service passes, in order. */
static const char *const tt_fixture_paths[4][4] = {{"WES", "MID", "JCT", "EAS"},
                                                   {"EAS", "JCT", "MID", "WES"},
                                                   {"EAS", "JCT", "MID", "WES"},
                                                   {"WES", "MID", "JCT", "EAS"}};

#endif
