<?cs include:"entry_macros.cs" ?><article class="paper">
  <header class="paper-head">
    <p class="paper-company"><?cs var:Site.Company ?></p>
    <h1><?cs var:Sheet.form_name ?></h1>
    <p class="paper-meta"><span><?cs var:Lang.entry.col_unit ?>：<?cs var:Sheet.unit_name ?></span> <span><?cs var:Lang.entry.col_period ?>：<?cs var:Sheet.period_label ?></span> <span><?cs var:Lang.entry.col_status ?>：<?cs var:Lang.entry.st[Sheet.status] ?><?cs if:Sheet.late == "1" ?>（<?cs var:Lang.entry.late ?>）<?cs /if ?></span></p>
  </header>
  <?cs if:subcount(H) > 0 ?>
  <table class="paper-grid head"><tbody><?cs each:f = H ?><tr><th><?cs var:f.label ?></th><td><?cs call:cell_value(f, f) ?></td></tr><?cs /each ?></tbody></table>
  <?cs /if ?>
  <?cs if:Sheet.has_rows == "1" ?>
  <table class="paper-grid rows">
    <thead><tr><th>#</th><?cs each:col = Cols ?><th><?cs var:col.label ?><?cs if:col.unit ?><br><span class="unit"><?cs var:col.unit ?></span><?cs /if ?></th><?cs /each ?></tr></thead>
    <tbody><?cs each:r = Rows ?><tr><td><?cs var:r.n ?></td><?cs each:col = Cols ?><td class="t-<?cs var:col.type ?>"><?cs if:col.type == "lookup" ?><?cs var:r.c[name(col)].shown ?><?cs else ?><?cs var:r.c[name(col)].raw ?><?cs /if ?></td><?cs /each ?></tr><?cs /each ?></tbody>
  </table>
  <?cs /if ?>
  <footer class="paper-foot">
    <p class="sign"><span><?cs var:Lang.entry.sign_filled ?>：<?cs var:Sheet.submitted_by ?></span><span><?cs var:Lang.entry.sign_checked ?>：<?cs var:Sheet.decided_by ?></span><span><?cs var:Lang.entry.sign_date ?>：<?cs var:Sheet.submitted_at ?></span></p>
    <p class="printed"><?cs var:Lang.entry.printed ?> <?cs var:Printed ?></p>
  </footer>
  <p class="noprint tools"><a href="/entry/view?id=<?cs var:Sheet.id ?>"><?cs var:Lang.nav.back ?></a> · <?cs var:Lang.entry.print_hint ?></p>
</article>
