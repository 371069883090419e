<?cs include:"track_macros.cs" ?><?cs call:track_nav("due") ?>
<section class="card">
  <h1><?cs var:Lang.track.title_due ?></h1>
  <?cs call:messages() ?>
  <p class="hint"><?cs var:Lang.track.due_hint ?><?cs if:Track.escalate_after ?><?cs var:Lang.track.due_escalate_pre ?><?cs var:Track.escalate_after ?><?cs var:Lang.track.due_escalate_post ?><?cs /if ?></p>
  <form method="get" action="/report/track/due" class="filters">
    <label for="d-form"><?cs var:Lang.track.form ?></label><select id="d-form" name="fid"><option value="0"><?cs var:Lang.track.all_forms ?></option><?cs each:f = Forms ?><option value="<?cs var:f.id ?>"<?cs if:f.id == Track.fid ?> selected<?cs /if ?>><?cs var:f.name ?></option><?cs /each ?></select>
    <button type="submit" class="btn"><?cs var:Lang.track.show ?></button>
  </form>
  <?cs if:Track.n == "0" ?><p class="summary" id="none"><?cs var:Lang.track.due_none ?></p><?cs else ?>
  <p class="summary" id="count"><?cs var:Lang.track.due_count_pre ?> <b><?cs var:Track.n ?></b> <?cs var:Lang.track.due_count_post ?><?cs if:Track.missing != "0" ?>，<span class="st st-late"><?cs var:Lang.track.s.missing ?> <?cs var:Track.missing ?></span><?cs /if ?></p>
  <div class="scroll"><table class="grid due" id="due">
    <thead><tr><th scope="col"><?cs var:Lang.track.col_form ?></th><th scope="col"><?cs var:Lang.track.col_period ?></th><th scope="col"><?cs var:Lang.track.col_unit ?></th><th scope="col"><?cs var:Lang.track.col_state ?></th><th scope="col"><?cs var:Lang.track.cutoff ?></th><th scope="col"><?cs var:Lang.track.col_reminded ?></th><?cs if:Track.may_send == "1" ?><th scope="col"><?cs var:Lang.track.col_action ?></th><?cs /if ?></tr></thead>
    <tbody><?cs each:d = Due ?><tr class="t-<?cs var:d.s ?>" data-unit="<?cs var:d.unit_id ?>" data-form="<?cs var:d.form ?>" data-period="<?cs var:d.period ?>">
      <td><a href="/report/track?form=<?cs var:url_escape(d.form) ?>&amp;from=<?cs var:d.date ?>&amp;to=<?cs var:d.date ?>"><?cs var:d.form_name ?></a></td><td><?cs var:d.period_label ?></td><td><?cs var:d.unit ?></td>
      <td><?cs call:track_state(d.s, "0") ?></td><td><?cs var:d.cutoff ?></td>
      <td><?cs if:d.rt ?><?cs var:d.rt ?><?cs else ?><span class="muted"><?cs var:Lang.track.not_reminded ?></span><?cs /if ?><?cs if:d.et ?><br><?cs var:d.et ?><?cs /if ?></td>
      <?cs if:Track.may_send == "1" ?><td class="actions"><?cs call:track_remind(d.form, d.unit_id, d.period, d.seen, "due") ?></td><?cs /if ?></tr><?cs /each ?></tbody>
  </table></div><?cs /if ?>
</section>
