<?cs include:"approval_macros.cs" ?><?cs call:flow_nav("returned") ?>
<section class="card">
  <h1><?cs var:Lang.flow.title_returned ?></h1>
  <p class="hint"><?cs var:Lang.flow.returned_hint ?></p>
  <?cs if:subcount(List) == 0 ?><p class="hint" id="empty"><?cs var:Lang.flow.returned_none ?></p><?cs else ?>
  <div class="scroll"><table class="grid returned" id="list">
    <thead><tr><th><?cs var:Lang.entry.col_period ?></th><th><?cs var:Lang.entry.col_form ?></th><th><?cs var:Lang.entry.col_unit ?></th><th><?cs var:Lang.flow.col_submitter ?></th><th><?cs var:Lang.flow.returned_at ?></th><th><?cs var:Lang.entry.reason_label ?></th><th></th></tr></thead>
    <tbody><?cs each:e = List ?><tr id="e-<?cs var:e.id ?>"<?cs if:e.late == "1" ?> class="overdue"<?cs /if ?>><td><?cs var:e.period_label ?></td><td><?cs var:e.form ?></td><td><?cs var:e.unit_name ?></td><td><?cs var:e.submitter ?></td>
      <td><?cs var:e.since_local ?><?cs if:e.late == "1" ?> <span class="st st-late"><?cs var:Lang.flow.not_fixed ?></span><?cs /if ?></td><td><?cs var:e.reason ?></td>
      <td><?cs if:e.mine == "1" && May.entry == "1" ?><a href="/entry/edit?id=<?cs var:e.id ?>"><?cs var:Lang.flow.fix ?></a><?cs else ?><a href="/approval/entry?id=<?cs var:e.id ?>"><?cs var:Lang.entry.go_view ?></a><?cs /if ?></td></tr><?cs /each ?></tbody>
  </table></div><?cs /if ?>
</section>
