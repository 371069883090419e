// audit-chain.test.mjs -- the audit log proves it was not altered, against
// someone who can write the database as its root: a record altered,
// deleted or inserted, the tail cut off, and a tampered tail re-computed
// with SHA-256 (without the key) are each found, and said how, by
// `diaodu-ctl verify-audit`; the plain SHA-256 chain of an instance from
// before the key stays verifiable across the switch; archives verify and a
// changed archive file is found; the application's account may only INSERT
// and SELECT the audit table.  Every tampering is done in SQL as MariaDB's
// root, on scratch databases of the test instance's server (the instance's
// own log is left alone).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, VAR, ctl } from './lib.mjs';

const BUILD = process.env.DIAODU_BUILD || 'build-asan';
const SOCK = `${VAR}/run/mysqld.sock`;
const SCRATCH = path.join(VAR, 'audit-scratch');
fs.mkdirSync(SCRATCH, { recursive: true });
const made = [];
after(() => { for (const db of made) root(`DROP DATABASE IF EXISTS ${db}`); });

// SQL as MariaDB's root, on any database of the instance's server
function root(query, db = '') {
  const args = ['--no-defaults', `--socket=${SOCK}`, '-uroot', '--default-character-set=utf8mb4', '-N', '-B'];
  if (db) args.push(db);
  return execFileSync('mariadb', [...args, '-e', query], { encoding: 'utf8' }).trim();
}
function rootFile(file, db) {
  execFileSync('mariadb', ['--no-defaults', `--socket=${SOCK}`, '-uroot', '--default-character-set=utf8mb4', db],
    { input: fs.readFileSync(file) });
}
function appPassword() {
  return /^Db\.Password = (.*)$/m.exec(fs.readFileSync(path.join(VAR, 'local.conf'), 'utf8'))[1];
}
// SQL as the application's account
function asApp(query, db = 'diaodu') {
  return execFileSync('mariadb', ['--no-defaults', `--socket=${SOCK}`, '-udiaodu', `-p${appPassword()}`, '-N', '-B', db,
    '-e', query], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

// a scratch database with the schema up to (not including) migration `upto`
// and the grants of the run command; its own key, head file and archives
function scratch(name, { upto = 1000 } = {}) {
  const db = `diaodu_${name}_${process.pid}`;
  made.push(db);
  root(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const files = fs.readdirSync(path.join(ROOT, 'schema')).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort();
  const applied = [];
  const apply = (max) => {
    for (const f of files) {
      if (applied.includes(f) || Number(f.slice(0, 3)) >= max) continue;
      rootFile(path.join(ROOT, 'schema', f), db);
      applied.push(f);
    }
    const grants = root(`SELECT table_name FROM information_schema.tables WHERE table_schema='${db}'`).split('\n')
      .map((t) => t === 'audit_log' || t === 'audit_archive' ? `GRANT SELECT, INSERT ON ${db}.${t} TO 'diaodu'@'localhost';`
        : `GRANT SELECT, INSERT, UPDATE, DELETE ON ${db}.\`${t}\` TO 'diaodu'@'localhost';`).join(' ');
    root(grants);
  };
  apply(upto);
  const dir = path.join(SCRATCH, db);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'scratch.conf');
  fs.writeFileSync(conf, `Db.Name = ${db}\nAudit.KeyFile = ${dir}/audit.key\nAudit.HeadFile = ${dir}/head.log\n` +
    `Audit.ArchiveDir = ${dir}/archive\n`);
  const run = (...args) => {
    try {
      return { ok: true, out: execFileSync(path.join(ROOT, BUILD, 'bin', 'diaodu-ctl'),
        ['-c', path.join(ROOT, 'conf/diaodu.conf'), '-c', path.join(VAR, 'local.conf'), '-c', conf, ...args],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() };
    } catch (e) { return { ok: false, out: String(e.stdout).trim(), err: String(e.stderr) }; }
  };
  return { db, dir, sql: (q) => root(q, db), ctl: run, migrate: () => apply(1000) };
}

// records made the way an instance makes them: set-up, an import, a reset
function populate(s) {
  assert.ok(s.ctl('setup').ok, 'set-up');
  assert.ok(s.ctl('import', 'units', path.join(ROOT, 'demo/units.csv')).ok, 'an import');
  for (let i = 0; i < 10; i++) assert.ok(s.ctl('reset-initial', 'admin').ok, 'a reset');
}

const verify = (s) => s.ctl('verify-audit');
const maxId = (s) => Number(s.sql('SELECT MAX(id) FROM audit_log'));

// save and restore the audit table, its head row and the head file
function snapshot(s) {
  s.sql('DROP TABLE IF EXISTS audit_bak; CREATE TABLE audit_bak AS SELECT * FROM audit_log;' +
    'DROP TABLE IF EXISTS head_bak; CREATE TABLE head_bak AS SELECT * FROM audit_head');
  const head = fs.readFileSync(path.join(s.dir, 'head.log'));
  return () => {
    s.sql('DELETE FROM audit_log; INSERT INTO audit_log (id, alg, at, user_id, login, role, unit_id, unit, ip, ua, req_id,' +
      ' action, object, result, detail, prev_hash, hash) SELECT id, alg, at, user_id, login, role, unit_id, unit, ip, ua,' +
      ' req_id, action, object, result, detail, prev_hash, hash FROM audit_bak;' +
      ' DELETE FROM audit_head; INSERT INTO audit_head SELECT * FROM head_bak');
    fs.writeFileSync(path.join(s.dir, 'head.log'), head);
    assert.match(verify(s).out, /intact/, 'restored');
  };
}

// the plain SHA-256 link of a record, in SQL (the encoding of audit_hash():
// each field as "<byte length>:<bytes>"), with @p holding the previous hash
const F = (e) => `LENGTH(${e}), ':', ${e}`;
const SHA_LINK = `SHA2(CONCAT(${F('@p')}, ${F('CAST(id AS CHAR)')}, ${F("DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f')")},` +
  ` ${F('CAST(COALESCE(user_id, 0) AS CHAR)')}, ${F('login')}, ${F('ip')}, ${F('ua')}, ${F('action')}, ${F('object')},` +
  ` ${F('result')}, ${F('detail')}), 256)`;
// re-compute the chain from record `from` on with SHA-256, as someone
// without the key would: every link checks out as a SHA-256 chain
function rechainSha(s, from) {
  s.sql(`SET @p = COALESCE((SELECT hash FROM audit_log WHERE id = ${from - 1}), REPEAT('0', 64));
    UPDATE audit_log SET alg = 1, prev_hash = @p, hash = (@p := ${SHA_LINK}) WHERE id >= ${from} ORDER BY id;
    UPDATE audit_head SET hash = (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) WHERE id = 1`);
}

test('the application account may only INSERT and SELECT the audit table', () => {
  assert.match(asApp('SELECT COUNT(*) FROM audit_log'), /^\d+$/);
  for (const [what, q] of [['UPDATE', "UPDATE audit_log SET result = 'ok' WHERE id = 1"],
    ['DELETE', 'DELETE FROM audit_log WHERE id = 1'], ['TRUNCATE', 'TRUNCATE TABLE audit_log'],
    ['DROP', 'DROP TABLE audit_log'], ['ALTER', 'ALTER TABLE audit_log ADD COLUMN x INT']]) {
    assert.throws(() => asApp(q), (e) => /command denied/i.test(String(e.stderr)), `${what} is refused`);
  }
  const grants = root("SHOW GRANTS FOR 'diaodu'@'localhost'");
  assert.match(grants, /GRANT SELECT, INSERT ON `diaodu`\.`audit_log`/);
  assert.match(grants, /GRANT SELECT, INSERT ON `diaodu`\.`audit_archive`/, 'the archive index: insert and select only');
});

test('an intact keyed chain verifies: "intact up to record N at time T"', () => {
  const s = scratch('ok');
  populate(s);
  const v = verify(s);
  assert.ok(v.ok, v.out);
  const n = maxId(s);
  assert.match(v.out, new RegExp(`intact up to record ${n} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} UTC`));
  assert.match(v.out, /keyed from 1\b/);
  assert.equal(s.sql('SELECT COUNT(*) FROM audit_log WHERE alg <> 2'), '0', 'every record is keyed');
  assert.equal((fs.statSync(path.join(s.dir, 'audit.key')).mode & 0o777).toString(8), '600', 'the key is 0600');
  assert.match(fs.readFileSync(path.join(s.dir, 'audit.key'), 'utf8'), /^[0-9a-f]{64}\n$/);
  // who, from where, which request: on every record
  assert.equal(s.sql("SELECT COUNT(*) FROM audit_log WHERE req_id = '' OR ip = '' OR role = ''"), '0');
});

test('tampering in SQL as the database root is found, and said how', () => {
  const s = scratch('tamper');
  populate(s);
  assert.ok(s.ctl('anchor-audit').ok, 'the head goes outside the database');
  const n = maxId(s);
  assert.ok(n > 12, `${n} records`);
  const restore = snapshot(s);

  // a record altered in place (its MAC left as it was)
  s.sql(`UPDATE audit_log SET detail = REPLACE(detail, '"sha256":"', '"sha256":"0') WHERE id = 5`);
  let v = verify(s);
  assert.equal(v.ok, false);
  assert.match(v.out, /BROKEN at record 5: record 5 was changed; intact up to record 4 at /);
  restore();

  // the actor or the address changed, nothing else
  s.sql("UPDATE audit_log SET ip = '10.9.9.9' WHERE id = 8");
  assert.match(verify(s).out, /BROKEN at record 8: record 8 was changed/);
  restore();

  // a record deleted
  s.sql('DELETE FROM audit_log WHERE id = 6');
  v = verify(s);
  assert.equal(v.ok, false);
  assert.match(v.out, /BROKEN at record 6: records 6 to 6 are missing; intact up to record 5 at /);
  restore();

  // a record deleted and the later ones renumbered to close the gap
  s.sql('DELETE FROM audit_log WHERE id = 6; UPDATE audit_log SET id = id - 1 WHERE id > 6 ORDER BY id');
  assert.match(verify(s).out, /BROKEN at record 6: records 6 to 6 are missing/);
  restore();

  // a record inserted (the later ones renumbered to make room)
  s.sql(`UPDATE audit_log SET id = id + 1 WHERE id >= 7 ORDER BY id DESC;
    INSERT INTO audit_log (id, alg, at, user_id, login, role, unit_id, unit, ip, ua, req_id, action, object, result, detail, prev_hash, hash)
      SELECT 7, alg, at, user_id, login, role, unit_id, unit, ip, ua, req_id, 'user.grant', 'user:nobody', 'ok', '{}', prev_hash, hash
      FROM audit_log WHERE id = 8;
    UPDATE audit_head SET seq = seq + 1`);
  v = verify(s);
  assert.match(v.out, /BROKEN at record 7: record 7 was inserted; intact up to record 6 at /);
  restore();

  // the tail cut off, and the head row made to agree: the head file knows better
  s.sql(`DELETE FROM audit_log WHERE id > ${n - 3};
    UPDATE audit_head SET seq = ${n - 3}, hash = (SELECT hash FROM audit_log WHERE id = ${n - 3}) WHERE id = 1`);
  v = verify(s);
  assert.equal(v.ok, false);
  assert.match(v.out, new RegExp(`BROKEN at record ${n - 2}: the tail was truncated: records ${n - 2} to ${n} are gone; ` +
    `intact up to record ${n - 3} at `));
  restore();

  // the tail cut off without touching the head row
  s.sql(`DELETE FROM audit_log WHERE id > ${n - 1}`);
  assert.match(verify(s).out, new RegExp(`the tail was truncated: records ${n} to ${n} are gone`));
  restore();

  // a record altered and the tail re-computed with SHA-256, without the key
  s.sql("UPDATE audit_log SET result = 'fail' WHERE id = 9");
  rechainSha(s, 9);
  assert.equal(s.sql(`SELECT COUNT(*) FROM audit_log WHERE id >= 9 AND alg = 1`), String(n - 8), 'a consistent SHA-256 tail');
  v = verify(s);
  assert.equal(v.ok, false);
  assert.match(v.out, /BROKEN at record 9: record 9 was changed; intact up to record 8 at /);
  // ... and the switch to the keyed chain moved out of the way, too
  s.sql('UPDATE audit_head SET keyed_from = NULL');
  assert.match(verify(s).out, /BROKEN at record 1: the switch to the keyed chain was moved \(the head file says 1\)/);
  restore();

  // the whole chain re-computed with SHA-256 and the switch erased
  s.sql('UPDATE audit_head SET keyed_from = NULL');
  rechainSha(s, 1);
  assert.match(verify(s).out, /BROKEN at record 1/);
  restore();
});

test('an instance from before the key: the SHA-256 records stay verifiable and the chain switches at a recorded id', () => {
  const s = scratch('mig', { upto: 8 });   // before 008_audit_keyed
  // records written by the old code: plain SHA-256, computed here in SQL
  s.sql(`INSERT INTO audit_log (id, at, user_id, login, ip, ua, action, object, result, detail, prev_hash, hash) VALUES
    (1, '2026-01-05 01:00:00.000001', 0, 'system', '127.0.0.1', 'diaodu-ctl', 'setup', 'user:admin', 'ok', '{"units":["100"]}', '', ''),
    (2, '2026-01-05 02:00:00.5', 1, 'admin', '10.0.0.8', 'Mozilla/5.0', 'login.ok', 'user:1', 'ok', '{}', '', ''),
    (3, '2026-01-06 03:00:00', 0, '某人', '10.0.0.9', 'curl', 'login.fail', 'login:某人', 'fail', '{"reason":"unknown account"}', '', '');
    SET @p = REPEAT('0', 64);
    UPDATE audit_log SET prev_hash = @p, hash = (@p := ${SHA_LINK}) ORDER BY id;
    UPDATE audit_head SET seq = 3, hash = @p`);
  s.migrate();
  assert.equal(s.sql('SELECT alg FROM audit_log ORDER BY id'), '1\n1\n1');
  // the set-up after the upgrade makes the key and switches the chain
  const setup = s.ctl('setup');
  assert.ok(setup.ok, setup.err);
  assert.equal(s.sql('SELECT keyed_from FROM audit_head'), '4');
  assert.equal(s.sql("SELECT CONCAT(alg, ' ', action) FROM audit_log WHERE id = 4"), '2 audit.key');
  assert.match(fs.readFileSync(path.join(s.dir, 'head.log'), 'utf8'), / 4 [0-9a-f]{64} 4 setup\n/);
  assert.ok(s.ctl('import', 'units', path.join(ROOT, 'demo/units.csv')).ok);
  let v = verify(s);
  assert.ok(v.ok, v.out);
  assert.match(v.out, new RegExp(`intact up to record ${maxId(s)} .*keyed from 4`));
  // an old record is still checked: changing it is found
  const restore = snapshot(s);
  s.sql("UPDATE audit_log SET login = 'admin2' WHERE id = 2");
  assert.match(verify(s).out, /BROKEN at record 2: record 2 was changed/);
  restore();
  // a keyed record turned into a SHA-256 one (with the chain re-computed) is not accepted
  rechainSha(s, 5);
  assert.match(verify(s).out, /BROKEN at record 5: record 5 was changed/);
  restore();
  // a second set-up neither makes a new key nor switches again
  const key = fs.readFileSync(path.join(s.dir, 'audit.key'), 'utf8');
  assert.ok(s.ctl('setup').ok);
  assert.equal(fs.readFileSync(path.join(s.dir, 'audit.key'), 'utf8'), key);
  assert.equal(s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.key'"), '1');
  // without the key nothing can be written, and no new key is made
  fs.renameSync(path.join(s.dir, 'audit.key'), path.join(s.dir, 'audit.key.away'));
  const noKey = s.ctl('setup');
  assert.equal(noKey.ok, false);
  assert.match(noKey.err, /missing but records from 4 on are keyed/);
  assert.equal(fs.existsSync(path.join(s.dir, 'audit.key')), false);
  assert.equal(s.ctl('import', 'units', path.join(ROOT, 'demo/units.csv')).ok, false, 'no unkeyed records after the switch');
  fs.renameSync(path.join(s.dir, 'audit.key.away'), path.join(s.dir, 'audit.key'));
  assert.ok(verify(s).ok);
});

test('archives: old records move into a verified file recorded in the chain; a changed file is found', () => {
  const s = scratch('arch');
  populate(s);
  const n = maxId(s);
  // nothing is 180 days old yet
  const none = s.ctl('archive-audit');
  assert.equal(none.ok, false);
  assert.match(none.err, /没有早于/);
  // everything written so far
  const cut = s.sql("SELECT DATE_FORMAT(MAX(at) + INTERVAL 1 SECOND, '%Y-%m-%d %H:%i:%s') FROM audit_log");
  const a = s.ctl('archive-audit', '--before', cut);
  assert.ok(a.ok, a.err);
  const m = /archived records 1 to (\d+) \((\d+)\) into (audit-\S+\.jsonl\.gz), SHA-256 ([0-9a-f]{64})/.exec(a.out);
  assert.ok(m, a.out);
  assert.equal(Number(m[1]), n);
  const file = path.join(s.dir, 'archive', m[3]);
  assert.ok(fs.existsSync(file));
  assert.equal(s.sql('SELECT MIN(id) FROM audit_log'), String(n + 1), 'the rows left the table');
  const rec = s.sql(`SELECT CONCAT(action, ' ', object) FROM audit_log WHERE id = ${n + 1}`);
  assert.equal(rec, `audit.archive archive:1-${n}`);
  assert.match(s.sql(`SELECT detail FROM audit_log WHERE id = ${n + 1}`), new RegExp(`"sha256":"${m[4]}"`));
  let v = verify(s);
  assert.ok(v.ok, v.out);
  assert.match(v.out, /intact up to record \d+ .*1 archive\(s\), 0 bad/);
  // the archive file changed: found
  const orig = fs.readFileSync(file);
  const bad = Buffer.from(orig);
  bad[bad.length - 10] ^= 1;
  fs.writeFileSync(file, bad);
  v = verify(s);
  assert.equal(v.ok, false);
  assert.match(v.out, new RegExp(`1 archive\\(s\\), 1 bad \\(first: 1-${n}, hash\\)`));
  fs.writeFileSync(file, orig);
  assert.ok(verify(s).ok);
  // the same cut again archives nothing: the archive's own record, written
  // after the run began but before a cut that lay ahead, is no reason for another
  const again = s.ctl('archive-audit', '--before', cut);
  assert.equal(again.ok, false, 'nothing older left to archive');
  assert.match(again.err, /已经归档/);
  assert.equal(s.sql('SELECT MIN(id) FROM audit_log'), String(n + 1), 'nothing moved');
  // a later cut takes the first archive's own record into the second archive:
  // the first archive stays listed (the archive index), verified and readable
  s.ctl('reset-initial', 'admin');
  const cut2 = s.sql("SELECT DATE_FORMAT(MAX(at) + INTERVAL 1 SECOND, '%Y-%m-%d %H:%i:%s') FROM audit_log");
  const b = s.ctl('archive-audit', '--before', cut2);
  assert.ok(b.ok, b.err);
  assert.match(b.out, new RegExp(`archived records ${n + 1} to `));
  assert.equal(s.sql(`SELECT COUNT(*) FROM audit_log WHERE id = ${n + 1}`), '0', 'the first archive\'s record moved');
  v = verify(s);
  assert.ok(v.ok, v.out);
  assert.match(v.out, /2 archive\(s\), 0 bad/);
  // the index is checked against the chain: a changed copy, a missing archive
  const restoreIx = () => s.sql('DROP TABLE IF EXISTS ix_bak; CREATE TABLE ix_bak AS SELECT * FROM audit_archive');
  restoreIx();
  s.sql(`UPDATE audit_archive SET detail = REPLACE(detail, '"records":${n}', '"records":${n - 1}') WHERE record_id = ${n + 1}`);
  v = verify(s);
  assert.equal(v.ok, false);
  assert.match(v.out, /2 archive\(s\), \d+ bad \(first: \d+-\d+, (index|chain)\)/);
  s.sql('DELETE FROM audit_archive; INSERT INTO audit_archive SELECT * FROM ix_bak');
  assert.ok(verify(s).ok);
  s.sql(`DELETE FROM audit_archive WHERE record_id = ${n + 1}`);
  v = verify(s);
  assert.equal(v.ok, false, 'an archive no longer listed is found');
  assert.match(v.out, /1 archive\(s\), [12] bad \(first: \d+-\d+, (index|gap)\)/);
  s.sql('DELETE FROM audit_archive; INSERT INTO audit_archive SELECT * FROM ix_bak');
  assert.ok(verify(s).ok);
  // the application's account cannot change the index either
  assert.throws(() => asApp('DELETE FROM audit_archive', s.db), (e) => /command denied/i.test(String(e.stderr)));
});
