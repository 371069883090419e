<?cs include:"approval_macros.cs" ?><?cs include:"entry_macros.cs" ?><?cs call:flow_nav("") ?>
<section class="card sheet">
  <h1><?cs var:Sheet.form_name ?><?cs if:Flow.revision != "1" ?> <span class="st"><?cs var:Lang.flow.rev_pre ?><?cs var:Flow.revision ?><?cs var:Lang.flow.rev_post ?></span><?cs /if ?></h1>
  <?cs call:messages() ?>
  <?cs if:Sheet.status == "returned" && Sheet.reason ?><p class="msg msg-warn" id="returned-reason"><b><?cs var:Lang.flow.returned_top ?></b><?cs var:Sheet.reason ?><?cs if:Sheet.decided_by ?> <span class="muted">（<?cs var:Sheet.decided_by ?> · <?cs var:Sheet.decided_at ?>）</span><?cs /if ?></p><?cs /if ?>
  <?cs if:Flow.cur == "0" ?><p class="msg msg-warn" id="superseded"><?cs var:Lang.flow.superseded ?></p><?cs /if ?>
  <dl class="facts sheet-facts">
    <dt><?cs var:Lang.entry.col_unit ?></dt><dd><?cs var:Sheet.unit_name ?> (<?cs var:Sheet.unit_code ?>)</dd>
    <dt><?cs var:Lang.entry.col_period ?></dt><dd><?cs var:Sheet.period_label ?></dd>
    <dt><?cs var:Lang.entry.col_status ?></dt><dd id="status"><?cs call:status_badge(Sheet.status, Sheet.late) ?><?cs if:Sheet.status == "submitted" && Flow.step != "0" ?> <span id="step"><?cs call:flow_step(Flow.step, Flow.nsteps, Flow.step_label) ?></span><?cs if:Flow.late == "1" ?> <span class="st st-late"><?cs var:Lang.flow.overdue ?></span><?cs /if ?><?cs /if ?><?cs if:Flow.counted == "1" ?> <span class="st st-approved"><?cs var:Lang.flow.counted ?></span><?cs /if ?></dd>
    <?cs if:Sheet.status == "submitted" && Flow.since ?><dt><?cs var:Lang.flow.col_waiting ?></dt><dd><?cs var:Flow.since ?><?cs if:Flow.due ?> · <?cs var:Lang.flow.due ?> <?cs var:Flow.due ?><?cs /if ?><?cs if:Flow.assignee ?> · <?cs var:Lang.flow.assigned_to ?> <?cs var:Flow.assignee ?><?cs /if ?></dd><?cs /if ?>
    <?cs if:Sheet.submitted_at ?><dt><?cs var:Lang.entry.submitted_by ?></dt><dd><?cs var:Sheet.submitted_by ?> · <?cs var:Sheet.submitted_at ?></dd><?cs /if ?>
  </dl>

  <h2 id="data-title"><?cs var:Lang.flow.data ?></h2>
  <?cs if:subcount(H) > 0 ?>
  <dl class="facts sheet-head-view"><?cs each:f = H ?><dt><?cs var:f.label ?></dt><dd><?cs var:f.shown ?><?cs if:f.raw != "" && f.unit ?> <span class="unit"><?cs var:f.unit ?></span><?cs /if ?></dd><?cs /each ?></dl>
  <?cs /if ?>
  <?cs if:Sheet.has_rows == "1" ?>
  <div class="sheet-scroll"><table class="grid sheet-rows view" id="data" aria-labelledby="data-title">
    <thead><tr><th class="c-n">#</th><?cs each:col = Cols ?><th><?cs var:col.label ?><?cs if:col.unit ?> (<?cs var:col.unit ?>)<?cs /if ?></th><?cs /each ?></tr></thead>
    <tbody><?cs each:row = Rows ?><tr><td class="c-n"><?cs var:row.n ?></td><?cs each:cell = row.c ?><td><?cs var:cell.shown ?></td><?cs /each ?></tr><?cs /each ?></tbody>
  </table></div>
  <?cs /if ?>

  <?cs if:Diff.prev_id ?>
  <h2 id="diff-title"><?cs var:Lang.flow.diff_title ?><?cs var:Diff.prev_revision ?><?cs var:Lang.flow.diff_title_post ?></h2>
  <p class="summary" id="diff-summary"><?cs var:Lang.flow.diff_h ?> <b><?cs var:Diff.hchanged ?></b> · <?cs var:Lang.flow.diff_changed ?> <b><?cs var:Diff.changed ?></b> · <?cs var:Lang.flow.diff_added ?> <b><?cs var:Diff.added ?></b> · <?cs var:Lang.flow.diff_removed ?> <b><?cs var:Diff.removed ?></b> · <a href="/approval/entry?id=<?cs var:Diff.prev_id ?>"><?cs var:Lang.flow.diff_open_prev ?></a></p>
  <?cs if:subcount(Diff.H) > 0 ?>
  <table class="grid diff-head" id="diff-head"><thead><tr><th><?cs var:Lang.flow.diff_field ?></th><th><?cs var:Lang.flow.diff_old ?></th><th><?cs var:Lang.flow.diff_new ?></th></tr></thead>
    <tbody><?cs each:x = Diff.H ?><tr><td><?cs var:x.label ?></td><td><del><?cs var:x.old ?></del></td><td><ins><?cs var:x.now ?></ins></td></tr><?cs /each ?></tbody></table>
  <?cs /if ?>
  <?cs if:subcount(Diff.Rows) > 0 ?>
  <div class="sheet-scroll"><table class="grid diff-rows" id="diff-rows">
    <thead><tr><th><?cs var:Lang.flow.diff_kind ?></th><?cs each:c = Diff.Cols ?><th><?cs var:c ?></th><?cs /each ?></tr></thead>
    <tbody><?cs each:d = Diff.Rows ?><tr class="diff-<?cs var:d.kind ?>"><td><?cs var:Lang.flow.dk[d.kind] ?><?cs if:d.kind != "added" ?> <span class="muted">#<?cs var:d.old_line ?></span><?cs /if ?><?cs if:d.kind != "removed" && d.kind != "same" ?> → <span class="muted">#<?cs var:d.new_line ?></span><?cs /if ?></td><?cs each:cell = d.c ?><td><?cs if:d.kind == "removed" ?><del><?cs var:cell.old ?></del><?cs elif:d.kind == "added" ?><ins><?cs var:cell.now ?></ins><?cs elif:cell.changed == "1" ?><del><?cs var:cell.old ?></del> <ins><?cs var:cell.now ?></ins><?cs else ?><?cs var:cell.now ?><?cs /if ?></td><?cs /each ?></tr><?cs /each ?></tbody>
  </table></div>
  <?cs /if ?>
  <?cs /if ?>

  <?cs if:May.act == "1" ?>
  <section class="card-form flow-act" id="act">
    <h2><?cs var:Lang.flow.act_title ?><?cs if:Flow.acting_for ?> <span class="st st-for"><?cs var:Lang.flow.for_pre ?><?cs var:Flow.acting_for ?><?cs var:Lang.flow.for_post ?></span><?cs /if ?></h2>
    <?cs call:form_post("/approval/act") ?><input type="hidden" name="id" value="<?cs var:Flow.id ?>"><input type="hidden" name="version" value="<?cs var:Flow.version ?>">
      <label for="note"><?cs var:Lang.flow.note ?></label><textarea id="note" name="note" rows="3" maxlength="500"><?cs var:Form.note ?></textarea>
      <p class="hint"><?cs var:Lang.flow.note_hint ?></p>
      <p class="actions"><button type="submit" name="op" value="approve" class="btn btn-primary" id="approve"><?cs var:Lang.flow.approve ?></button>
      <button type="submit" name="op" value="reject" class="btn btn-danger" id="reject"><?cs var:Lang.flow.reject ?></button>
      <?cs if:May.back == "1" ?><button type="submit" name="op" value="back" class="btn" id="back"><?cs var:Lang.flow.back ?></button><?cs /if ?></p>
    </form>
    <?cs if:subcount(Addable) > 0 ?>
    <?cs call:form_post("/approval/act") ?><input type="hidden" name="id" value="<?cs var:Flow.id ?>"><input type="hidden" name="version" value="<?cs var:Flow.version ?>"><input type="hidden" name="op" value="add">
      <label for="add-to"><?cs var:Lang.flow.add_to ?></label><select id="add-to" name="to"><?cs each:t = Addable ?><option value="<?cs var:t.id ?>"><?cs var:t.label ?></option><?cs /each ?></select>
      <label for="a-note"><?cs var:Lang.flow.add_reason ?></label><input id="a-note" name="note" type="text" maxlength="500" required>
      <button type="submit" class="btn" id="add"><?cs var:Lang.flow.add ?></button>
    </form>
    <?cs /if ?>
    <?cs if:subcount(Targets) > 0 ?>
    <?cs call:form_post("/approval/act") ?><input type="hidden" name="id" value="<?cs var:Flow.id ?>"><input type="hidden" name="version" value="<?cs var:Flow.version ?>"><input type="hidden" name="op" value="transfer">
      <label for="to"><?cs var:Lang.flow.transfer_to ?></label><select id="to" name="to"><?cs each:t = Targets ?><option value="<?cs var:t.id ?>"><?cs var:t.label ?></option><?cs /each ?></select>
      <label for="t-note"><?cs var:Lang.flow.transfer_reason ?></label><input id="t-note" name="note" type="text" maxlength="500" required>
      <button type="submit" class="btn" id="transfer"><?cs var:Lang.flow.transfer ?></button>
    </form>
    <?cs /if ?>
  </section>
  <?cs /if ?>
  <?cs if:May.recall == "1" ?>
  <?cs call:form_post("/approval/act") ?><input type="hidden" name="id" value="<?cs var:Flow.id ?>"><input type="hidden" name="version" value="<?cs var:Flow.version ?>"><input type="hidden" name="op" value="recall">
    <p class="actions"><button type="submit" class="btn" id="recall"><?cs var:Lang.flow.recall ?></button> <span class="hint"><?cs var:Lang.flow.recall_hint ?></span></p>
  </form>
  <?cs /if ?>
  <?cs if:May.withdraw == "1" ?>
  <?cs call:form_post("/approval/withdraw") ?><input type="hidden" name="id" value="<?cs var:Flow.id ?>"><input type="hidden" name="version" value="<?cs var:Flow.version ?>">
    <p class="actions"><button type="submit" class="btn" id="withdraw"><?cs var:Lang.flow.withdraw ?></button> <span class="hint"><?cs var:Lang.flow.withdraw_hint ?></span></p>
  </form>
  <?cs /if ?>
  <?cs if:May.edit == "1" ?><p class="tools"><a class="btn btn-primary" id="edit" href="/entry/edit?id=<?cs var:Flow.id ?>"><?cs var:Lang.entry.go_edit ?></a></p><?cs /if ?>
  <?cs if:May.correct == "1" ?>
  <section class="card-form" id="correct">
    <h2><?cs var:Lang.flow.correct_title ?></h2>
    <p class="hint"><?cs var:Lang.flow.correct_hint ?></p>
    <?cs call:form_post("/approval/correct") ?><input type="hidden" name="id" value="<?cs var:Flow.id ?>"><input type="hidden" name="version" value="<?cs var:Flow.version ?>">
      <label for="reason"><?cs var:Lang.flow.correct_reason ?></label><textarea id="reason" name="reason" rows="2" maxlength="500" required><?cs var:Form.reason ?></textarea>
      <button type="submit" class="btn" id="do-correct"><?cs var:Lang.flow.correct ?></button>
    </form>
  </section>
  <?cs /if ?>


  <?cs if:subcount(Steps) > 0 ?>
  <h2><?cs var:Lang.flow.chain ?></h2>
  <ol class="chain" id="chain"><?cs each:s = Steps ?><li<?cs if:s.step == Flow.step && Sheet.status == "submitted" ?> class="now"<?cs /if ?>><?cs if:s.at_kind == "user" ?><?cs var:Lang.flow.kind.user ?>：<?cs var:s.user ?><?cs else ?><?cs if:s.label ?><?cs var:s.label ?> · <?cs /if ?><?cs if:Lang.Code == "en" ?><?cs var:s.role_en ?><?cs else ?><?cs var:s.role ?><?cs /if ?><?cs if:s.at_kind == "at" ?>（<?cs var:s.at_unit ?>）<?cs else ?>（<?cs var:Lang.flow.kind[s.at_kind] ?>）<?cs /if ?><?cs /if ?></li><?cs /each ?></ol>
  <?cs elif:Sheet.status == "approved" ?><p class="hint"><?cs var:Lang.flow.no_chain ?></p><?cs /if ?>

  <h2 id="history-title"><?cs var:Lang.flow.history ?></h2>
  <?cs if:subcount(History) == 0 ?><p class="hint"><?cs var:Lang.flow.history_none ?></p><?cs else ?>
  <div class="scroll"><table class="grid history" id="history" aria-labelledby="history-title">
    <thead><tr><th><?cs var:Lang.flow.h_at ?></th><th><?cs var:Lang.flow.h_what ?></th><th><?cs var:Lang.flow.h_who ?></th><th><?cs var:Lang.flow.h_note ?></th></tr></thead>
    <tbody><?cs each:x = History ?><tr><td><?cs var:x.at_local ?></td><td><?cs call:flow_did(x.action) ?><?cs if:x.step != "0" ?><span class="muted">（<?cs var:Lang.flow.step_pre ?><?cs var:x.step ?><?cs var:Lang.flow.step_post ?><?cs if:x.label ?> <?cs var:x.label ?><?cs /if ?>）</span><?cs /if ?><?cs if:x.to_name ?> → <?cs var:x.to_name ?><?cs /if ?></td><td><?cs var:x.actor ?><?cs if:x.for_name ?> <span class="st st-for"><?cs var:Lang.flow.for_pre ?><?cs var:x.for_name ?><?cs var:Lang.flow.for_post ?></span><?cs /if ?></td><td><?cs var:x.note ?></td></tr><?cs /each ?></tbody>
  </table></div><?cs /if ?>

  <?cs if:subcount(Revisions) > 1 ?>
  <h2><?cs var:Lang.flow.revisions ?></h2>
  <ul class="revisions" id="revisions"><?cs each:v = Revisions ?><li><?cs if:v.id == Flow.id ?><b><?cs var:Lang.flow.rev_pre ?><?cs var:v.revision ?><?cs var:Lang.flow.rev_post ?></b><?cs else ?><a href="/approval/entry?id=<?cs var:v.id ?>"><?cs var:Lang.flow.rev_pre ?><?cs var:v.revision ?><?cs var:Lang.flow.rev_post ?></a><?cs /if ?> <?cs call:status_badge(v.status, "0") ?><?cs if:v.counted == "1" ?> <span class="st st-approved"><?cs var:Lang.flow.counted ?></span><?cs /if ?><?cs if:v.cur == "0" ?> <span class="muted"><?cs var:Lang.flow.rev_old ?></span><?cs /if ?></li><?cs /each ?></ul>
  <?cs /if ?>
  <?cs if:May.view == "1" ?><p class="tools"><a class="btn" href="/entry/view?id=<?cs var:Flow.id ?>"><?cs var:Lang.flow.open_entry ?></a></p><?cs /if ?>
</section>
