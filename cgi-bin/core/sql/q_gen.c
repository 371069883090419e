/*
** q_gen.c -- the SQL of the bench data generator; see q_gen.h.
*/
#include "q_gen.h"

NEOERR *q_gen_have(DB *db, long long *n){
  int found;
  return nerr_pass(db_one_int(db, n, &found, "SELECT COUNT(*) FROM org_unit WHERE code LIKE 'GD__T__'", ""));
}

NEOERR *q_gen_company(DB *db, int units, int vehicles){
  NEOERR *err;
  int depts = (units + 19) / 20;
  if( (err = db_exec(db, "SET SESSION max_statement_time = 0", "")) ) return nerr_pass(err);
  /* departments and their teams under the company root */
  if( (err = db_exec(db, "INSERT INTO org_unit (parent_id, code, name, kind, sort, created_at, updated_at)"
      " SELECT (SELECT id FROM org_unit WHERE parent_id IS NULL ORDER BY id LIMIT 1), CONCAT('GD', LPAD(seq, 2, '0')),"
      " CONCAT('压测分公司', seq + 1), 'dept', 100 + seq, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_0_to_99 WHERE seq < ?",
      "i", (long long)depts)) ) return nerr_pass(err);
  if( (err = db_exec(db, "UPDATE org_unit u JOIN org_unit p ON p.id = u.parent_id SET u.path = CONCAT(p.path, u.id, '/')"
      " WHERE u.code LIKE 'GD__'", "")) ) return nerr_pass(err);
  if( (err = db_exec(db, "INSERT INTO org_unit (parent_id, code, name, kind, sort, created_at, updated_at)"
      " SELECT d.id, CONCAT(d.code, 'T', LPAD(s.seq, 2, '0')), CONCAT(d.name, '第', s.seq + 1, '班'), 'team', s.seq,"
      " UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM org_unit d JOIN seq_0_to_19 s"
      " WHERE d.code LIKE 'GD__' AND (d.sort - 100) * 20 + s.seq < ?", "i", (long long)units)) ) return nerr_pass(err);
  if( (err = db_exec(db, "UPDATE org_unit u JOIN org_unit p ON p.id = u.parent_id SET u.path = CONCAT(p.path, u.id, '/')"
      " WHERE u.code LIKE 'GD__T__'", "")) ) return nerr_pass(err);
  /* the teams numbered 0..N-1 */
  if( (err = db_exec(db, "CREATE TEMPORARY TABLE gen_team (n INT PRIMARY KEY, unit_id INT UNSIGNED NOT NULL)", "")) ) return nerr_pass(err);
  if( (err = db_exec(db, "INSERT INTO gen_team SELECT (d.sort - 100) * 20 + t.sort, t.id FROM org_unit t JOIN org_unit d ON d.id = t.parent_id"
      " WHERE t.code LIKE 'GD__T__'", "")) ) return nerr_pass(err);
  /* base data: vehicles and drivers (shared), per team a location, a canteen and three meters */
  if( (err = db_exec(db, "INSERT INTO base_item (kind_id, code, name, org_unit_id, created_at, updated_at)"
      " SELECT k.id, CONCAT(p.pre, LPAD(s.seq, 4, '0')), CONCAT(p.word, s.seq), NULL, UTC_TIMESTAMP(), UTC_TIMESTAMP()"
      " FROM base_kind k JOIN (SELECT 'vehicle' kind, 'GV' pre, '压测车辆' word UNION ALL SELECT 'driver', 'GR', '压测驾驶员') p ON p.kind = k.code"
      " JOIN seq_0_to_99999 s ON s.seq < ?", "i", (long long)vehicles)) ) return nerr_pass(err);
  if( (err = db_exec(db, "INSERT INTO base_item (kind_id, code, name, org_unit_id, created_at, updated_at)"
      " SELECT k.id, CONCAT(p.pre, LPAD(t.n * p.per + s.seq, 5, '0')), CONCAT(p.word, t.n * p.per + s.seq), t.unit_id,"
      " UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM base_kind k"
      " JOIN (SELECT 'location' kind, 'GL' pre, '压测楼宇' word, 1 per UNION ALL SELECT 'canteen', 'GC', '压测食堂', 1"
      "       UNION ALL SELECT 'meter', 'GM', '压测计量表', 3) p ON p.kind = k.code"
      " JOIN gen_team t JOIN seq_0_to_2 s ON s.seq < p.per", "")) ) return nerr_pass(err);
  /* a look-up table per kind: n -> id (a temporary table is opened once per statement) */
#define GEN_LOOKUP(kind, pre) \
  if( (err = db_exec(db, /* lint: sql-built reviewed: literals pasted by the macro */ "CREATE TEMPORARY TABLE gen_" kind " (n INT PRIMARY KEY, id INT UNSIGNED NOT NULL)", "")) ) return nerr_pass(err); \
  if( (err = db_exec(db, /* lint: sql-built reviewed: literals pasted by the macro */ "INSERT INTO gen_" kind " SELECT CAST(SUBSTRING(b.code, 3) AS UNSIGNED), b.id FROM base_item b" \
      " JOIN base_kind k ON k.id = b.kind_id AND k.code = '" kind "' WHERE b.code REGEXP '^" pre "[0-9]+$'", "")) ) return nerr_pass(err);
  GEN_LOOKUP("vehicle", "GV")
  GEN_LOOKUP("driver", "GR")
  GEN_LOOKUP("location", "GL")
  GEN_LOOKUP("canteen", "GC")
  GEN_LOOKUP("meter", "GM")
#undef GEN_LOOKUP
  return STATUS_OK;
}

/* the sheets of one form: every team, every day, approved and counted */
static NEOERR *sheets(DB *db, const char *form, const char *start, int days, int lines_mod, int lines_min){
  return nerr_pass(db_exec(db, "INSERT INTO entry (form_id, org_unit_id, period_key, period_start, revision, cur, status, late,"
      " form_version, nrows, version, created_by, created_at, updated_by, updated_at, submitted_by, submitted_at,"
      " decided_by, decided_at, step, counted)"
      " SELECT f.id, t.unit_id, DATE_FORMAT(DATE_ADD(?, INTERVAL s.seq DAY), '%Y-%m-%d'), DATE_ADD(?, INTERVAL s.seq DAY), 1, 1,"
      " 'approved', 0, f.version, ? + MOD(t.n + s.seq, ?), 1, u.id, UTC_TIMESTAMP(), u.id, UTC_TIMESTAMP(), u.id, UTC_TIMESTAMP(),"
      " u.id, UTC_TIMESTAMP(), 0, 1"
      " FROM form f JOIN gen_team t JOIN seq_0_to_99999 s ON s.seq < ?"
      " JOIN (SELECT MIN(id) id FROM app_user) u WHERE f.code = ?",
      "ssiiis", start, start, (long long)lines_min, (long long)lines_mod, (long long)days, form));
}

NEOERR *q_gen_sheets(DB *db, const char *start, int days, int vehicles, long long *nsheets, long long *nrows){
  NEOERR *err;
  int found;
  /* the generated sheets of a form: e (entry) of the teams, t (gen_team), d (the day's number) */
#define GEN_E " FROM entry e JOIN gen_team t ON t.unit_id = e.org_unit_id JOIN form f ON f.id = e.form_id AND f.code = "
  if( (err = sheets(db, "vehicle_daily", start, days, 5, 2)) ) return nerr_pass(err);
  if( (err = sheets(db, "repair_order", start, days, 3, 1)) ) return nerr_pass(err);
  if( (err = sheets(db, "canteen_daily", start, days, 1, 3)) ) return nerr_pass(err);
  if( (err = sheets(db, "meter_reading", start, days, 1, 3)) ) return nerr_pass(err);
  /* 车辆调度日报: 2..6 trips; odometers and mileage consistent, fuel per trip */
  if( (err = db_exec(db, "INSERT INTO f_vehicle_daily_r (entry_id, line, org_unit_id, period_start, vehicle, driver, task, depart, back,"
      " odo_start, odo_end, mileage, fuel, passengers, tons)"
      " SELECT x.id, x.k, x.org_unit_id, x.period_start, v.id, r.id, ELT(1 + MOD(x.c, 5), '通勤班车', '公务用车', '接待用车', '货物运输', '其他'),"
      " SEC_TO_TIME(25200 + x.k * 5400), SEC_TO_TIME(25200 + x.k * 5400 + 3600 + MOD(x.c, 3600)),"
      " x.o / 10, (x.o + x.m) / 10, x.m / 10, IF(MOD(x.c, 4) = 0, NULL, ROUND(x.m * (6 + MOD(x.c, 25)) / 1000, 2)),"
      " IF(MOD(x.c, 5) = 3, NULL, MOD(x.c, 45)), IF(MOD(x.c, 5) = 3, MOD(x.c, 800) / 100, NULL)"
      " FROM (SELECT e.id, k.seq k, e.org_unit_id, e.period_start, t.n, DATEDIFF(e.period_start, ?) d,"
      "       CRC32(CONCAT(e.id, '/', k.seq)) c, 100000 + DATEDIFF(e.period_start, ?) * 3000 + k.seq * 500 o,"
      "       200 + MOD(CRC32(CONCAT(k.seq, '/', e.id)), 1800) m"
      "       " GEN_E "'vehicle_daily' JOIN seq_1_to_6 k ON k.seq <= e.nrows) x"
      " JOIN gen_vehicle v ON v.n = MOD(x.n * 7 + x.k * 3 + x.d, ?)"
      " JOIN gen_driver r ON r.n = MOD(x.n * 11 + x.k, ?)",
      "ssii", start, start, (long long)vehicles, (long long)vehicles)) ) return nerr_pass(err);
  if( (err = db_exec(db, "INSERT INTO f_vehicle_daily (entry_id, org_unit_id, period_start, duty, total_km)"
      " SELECT r.entry_id, r.org_unit_id, r.period_start, '压测值班', SUM(r.mileage) FROM f_vehicle_daily_r r"
      " JOIN gen_team t ON t.unit_id = r.org_unit_id GROUP BY r.entry_id, r.org_unit_id, r.period_start", "")) ) return nerr_pass(err);
  /* 维修工单: 1..3 orders; finished after reported */
  if( (err = db_exec(db, "INSERT INTO f_repair_order_r (entry_id, line, org_unit_id, period_start, order_no, location, category,"
      " reported, finished, worker, hours, material_cost, content)"
      " SELECT x.id, x.k, x.org_unit_id, x.period_start, CONCAT('G', x.id, '-', x.k), l.id,"
      " ELT(1 + MOD(x.c, 5), '水', '电', '暖', '土建', '其他'), SEC_TO_TIME(28800 + MOD(x.c, 21600)),"
      " IF(MOD(x.c, 9) = 0, NULL, SEC_TO_TIME(28800 + MOD(x.c, 21600) + 900 + MOD(x.c DIV 7, 14400))), '压测维修工',"
      " (5 + MOD(x.c, 60)) / 10, MOD(x.c DIV 3, 80000) / 100, NULL"
      " FROM (SELECT e.id, k.seq k, e.org_unit_id, e.period_start, t.n, CRC32(CONCAT(e.id, '#', k.seq)) c"
      "       " GEN_E "'repair_order' JOIN seq_1_to_3 k ON k.seq <= e.nrows) x"
      " JOIN gen_location l ON l.n = x.n", "")) ) return nerr_pass(err);
  if( (err = db_exec(db, "INSERT INTO f_repair_order (entry_id, org_unit_id, period_start, hours_total, cost_total)"
      " SELECT r.entry_id, r.org_unit_id, r.period_start, SUM(r.hours), SUM(r.material_cost) FROM f_repair_order_r r"
      " JOIN gen_team t ON t.unit_id = r.org_unit_id GROUP BY r.entry_id, r.org_unit_id, r.period_start", "")) ) return nerr_pass(err);
  /* 餐饮供应日报: three meals of the team's canteen */
  if( (err = db_exec(db, "INSERT INTO f_canteen_daily_r (entry_id, line, org_unit_id, period_start, canteen, meal, diners, cost, per_head)"
      " SELECT x.id, x.k, x.org_unit_id, x.period_start, c.id, ELT(x.k, '早餐', '午餐', '晚餐'), x.p, x.p * x.u / 100,"
      " ROUND(x.p * x.u / 100 / x.p, 2)"
      " FROM (SELECT e.id, k.seq k, e.org_unit_id, e.period_start, t.n, 40 + MOD(CRC32(CONCAT(e.id, '$', k.seq)), 600) p,"
      "       500 + MOD(CRC32(CONCAT(k.seq, '$', e.id)), 1500) u"
      "       " GEN_E "'canteen_daily' JOIN seq_1_to_3 k ON k.seq <= e.nrows) x"
      " JOIN gen_canteen c ON c.n = x.n", "")) ) return nerr_pass(err);
  if( (err = db_exec(db, "INSERT INTO f_canteen_daily (entry_id, org_unit_id, period_start, diners_total, cost_total)"
      " SELECT r.entry_id, r.org_unit_id, r.period_start, SUM(r.diners), SUM(r.cost) FROM f_canteen_daily_r r"
      " JOIN gen_team t ON t.unit_id = r.org_unit_id GROUP BY r.entry_id, r.org_unit_id, r.period_start", "")) ) return nerr_pass(err);
  /* 能耗抄表: the team's three meters; a reading rises 60 a day give or take 0.4, consumption the day's rise */
  if( (err = db_exec(db, "INSERT INTO f_meter_reading_r (entry_id, line, org_unit_id, period_start, meter, read_at, reading, consumption)"
      " SELECT x.id, x.k, x.org_unit_id, x.period_start, m.id, '08:00:00',"
      " (100000 + x.d * 6000 + MOD(CRC32(CONCAT(m.id, '@', x.d)), 4000)) / 100,"
      " (6000 + MOD(CRC32(CONCAT(m.id, '@', x.d)), 4000) - MOD(CRC32(CONCAT(m.id, '@', x.d - 1)), 4000)) / 100"
      " FROM (SELECT e.id, k.seq k, e.org_unit_id, e.period_start, t.n, DATEDIFF(e.period_start, ?) d"
      "       " GEN_E "'meter_reading' JOIN seq_1_to_3 k ON k.seq <= e.nrows) x"
      " JOIN gen_meter m ON m.n = x.n * 3 + x.k - 1", "s", start)) ) return nerr_pass(err);
  if( (err = db_exec(db, "INSERT INTO f_meter_reading (entry_id, org_unit_id, period_start)"
      " SELECT e.id, e.org_unit_id, e.period_start" GEN_E "'meter_reading'", "")) ) return nerr_pass(err);
#undef GEN_E
  if( (err = db_one_int(db, nsheets, &found, "SELECT COUNT(*) FROM entry e JOIN gen_team t ON t.unit_id = e.org_unit_id", "")) )
    return nerr_pass(err);
  if( (err = db_one_int(db, nrows, &found, "SELECT (SELECT COUNT(*) FROM f_vehicle_daily_r r JOIN org_unit o ON o.id = r.org_unit_id AND o.code LIKE 'GD__T__')"
      " + (SELECT COUNT(*) FROM f_repair_order_r r JOIN org_unit o ON o.id = r.org_unit_id AND o.code LIKE 'GD__T__')"
      " + (SELECT COUNT(*) FROM f_canteen_daily_r r JOIN org_unit o ON o.id = r.org_unit_id AND o.code LIKE 'GD__T__')"
      " + (SELECT COUNT(*) FROM f_meter_reading_r r JOIN org_unit o ON o.id = r.org_unit_id AND o.code LIKE 'GD__T__')", "")) ) return nerr_pass(err);
  return nerr_pass(db_exec(db, "ANALYZE TABLE entry, f_vehicle_daily_r, f_repair_order_r, f_canteen_daily_r, f_meter_reading_r,"
      " f_vehicle_daily, f_repair_order, f_canteen_daily, f_meter_reading, org_unit, base_item", ""));
}
