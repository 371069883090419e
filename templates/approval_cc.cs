<?cs include:"approval_macros.cs" ?><?cs call:flow_nav("cc") ?>
<section class="card">
  <h1><?cs var:Lang.flow.title_cc ?></h1>
  <p class="hint"><?cs var:Lang.flow.cc_hint ?></p>
  <?cs if:subcount(List) == 0 ?><p class="hint" id="empty"><?cs var:Lang.flow.cc_none ?></p><?cs else ?>
  <div class="scroll"><table class="grid cc" id="list">
    <thead><tr><th><?cs var:Lang.entry.col_period ?></th><th><?cs var:Lang.entry.col_form ?></th><th><?cs var:Lang.entry.col_unit ?></th><th><?cs var:Lang.flow.approved_at ?></th><th></th></tr></thead>
    <tbody><?cs each:e = List ?><tr id="e-<?cs var:e.id ?>"><td><?cs var:e.period_label ?><?cs if:e.revision != "1" ?> <span class="st"><?cs var:Lang.flow.rev_pre ?><?cs var:e.revision ?><?cs var:Lang.flow.rev_post ?></span><?cs /if ?></td><td><?cs var:e.form ?></td><td><?cs var:e.unit_name ?></td><td><?cs var:e.decided_local ?></td>
      <td><a href="/approval/entry?id=<?cs var:e.id ?>"><?cs var:Lang.entry.go_view ?></a></td></tr><?cs /each ?></tbody>
  </table></div><?cs /if ?>
  <?cs if:Next ?><p><a class="btn" id="next" href="/approval/cc?after=<?cs var:Next ?>"><?cs var:Lang.adm.next_page ?></a></p><?cs /if ?>
</section>
