/*
** q_gen.h -- the SQL of the bench data generator (diaodu-ctl report
** gen-data, cgi-bin/tool/gendata.c): a company of N teams under depts of 20
** (codes GDnn, GDnnTmm), its base data (vehicles, drivers, locations,
** meters, canteens: GV/GR/GL/GM/GC codes), and a year of approved sheets of
** the demo forms (vehicle_daily, repair_order, canteen_daily,
** meter_reading) written straight into entry and the forms' tables with
** INSERT ... SELECT over MariaDB's sequence engine: one statement per table,
** values that are deterministic functions of the unit, the day and the line
** (CRC32), computed fields computed (mileage = odo_end - odo_start,
** consumption = reading - the previous day's reading, the headers' sums),
** each sheet the counted revision of its period, as the flow leaves it.
** Run on an owner connection (no statement time limit).
*/
#ifndef DIAODU_Q_GEN_H
#define DIAODU_Q_GEN_H
#include "db.h"

/* teams already generated (0: none) */
NEOERR *q_gen_have(DB *db, long long *n);
/* the units, the base data and the look-up tables of this connection */
NEOERR *q_gen_company(DB *db, int units, int vehicles);
/* a year of sheets from day `start` (YYYY-MM-DD), `days` days; *sheets and
** *rows what was written */
NEOERR *q_gen_sheets(DB *db, const char *start, int days, int vehicles, long long *sheets, long long *rows);

#endif
