<?cs include:"track_macros.cs" ?><?cs call:track_nav("matrix") ?>
<section class="card track">
  <h1><?cs var:Lang.track.title ?></h1>
  <?cs call:messages() ?>
  <form method="get" action="/report/track" class="filters">
    <label for="t-form"><?cs var:Lang.track.form ?></label><select id="t-form" name="form"><?cs each:f = Forms ?><option value="<?cs var:f.code ?>"<?cs if:f.on == "1" ?> selected<?cs /if ?>><?cs var:f.name ?></option><?cs /each ?></select>
    <label for="t-from"><?cs var:Lang.track.from ?></label><input id="t-from" name="from" type="text" class="when" placeholder="2026-01-01" value="<?cs var:Track.from ?>">
    <label for="t-to"><?cs var:Lang.track.to ?></label><input id="t-to" name="to" type="text" class="when" placeholder="2026-01-31" value="<?cs var:Track.to ?>">
    <label for="t-unit"><?cs var:Lang.track.unit ?></label><select id="t-unit" name="unit"><option value="0"><?cs var:Lang.track.all_units ?></option><?cs each:u = Units ?><option value="<?cs var:u.id ?>"<?cs if:u.id == Track.unit ?> selected<?cs /if ?>><?cs var:u.label ?></option><?cs /each ?></select>
    <button type="submit" class="btn"><?cs var:Lang.track.show ?></button>
  </form>
  <p class="tools pager"><a id="prev" href="/report/track?form=<?cs var:url_escape(Track.form) ?>&amp;from=<?cs var:Track.prev_from ?>&amp;to=<?cs var:Track.prev_to ?>&amp;unit=<?cs var:Track.unit ?>"><?cs var:Lang.track.prev ?></a>
    <a id="now" href="/report/track?form=<?cs var:url_escape(Track.form) ?>&amp;unit=<?cs var:Track.unit ?>"><?cs var:Lang.track.now ?></a>
    <a id="next" href="/report/track?form=<?cs var:url_escape(Track.form) ?>&amp;from=<?cs var:Track.next_from ?>&amp;to=<?cs var:Track.next_to ?>&amp;unit=<?cs var:Track.unit ?>"><?cs var:Lang.track.next ?></a></p>
  <h2><?cs var:Track.form_name ?> <span class="sub"><?cs var:Track.from ?> <?cs var:Lang.track.to ?> <?cs var:Track.to ?></span></h2>
  <p class="summary" id="totals"><?cs each:f = Foot ?><span class="tot t-<?cs var:f.s ?>"><?cs var:Lang.track.s[f.s] ?> <b><?cs var:f.total ?></b></span> <?cs /each ?></p>
  <?cs if:Track.nrows == "0" ?><p class="hint" id="empty"><?cs var:Lang.track.no_units ?></p>
  <?cs elif:Track.nper == "1" ?>
  <p class="hint"><?cs var:Lang.track.cutoff ?> <?cs var:Per.0.cutoff ?></p>
  <div class="scroll"><table class="grid track-day" id="day">
    <thead><tr><th scope="col"><?cs var:Lang.track.col_unit ?></th><th scope="col"><?cs var:Lang.track.col_state ?></th><th scope="col"><?cs var:Lang.track.col_submitted ?></th><th scope="col"><?cs var:Lang.track.col_reminded ?></th><th scope="col"><?cs var:Lang.track.col_escalated ?></th><th scope="col"><?cs var:Lang.track.col_action ?></th></tr></thead>
    <tbody><?cs each:w = Rows ?><tr id="u-<?cs var:w.id ?>" class="t-<?cs var:w.c.0.s ?>"><th scope="row"><?cs var:w.name ?></th>
      <td><?cs call:track_state(w.c.0.s, w.c.0.ap) ?></td><td><?cs var:w.c.0.sub ?></td><td><?cs var:w.c.0.rt ?></td><td><?cs var:w.c.0.et ?></td>
      <td class="actions"><?cs if:w.c.0.e ?><a href="/approval/entry?id=<?cs var:w.c.0.e ?>"><?cs var:Lang.track.view ?></a> <?cs /if ?><?cs if:w.c.0.may == "1" ?><?cs call:track_remind(Track.form, w.id, Per.0.key, #0 + w.c.0.k, "matrix") ?><?cs /if ?></td></tr><?cs /each ?></tbody>
  </table></div>
  <?cs else ?>
  <div class="scroll matrix-wrap" role="region" aria-label="<?cs var:Lang.track.title ?>" tabindex="0"><table class="track" id="matrix">
    <thead><tr><th scope="col" class="u"><?cs var:Lang.track.col_unit ?></th><?cs each:p = Per ?><th scope="col" title="<?cs var:p.full ?>"<?cs if:p.we == "1" ?> class="we"<?cs /if ?>><a href="/report/track?form=<?cs var:url_escape(Track.form) ?>&amp;from=<?cs var:p.date ?>&amp;to=<?cs var:p.date ?>&amp;unit=<?cs var:Track.unit ?>"><?cs var:p.label ?></a></th><?cs /each ?><?cs each:f = Foot ?><th scope="col" class="n t-<?cs var:f.s ?>" title="<?cs var:Lang.track.s[f.s] ?>"><?cs var:Lang.track.g[f.s] ?></th><?cs /each ?></tr></thead>
    <tbody><?cs each:w = Rows ?><tr id="u-<?cs var:w.id ?>"><th scope="row" class="u"><a href="/report/track?form=<?cs var:url_escape(Track.form) ?>&amp;from=<?cs var:Track.from ?>&amp;to=<?cs var:Track.to ?>&amp;unit=<?cs var:w.id ?>"><?cs var:w.name ?></a></th><?cs each:x = w.c ?><td class="t-<?cs var:x.s ?>"<?cs if:x.t ?> title="<?cs var:x.t ?>"<?cs /if ?>><?cs var:Lang.track.g[x.s] ?><?cs if:x.k ?><sup class="rm"><?cs var:Lang.track.mark_remind ?></sup><?cs /if ?><?cs if:x.x ?><sup class="es"><?cs var:Lang.track.mark_escalate ?></sup><?cs /if ?></td><?cs /each ?><?cs each:f = Foot ?><td class="n"><?cs var:w.n[f.s] ?></td><?cs /each ?></tr><?cs /each ?></tbody>
    <tfoot><?cs each:f = Foot ?><tr class="t-<?cs var:f.s ?>"><th scope="row" class="u"><?cs var:Lang.track.s[f.s] ?></th><?cs each:n = f.c ?><td><?cs var:n ?></td><?cs /each ?><td class="n" colspan="<?cs var:subcount(Foot) ?>"><?cs var:f.total ?></td></tr><?cs /each ?></tfoot>
  </table></div>
  <?cs /if ?>
  <h2><?cs var:Lang.track.legend ?></h2>
  <ul class="legend" id="legend"><?cs each:f = Foot ?><li><span class="g t-<?cs var:f.s ?>"><?cs var:Lang.track.g[f.s] ?></span> <?cs var:Lang.track.s[f.s] ?>：<?cs var:Lang.track.d[f.s] ?></li><?cs /each ?>
    <li><span class="g t-none"><?cs var:Lang.track.g.none ?></span> <?cs var:Lang.track.s.none ?>：<?cs var:Lang.track.d.none ?></li>
    <li><sup class="rm"><?cs var:Lang.track.mark_remind ?></sup> <?cs var:Lang.track.d.remind ?></li>
    <li><sup class="es"><?cs var:Lang.track.mark_escalate ?></sup> <?cs var:Lang.track.d.escalate ?></li></ul>
</section>
