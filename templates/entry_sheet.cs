<?cs include:"entry_macros.cs" ?><?cs call:entry_nav("") ?>
<section class="card sheet">
  <h1><?cs var:Sheet.form_name ?></h1>
  <?cs if:Sheet.status == "returned" && Sheet.reason ?><p class="msg msg-warn" id="returned-reason"><b><?cs var:Lang.flow.returned_top ?></b><?cs var:Sheet.reason ?><?cs if:Sheet.decided_by ?> <span class="muted">（<?cs var:Sheet.decided_by ?> · <?cs var:Sheet.decided_at ?>）</span><?cs /if ?></p><?cs /if ?>
  <dl class="facts sheet-facts">
    <dt><?cs var:Lang.entry.col_unit ?></dt><dd><?cs var:Sheet.unit_name ?> (<?cs var:Sheet.unit_code ?>)</dd>
    <dt><?cs var:Lang.entry.col_period ?></dt><dd><?cs var:Sheet.period_label ?></dd>
    <dt><?cs var:Lang.entry.col_status ?></dt><dd><?cs call:status_badge(Sheet.status, Sheet.late) ?><?cs if:Sheet.reason ?> <span class="hint"><?cs var:Lang.entry.reason_label ?>：<?cs var:Sheet.reason ?></span><?cs /if ?></dd>
    <dt><?cs var:Lang.entry.col_cutoff ?></dt><dd><?cs var:Sheet.cutoff ?><?cs if:Sheet.state == "late" ?> <span class="st st-late"><?cs var:Lang.entry.past_cutoff ?></span><?cs elif:Sheet.state == "closed" ?> <span class="st st-late"><?cs var:Lang.entry.state.closed ?></span><?cs if:Sheet.reopened == "1" ?> · <?cs var:Lang.entry.reopened_mark ?><?cs /if ?><?cs /if ?></dd>
  </dl>
  <?cs if:Form.Notice ?><p class="msg msg-ok" role="status"><?cs var:Form.Notice ?></p><?cs /if ?>
  <?cs if:Sheet.msg ?><p class="msg msg-error" role="alert" id="sheet-msg"><?cs var:Sheet.msg ?><?cs if:Sheet.other ?> <a href="/entry/edit?id=<?cs var:Sheet.other ?>"><?cs var:Lang.entry.open_other ?></a><?cs /if ?><?cs if:Sheet.conflict ?> <a href="/entry/edit?id=<?cs var:Sheet.id ?>" target="_blank" rel="noopener"><?cs var:Lang.entry.reload ?></a><?cs /if ?></p><?cs /if ?>
  <?cs call:form_post("/entry/save") ?>
    <input type="hidden" name="form" value="<?cs var:Sheet.form ?>"><input type="hidden" name="unit" value="<?cs var:Sheet.unit_id ?>"><input type="hidden" name="period" value="<?cs var:Sheet.period ?>"><input type="hidden" name="id" value="<?cs var:Sheet.id ?>"><input type="hidden" name="version" value="<?cs var:Sheet.version ?>"><input type="hidden" name="tok" value="<?cs var:Sheet.token ?>">
    <button type="submit" name="op" value="save" class="default-op" tabindex="-1"><?cs var:Lang.entry.save ?></button>
    <?cs if:subcount(H) > 0 ?>
    <fieldset class="sheet-head"><legend><?cs if:Sheet.head_title ?><?cs var:Sheet.head_title ?><?cs else ?><?cs var:Lang.entry.head ?><?cs /if ?></legend>
      <?cs each:f = H ?><div class="field<?cs if:f.err ?> has-err<?cs /if ?>">
        <label for="h-<?cs var:f.code ?>"><?cs var:f.label ?><?cs if:f.unit ?> (<?cs var:f.unit ?>)<?cs /if ?><?cs if:f.required == "1" ?> <span class="req" title="<?cs var:Lang.entry.required ?>">*</span><?cs /if ?></label>
        <?cs call:cell_input(f, f, "h." + f.code, "h-" + f.code, f.label) ?>
        <?cs if:f.hint && f.type != "date" && f.type != "time" ?><span class="hint"><?cs var:f.hint ?></span><?cs /if ?>
      </div><?cs /each ?>
    </fieldset>
    <?cs /if ?>
    <?cs if:Sheet.has_rows == "1" ?>
    <h2 id="rows-title"><?cs if:Sheet.rows_title ?><?cs var:Sheet.rows_title ?><?cs else ?><?cs var:Lang.entry.rows ?><?cs /if ?> <span class="hint">(<?cs var:Sheet.nrows ?> <?cs var:Lang.entry.rows_unit ?>)</span></h2>
    <div class="sheet-scroll"><table class="sheet-rows" aria-labelledby="rows-title">
      <thead><tr><th class="c-sel"><?cs var:Lang.entry.col_sel ?></th><th class="c-n">#</th><?cs each:col = Cols ?><th><?cs var:col.label ?><?cs if:col.unit ?> <span class="unit">(<?cs var:col.unit ?>)</span><?cs /if ?><?cs if:col.required == "1" ?> <span class="req">*</span><?cs /if ?></th><?cs /each ?></tr></thead>
      <tbody>
      <?cs each:r = Rows ?><tr id="row-<?cs var:name(r) ?>">
        <td class="c-sel" data-label="<?cs var:Lang.entry.col_sel ?>"><input type="checkbox" id="row-<?cs var:name(r) ?>-del" name="row.<?cs var:name(r) ?>.del" value="1" aria-label="<?cs var:Lang.entry.select_row ?><?cs var:r.n ?><?cs var:Lang.entry.row_n_post ?>"><input type="hidden" name="row.<?cs var:name(r) ?>.id" value="<?cs var:r.id ?>"></td>
        <td class="c-n" data-label="#"><?cs var:r.n ?></td>
        <?cs each:col = Cols ?><td data-label="<?cs var:col.label ?>" class="t-<?cs var:col.type ?><?cs if:r.c[name(col)].err ?> has-err<?cs /if ?>"><?cs call:cell_input(col, r.c[name(col)], "row." + name(r) + "." + col.code, "r" + name(r) + "-" + col.code, col.label + " " + Lang.entry.row_n + r.n + Lang.entry.row_n_post) ?></td><?cs /each ?>
      </tr><?cs /each ?>
      </tbody>
    </table></div>
    <?cs each:col = Cols ?><?cs if:Search[col.code] ?><datalist id="dl-<?cs var:col.code ?>"><?cs each:o = Opts[col.code] ?><option value="<?cs var:o.label ?>"></option><?cs /each ?></datalist><?cs /if ?><?cs /each ?>
    <p class="row-tools"><button type="submit" name="op" value="addrow" class="btn"><?cs var:Lang.entry.add_row ?></button> <button type="submit" name="op" value="delrow" class="btn"><?cs var:Lang.entry.del_rows ?></button> <button type="submit" name="op" value="copy" class="btn"><?cs var:Lang.entry.copy_prev ?></button></p>
    <?cs /if ?>
    <?cs each:f = H ?><?cs if:Search[f.code] ?><datalist id="dl-<?cs var:f.code ?>"><?cs each:o = Opts[f.code] ?><option value="<?cs var:o.label ?>"></option><?cs /each ?></datalist><?cs /if ?><?cs /each ?>
    <p class="sheet-actions"><button type="submit" name="op" value="save" class="btn" id="op-save"><?cs var:Lang.entry.save ?></button> <button type="submit" name="op" value="submit" class="btn btn-submit" id="op-submit"><?cs var:Lang.entry.submit ?></button></p>
    <p class="hint"><?cs var:Lang.entry.save_hint ?></p>
  </form>
</section>
