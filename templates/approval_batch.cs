<?cs include:"approval_macros.cs" ?><?cs call:flow_nav("inbox") ?>
<section class="card">
  <h1><?cs var:Lang.flow.batch_title ?></h1>
  <p class="msg <?cs if:Batch.bad == "0" ?>msg-ok<?cs else ?>msg-warn<?cs /if ?>" role="status" id="summary"><?cs var:Batch.summary ?></p>
  <div class="scroll"><table class="grid batch" id="results">
    <thead><tr><th><?cs var:Lang.entry.col_form ?></th><th><?cs var:Lang.entry.col_unit ?></th><th><?cs var:Lang.entry.col_period ?></th><th><?cs var:Lang.flow.batch_result ?></th><th></th></tr></thead>
    <tbody><?cs each:d = Done ?><tr id="r-<?cs var:d.id ?>" class="<?cs if:d.error ?>failed<?cs else ?>done<?cs /if ?>"><td><?cs var:d.form ?></td><td><?cs var:d.unit ?></td><td><?cs var:d.period ?></td>
      <td><?cs if:d.error ?><span class="st st-returned"><?cs var:Lang.flow.batch_failed ?></span> <?cs var:d.error ?><?cs elif:d.status == "approved" ?><span class="st st-approved"><?cs var:Lang.flow.batch_final ?></span><?cs else ?><span class="st st-submitted"><?cs var:Lang.flow.batch_next ?></span><?cs /if ?></td>
      <td><a href="/approval/entry?id=<?cs var:d.id ?>"><?cs var:Lang.entry.go_view ?></a></td></tr><?cs /each ?></tbody>
  </table></div>
  <p class="tools"><a class="btn" href="/approval/"><?cs var:Lang.flow.back_inbox ?></a></p>
</section>
