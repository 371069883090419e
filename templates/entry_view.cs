<?cs include:"entry_macros.cs" ?><?cs call:entry_nav("") ?>
<section class="card sheet">
  <h1><?cs var:Sheet.form_name ?></h1>
  <?cs if:Sheet.status == "returned" && Sheet.reason ?><p class="msg msg-warn" id="returned-reason"><b><?cs var:Lang.flow.returned_top ?></b><?cs var:Sheet.reason ?><?cs if:Sheet.decided_by ?> <span class="muted">（<?cs var:Sheet.decided_by ?> · <?cs var:Sheet.decided_at ?>）</span><?cs /if ?></p><?cs /if ?>
  <?cs if:Form.Notice ?><p class="msg msg-ok" role="status"><?cs var:Form.Notice ?></p><?cs /if ?>
  <?cs call:form_error() ?>
  <dl class="facts sheet-facts">
    <dt><?cs var:Lang.entry.col_unit ?></dt><dd><?cs var:Sheet.unit_name ?> (<?cs var:Sheet.unit_code ?>)</dd>
    <dt><?cs var:Lang.entry.col_period ?></dt><dd><?cs var:Sheet.period_label ?></dd>
    <dt><?cs var:Lang.entry.col_status ?></dt><dd id="status"><?cs call:status_badge(Sheet.status, Sheet.late) ?><?cs if:Sheet.reason ?> <span class="hint"><?cs var:Lang.entry.reason_label ?>：<?cs var:Sheet.reason ?></span><?cs /if ?></dd>
    <?cs if:Sheet.submitted_at ?><dt><?cs var:Lang.entry.submitted_by ?></dt><dd><?cs var:Sheet.submitted_by ?> · <?cs var:Sheet.submitted_at ?></dd><?cs /if ?>
    <?cs if:Sheet.updated_at ?><dt><?cs var:Lang.entry.updated_by ?></dt><dd><?cs var:Sheet.updated_by ?> · <?cs var:Sheet.updated_at ?></dd><?cs /if ?>
    <?cs if:Sheet.decided_at ?><dt><?cs var:Lang.entry.decided_by ?></dt><dd><?cs var:Sheet.decided_by ?> · <?cs var:Sheet.decided_at ?></dd><?cs /if ?>
  </dl>
  <?cs if:subcount(H) > 0 ?>
  <dl class="facts sheet-head-view"><?cs each:f = H ?><dt><?cs var:f.label ?></dt><dd><?cs call:cell_value(f, f) ?></dd><?cs /each ?></dl>
  <?cs /if ?>
  <?cs if:Sheet.has_rows == "1" ?>
  <h2 id="rows-title"><?cs if:Sheet.rows_title ?><?cs var:Sheet.rows_title ?><?cs else ?><?cs var:Lang.entry.rows ?><?cs /if ?></h2>
  <div class="sheet-scroll"><table class="grid sheet-rows view" aria-labelledby="rows-title">
    <thead><tr><th class="c-n">#</th><?cs each:col = Cols ?><th><?cs var:col.label ?><?cs if:col.unit ?> (<?cs var:col.unit ?>)<?cs /if ?></th><?cs /each ?></tr></thead>
    <tbody><?cs each:r = Rows ?><tr><td class="c-n" data-label="#"><?cs var:r.n ?></td><?cs each:col = Cols ?><td data-label="<?cs var:col.label ?>" class="t-<?cs var:col.type ?>"><?cs if:col.type == "lookup" ?><?cs var:r.c[name(col)].shown ?><?cs else ?><?cs var:r.c[name(col)].raw ?><?cs /if ?></td><?cs /each ?></tr><?cs /each ?></tbody>
  </table></div>
  <?cs /if ?>
  <p class="tools"><?cs if:May.edit == "1" ?><a class="btn" href="/entry/edit?id=<?cs var:Sheet.id ?>"><?cs var:Lang.entry.go_edit ?></a> <?cs /if ?><a class="btn" href="/entry/print?id=<?cs var:Sheet.id ?>"><?cs var:Lang.entry.print ?></a> <a class="btn" id="flow-link" href="/approval/entry?id=<?cs var:Sheet.id ?>"><?cs var:Lang.flow.open_flow ?></a></p>
  <?cs if:May.reopen == "1" ?>
  <?cs call:form_post("/entry/reopen") ?><input type="hidden" name="form" value="<?cs var:Sheet.form ?>"><input type="hidden" name="unit" value="<?cs var:Sheet.unit_id ?>"><input type="hidden" name="period" value="<?cs var:Sheet.period ?>"><input type="hidden" name="back" value="<?cs var:Sheet.id ?>">
    <label for="reason"><?cs var:Lang.entry.reopen_reason ?></label><textarea id="reason" name="reason" rows="2" maxlength="500" required></textarea>
    <button type="submit" class="btn"><?cs var:Lang.entry.reopen ?></button>
  </form>
  <?cs /if ?>
</section>
