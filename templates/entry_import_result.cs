<?cs include:"entry_macros.cs" ?><?cs call:entry_nav("import") ?>
<section class="card">
  <h1><?cs var:Ledger.form_name ?> · <?cs var:Lang.entry.ledger_title ?></h1>
  <p class="hint"><?cs var:Ledger.filename ?><?cs if:Ledger.encoding ?> (<?cs var:Ledger.encoding ?>)<?cs /if ?><?cs if:Ledger.header_row != "0" ?> · <?cs var:Lang.entry.ledger_header_row ?> <?cs var:Ledger.header_row ?><?cs /if ?></p>
  <?cs if:Ledger.file_msg ?><p class="msg msg-error" role="alert" id="ledger-msg"><?cs var:Ledger.file_msg ?></p>
  <?cs elif:Ledger.applied == "1" ?><p class="msg msg-ok" role="status" id="ledger-msg"><?cs var:Lang.entry.ledger_done ?></p>
  <?cs elif:Ledger.errors != "0" ?><p class="msg msg-error" role="alert" id="ledger-msg"><?cs var:Lang.entry.ledger_has_errors ?></p>
  <?cs else ?><p class="msg msg-ok" role="status" id="ledger-msg"><?cs var:Lang.entry.ledger_ok ?></p><?cs /if ?>
  <p class="summary" id="summary"><?cs var:Lang.entry.ledger_rows ?> <b><?cs var:Ledger.rows ?></b> · <?cs var:Lang.entry.ledger_sheets ?> <b><?cs var:subcount(Sheets) ?></b> · <?cs var:Lang.entry.ledger_errors ?> <b><?cs var:Ledger.errors ?></b></p>
  <?cs if:subcount(Sheets) > 0 ?>
  <table class="grid" id="sheets"><thead><tr><th><?cs var:Lang.entry.col_period ?></th><th><?cs var:Lang.entry.col_rows ?></th><th><?cs var:Lang.entry.ledger_from_row ?></th><th></th></tr></thead>
    <tbody><?cs each:s = Sheets ?><tr><td><?cs var:s.label ?></td><td><?cs var:s.rows ?></td><td><?cs var:s.first ?></td><td><?cs if:s.id ?><a href="/entry/view?id=<?cs var:s.id ?>"><?cs var:Lang.entry.go_view ?></a><?cs /if ?></td></tr><?cs /each ?></tbody>
  </table>
  <?cs /if ?>
  <?cs if:subcount(Errors) > 0 ?>
  <h2><?cs var:Lang.entry.ledger_error_list ?><?cs if:Ledger.errors != Ledger.shown ?> (<?cs var:Ledger.shown ?> / <?cs var:Ledger.errors ?>)<?cs /if ?></h2>
  <div class="scroll"><table class="grid errors" id="errors"><thead><tr><th><?cs var:Lang.entry.ledger_row ?></th><th><?cs var:Lang.entry.ledger_column ?></th><th><?cs var:Lang.entry.ledger_value ?></th><th><?cs var:Lang.entry.ledger_message ?></th></tr></thead>
    <tbody><?cs each:e = Errors ?><tr><td><?cs var:e.row ?></td><td><?cs var:e.column ?></td><td><?cs var:e.value ?></td><td><?cs var:e.msg ?></td></tr><?cs /each ?></tbody>
  </table></div>
  <?cs /if ?>
  <?cs if:Ledger.applied != "1" && subcount(Cols) > 0 ?>
  <h2><?cs var:Lang.entry.ledger_mapping ?></h2>
  <p class="hint"><?cs var:Lang.entry.ledger_mapping_hint ?></p>
  <?cs call:form_post("/entry/import/check") ?>
    <input type="hidden" name="batch" value="<?cs var:Ledger.batch ?>"><input type="hidden" name="form" value="<?cs var:Ledger.form ?>"><input type="hidden" name="unit" value="<?cs var:Ledger.unit ?>"><input type="hidden" name="period" value="<?cs var:Ledger.period ?>">
    <table class="grid mapping"><thead><tr><th><?cs var:Lang.entry.ledger_column ?></th><th><?cs var:Lang.entry.ledger_becomes ?></th></tr></thead><tbody>
    <?cs each:c = Cols ?><tr><td><label for="map-<?cs var:name(c) ?>"><?cs var:c.header ?></label></td><td><select id="map-<?cs var:name(c) ?>" name="map.<?cs var:name(c) ?>"><option value="-"<?cs if:c.field == "-" ?> selected<?cs /if ?>><?cs var:Lang.entry.ledger_ignore ?></option><?cs each:t = Targets ?><option value="<?cs var:t.code ?>"<?cs if:t.code == c.field ?> selected<?cs /if ?>><?cs var:t.label ?></option><?cs /each ?></select></td></tr><?cs /each ?>
    </tbody></table>
    <button type="submit" class="btn"><?cs var:Lang.entry.ledger_recheck ?></button>
  </form>
  <?cs if:Ledger.errors == "0" && !Ledger.file_msg && subcount(Sheets) > 0 ?>
  <?cs call:form_post("/entry/import/apply") ?>
    <input type="hidden" name="batch" value="<?cs var:Ledger.batch ?>"><input type="hidden" name="form" value="<?cs var:Ledger.form ?>"><input type="hidden" name="unit" value="<?cs var:Ledger.unit ?>"><input type="hidden" name="period" value="<?cs var:Ledger.period ?>">
    <?cs each:c = Cols ?><input type="hidden" name="map.<?cs var:name(c) ?>" value="<?cs var:c.field ?>"><?cs /each ?>
    <button type="submit" class="btn btn-primary" id="confirm"><?cs var:Lang.entry.ledger_apply ?></button>
  </form>
  <?cs /if ?>
  <?cs /if ?>
  <p><a href="/entry/import"><?cs var:Lang.entry.ledger_again ?></a></p>
</section>
