<?cs include:"approval_macros.cs" ?><?cs include:"entry_macros.cs" ?><?cs call:flow_nav("inbox") ?>
<section class="card">
  <h1><?cs var:Lang.flow.title ?></h1>
  <?cs call:messages() ?>
  <p class="summary" id="count"><?cs if:Flow.waiting == "0" ?><?cs var:Lang.flow.inbox_empty ?><?cs else ?><?cs var:Lang.flow.count_pre ?> <b><?cs var:Flow.waiting ?></b> <?cs var:Lang.flow.count_post ?><?cs if:Flow.overdue != "0" ?><?cs var:Lang.flow.overdue_pre ?> <b class="overdue-n"><?cs var:Flow.overdue ?></b> <?cs var:Lang.flow.overdue_post ?><?cs /if ?><?cs /if ?></p>
  <form method="get" action="/approval/" class="filters">
    <label for="f-form"><?cs var:Lang.entry.col_form ?></label><select id="f-form" name="form"><option value="0"><?cs var:Lang.entry.all ?></option><?cs each:f = Forms ?><option value="<?cs var:f.id ?>"<?cs if:f.id == Filter.form ?> selected<?cs /if ?>><?cs var:f.name ?> (<?cs var:f.n ?>)</option><?cs /each ?></select>
    <label for="f-unit"><?cs var:Lang.entry.col_unit ?></label><select id="f-unit" name="unit"><option value="0"><?cs var:Lang.entry.all ?></option><?cs each:u = Units ?><option value="<?cs var:u.id ?>"<?cs if:u.id == Filter.unit ?> selected<?cs /if ?>><?cs var:u.name ?> (<?cs var:u.n ?>)</option><?cs /each ?></select>
    <label for="f-from"><?cs var:Lang.entry.from ?></label><input id="f-from" name="from" type="text" class="when" placeholder="2026-01-01" value="<?cs var:Filter.from ?>">
    <label for="f-to"><?cs var:Lang.entry.to ?></label><input id="f-to" name="to" type="text" class="when" placeholder="2026-01-31" value="<?cs var:Filter.to ?>">
    <button type="submit" class="btn"><?cs var:Lang.entry.filter ?></button>
  </form>
  <p class="hint"><?cs var:Lang.flow.inbox_order ?></p>
  <?cs if:subcount(List) > 0 ?>
  <?cs call:form_post("/approval/batch") ?>
  <div class="scroll"><table class="grid inbox">
    <thead><tr><th><?cs var:Lang.flow.pick ?></th><th><?cs var:Lang.entry.col_period ?></th><th><?cs var:Lang.entry.col_form ?></th><th><?cs var:Lang.entry.col_unit ?></th><th><?cs var:Lang.flow.col_step ?></th><th><?cs var:Lang.flow.col_submitter ?></th><th><?cs var:Lang.flow.col_waiting ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:e = List ?>
      <tr id="e-<?cs var:e.id ?>"<?cs if:e.overdue == "1" ?> class="overdue"<?cs /if ?>>
      <td><input type="checkbox" id="pick-<?cs var:name(e) ?>" name="row.<?cs var:name(e) ?>.pick" value="1" aria-label="<?cs var:Lang.flow.pick ?> <?cs var:e.unit_name ?> <?cs var:e.period_label ?>"><input type="hidden" name="row.<?cs var:name(e) ?>.id" value="<?cs var:e.id ?>"><input type="hidden" name="row.<?cs var:name(e) ?>.v" value="<?cs var:e.version ?>"></td>
      <td><?cs var:e.period_label ?><?cs if:e.revision != "1" ?> <span class="st"><?cs var:Lang.flow.rev_pre ?><?cs var:e.revision ?><?cs var:Lang.flow.rev_post ?></span><?cs /if ?></td><td><?cs var:e.form ?></td><td><?cs var:e.unit_name ?></td>
      <td><?cs call:flow_step(e.step, e.nsteps, e.label) ?></td>
      <td><?cs var:e.submitter ?> · <?cs var:e.submitted_local ?></td>
      <td><?cs var:e.waiting_local ?><?cs if:e.overdue == "1" ?> <span class="st st-late"><?cs var:Lang.flow.overdue ?></span><?cs /if ?><?cs if:e.self != "1" ?> <span class="st st-for"><?cs var:Lang.flow.for_pre ?><?cs var:e.for_name ?><?cs var:Lang.flow.for_post ?></span><?cs /if ?></td>
      <td><a href="/approval/entry?id=<?cs var:e.id ?>"><?cs var:Lang.flow.go ?></a></td></tr>
    <?cs /each ?>
    </tbody>
  </table></div>
  <p><label for="b-note"><?cs var:Lang.flow.batch_note ?></label><input id="b-note" name="note" type="text" maxlength="500"></p>
  <p><button type="submit" class="btn btn-primary" id="batch"><?cs var:Lang.flow.batch ?></button></p>
  </form>
  <?cs /if ?>
  <?cs if:Next ?><p><a class="btn" id="next" href="/approval/?form=<?cs var:Filter.form ?>&amp;unit=<?cs var:Filter.unit ?>&amp;from=<?cs var:url_escape(Filter.from) ?>&amp;to=<?cs var:url_escape(Filter.to) ?>&amp;after=<?cs var:url_escape(Next) ?>"><?cs var:Lang.adm.next_page ?></a></p><?cs /if ?>
</section>
