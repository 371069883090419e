<?cs include:"entry_macros.cs" ?><?cs call:entry_nav("import") ?>
<section class="card card-form">
  <h1><?cs var:Lang.entry.ledger_title ?></h1>
  <?cs call:messages() ?>
  <p class="hint"><?cs var:Lang.entry.ledger_intro ?></p>
  <?cs call:form_upload("/entry/import/check") ?>
    <label for="l-form"><?cs var:Lang.entry.col_form ?></label><select id="l-form" name="form"><?cs each:f = Forms ?><option value="<?cs var:f.code ?>"><?cs var:f.name ?></option><?cs /each ?></select>
    <label for="l-unit"><?cs var:Lang.entry.col_unit ?></label><select id="l-unit" name="unit"><?cs each:u = Units ?><option value="<?cs var:u.id ?>"><?cs var:u.label ?></option><?cs /each ?></select>
    <label for="l-date"><?cs var:Lang.entry.ledger_date ?></label><input id="l-date" name="date" type="text" class="when" value="<?cs var:Now.date ?>">
    <label for="l-shift"><?cs var:Lang.entry.shift ?></label><select id="l-shift" name="shift"><?cs each:s = Shifts ?><option value="<?cs var:s.n ?>"><?cs var:Lang.entry.shift_n ?><?cs var:s.n ?> (<?cs var:s.start ?>)</option><?cs /each ?></select>
    <label for="l-file"><?cs var:Lang.entry.ledger_file ?></label><input id="l-file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
    <p class="hint"><?cs var:Lang.entry.ledger_file_hint ?> <?cs var:Import.max_mb ?> MB.</p>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.entry.ledger_check ?></button>
  </form>
  <h2><?cs var:Lang.entry.ledger_templates ?></h2>
  <ul class="plain"><?cs each:f = Forms ?><li><a href="/entry/import/template?form=<?cs var:url_escape(f.code) ?>"><?cs var:f.name ?></a></li><?cs /each ?></ul>
</section>
