/* stock_gen.c: the synthetic rolling stock of trains.yaml. The values are typical of their
 * class (masses, powers at the wheel, Davis, Wende, Sauthoff and Strahl coefficients as in
 * docs/physics.md), chosen so that every consist can start on its lines' steepest grade
 * (10 permille on main lines, 12 on branches) — but they describe no real vehicle. */
#include "gen/synthetic.h"

/* Consist lengths are the vehicles' below, summed and rounded up to the metre. */
const gen_train_info tm_gen_trains[GT_COUNT] = {
    [GT_EMU] = {"regional_emu", 1, 106, 0},
    [GT_EMU_DOUBLE] = {"regional_emu_double", 1, 211, 0},
    [GT_DMU] = {"regional_dmu", 0, 42, 0},
    [GT_DMU_DOUBLE] = {"regional_dmu_double", 0, 84, 0},
    [GT_INTERCITY] = {"intercity", 1, 337, 0},
    [GT_FREIGHT_ELECTRIC] = {"freight_electric", 1, 397, 1},
    [GT_FREIGHT_DIESEL_HEAVY] = {"freight_diesel_heavy", 0, 516, 1},
    [GT_FREIGHT_DIESEL_BRANCH] = {"freight_diesel_branch", 0, 250, 1},
};

static const char stock_text[] =
    "vehicles:\n"
    "  - id: emu_4car\n"
    "    name: \"Synthetic four-car electric multiple unit, 25 kV\"\n"
    "    kind: multiple_unit\n"
    "    power: electric\n"
    "    electrification: 25kV 50Hz\n"
    "    mass: 196 t\n"
    "    load: 24 t               # 300 passengers of 80 kg\n"
    "    length: 105.2 m\n"
    "    axles: 16\n"
    "    max_speed: 160 km/h\n"
    "    traction: {max_force: 210 kN, max_power: 2700 kW}\n"
    "    resistance: {law: davis, a: 2.3 kN, b: 22 N/(km/h), c: 0.42 N/(km/h)^2}\n"
    "    brake: {weight: 250 t, deceleration: 0.7 m/s2}\n"
    "  - id: dmu_2car\n"
    "    name: \"Synthetic two-car diesel multiple unit\"\n"
    "    kind: multiple_unit\n"
    "    power: diesel\n"
    "    mass: 98 t\n"
    "    load: 12 t               # 150 passengers of 80 kg\n"
    "    length: 41.8 m\n"
    "    axles: 8\n"
    "    max_speed: 120 km/h\n"
    "    traction: {max_force: 95 kN, max_power: 620 kW}   # 2 x 390 kW engines, at the wheel\n"
    "    resistance: {law: davis, a: 1.3 kN, b: 14 N/(km/h), c: 0.24 N/(km/h)^2}\n"
    "    brake: {weight: 115 t, deceleration: 0.6 m/s2}\n"
    "  - id: loco_e_pax\n"
    "    name: \"Synthetic Bo'Bo' electric locomotive for passenger trains, 25 kV\"\n"
    "    kind: locomotive\n"
    "    power: electric\n"
    "    electrification: 25kV 50Hz\n"
    "    mass: 86 t\n"
    "    length: 19.6 m\n"
    "    axles: 4\n"
    "    max_speed: 200 km/h\n"
    "    traction: {max_force: 300 kN, max_power: 5600 kW}\n"
    "    resistance: {law: wende_locomotive, f_driving: 2.5 permille, f_carrying: 1.5 permille,\n"
    "                 f_air: 5 permille, driving_mass: 86 t, dv: 15 km/h}\n"
    "    brake: {weight: 110 t}\n"
    "  - id: coach\n"
    "    name: \"Synthetic second-class coach, 26.4 m\"\n"
    "    kind: coach\n"
    "    mass: 47 t\n"
    "    load: 5 t\n"
    "    length: 26.4 m\n"
    "    axles: 4\n"
    "    max_speed: 160 km/h\n"
    "    resistance: {law: sauthoff, f0: 1.5 permille, f1: 0.4 permille, f2: 1.0 permille,\n"
    "                 dv: 15 km/h}\n"
    "    brake: {weight: 70 t}\n"
    "  - id: loco_d_heavy\n"
    "    name: \"Synthetic Co'Co' heavy diesel locomotive\"\n"
    "    kind: locomotive\n"
    "    power: diesel\n"
    "    mass: 126 t\n"
    "    length: 22.4 m\n"
    "    axles: 6\n"
    "    max_speed: 100 km/h\n"
    "    traction: {max_force: 380 kN, max_power: 2300 kW}  # 3000 kW engine, at the wheel\n"
    "    resistance: {law: wende_locomotive, f_driving: 3.0 permille, f_carrying: 1.5 permille,\n"
    "                 f_air: 3.5 permille, driving_mass: 126 t, dv: 15 km/h}\n"
    "    brake: {weight: 95 t}\n"
    "  - id: loco_e_freight\n"
    "    name: \"Synthetic Co'Co' electric locomotive for freight, 25 kV\"\n"
    "    kind: locomotive\n"
    "    power: electric\n"
    "    electrification: 25kV 50Hz\n"
    "    mass: 123 t\n"
    "    length: 20.0 m\n"
    "    axles: 6\n"
    "    max_speed: 120 km/h\n"
    "    traction: {max_force: 420 kN, max_power: 6000 kW}\n"
    "    resistance: {law: wende_locomotive, f_driving: 2.5 permille, f_carrying: 1.5 permille,\n"
    "                 f_air: 4.0 permille, driving_mass: 123 t, dv: 15 km/h}\n"
    "    brake: {weight: 95 t}\n"
    "  - id: wagon_open\n"
    "    name: \"Synthetic four-axle open wagon, loaded (22.5 t per axle)\"\n"
    "    kind: wagon\n"
    "    mass: 23 t\n"
    "    load: 67 t\n"
    "    length: 15.7 m\n"
    "    axles: 4\n"
    "    max_speed: 100 km/h\n"
    "    resistance: {law: strahl, c0: 2.0 permille, k: 0.025 permille, dv: 15 km/h}\n"
    "    brake: {weight: 68 t}\n"
    "  - id: wagon_tank\n"
    "    name: \"Synthetic four-axle tank wagon, loaded (21 t per axle)\"\n"
    "    kind: wagon\n"
    "    mass: 24 t\n"
    "    load: 60 t\n"
    "    length: 16.2 m\n"
    "    axles: 4\n"
    "    max_speed: 100 km/h\n"
    "    resistance: {law: strahl, c0: 2.0 permille, k: 0.03 permille, dv: 15 km/h}\n"
    "    brake: {weight: 62 t}\n"
    "\n"
    "trains:\n"
    "  - {id: regional_emu, name: \"Regional EMU\", consist: \"emu_4car\"}\n"
    "  - {id: regional_emu_double, name: \"Regional EMU, two units\", consist: \"2 x emu_4car\"}\n"
    "  - {id: regional_dmu, name: \"Branch DMU\", consist: \"dmu_2car\"}\n"
    "  - {id: regional_dmu_double, name: \"Branch DMU, two units\", consist: \"2 x dmu_2car\"}\n"
    "  - {id: intercity, name: \"Intercity, locomotive and 12 coaches\",\n"
    "     consist: \"loco_e_pax + 12 x coach\", max_speed: 160 km/h}\n"
    "  - {id: freight_electric, name: \"Electric freight, 24 open wagons\",\n"
    "     consist: \"loco_e_freight + 24 x wagon_open\"}\n"
    "  - {id: freight_diesel_heavy, name: \"Heavy diesel freight, two locomotives, 30 wagons\",\n"
    "     consist: \"2 x loco_d_heavy + 30 x wagon_open\", max_speed: 90 km/h}\n"
    "  - {id: freight_diesel_branch, name: \"Branch freight, 14 tank wagons\",\n"
    "     consist: \"loco_d_heavy + 14 x wagon_tank\"}\n";

int tm_gen_write_stock(FILE *fp, const tm_gen_options *o, size_t *n_vehicles,
                       size_t *n_trains)
{
    fprintf(fp,
            "# Synthetic rolling stock: tumen gen network --km %.0f --trains %zu --seed %llu\n"
            "# Every vehicle is synthetic: typical values of its class, not a real type.\n"
            "# Electric traction draws 25 kV 50 Hz (the main lines); branches are diesel.\n",
            o->km, o->services, (unsigned long long)o->seed);
    fputs(stock_text, fp);
    *n_vehicles = 8;
    *n_trains = GT_COUNT;
    return ferror(fp) ? -1 : 0;
}
