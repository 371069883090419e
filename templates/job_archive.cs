<?cs include:"job_macros.cs" ?><?cs call:job_nav("archive") ?>
<section class="card">
  <h1><?cs var:Lang.archive.title ?></h1>
  <p class="hint"><?cs var:Lang.archive.hint ?></p>
  <form method="get" action="/report/archive" class="filters">
    <label for="f-kind"><?cs var:Lang.archive.kind ?></label>
    <select id="f-kind" name="kind"><option value=""><?cs var:Lang.archive.kind_all ?></option>
      <option value="week"<?cs if:Filter.kind == "week" ?> selected<?cs /if ?>><?cs var:Lang.archive.kind_week ?></option>
      <option value="month"<?cs if:Filter.kind == "month" ?> selected<?cs /if ?>><?cs var:Lang.archive.kind_month ?></option></select>
    <label for="f-year"><?cs var:Lang.archive.year ?></label>
    <select id="f-year" name="year"><option value=""><?cs var:Lang.archive.year_all ?></option><?cs each:y = Years ?>
      <option value="<?cs var:y ?>"<?cs if:Filter.year == y ?> selected<?cs /if ?>><?cs var:y ?></option><?cs /each ?></select>
    <button type="submit" class="btn"><?cs var:Lang.archive.show ?></button>
  </form>
  <?cs if:subcount(List) == 0 ?><p class="hint" id="empty"><?cs var:Lang.archive.none ?></p><?cs else ?>
  <div class="scroll"><table class="grid archive" id="list">
    <thead><tr><th><?cs var:Lang.archive.period ?></th><th><?cs var:Lang.archive.kind ?></th><th><?cs var:Lang.archive.report ?></th><th><?cs var:Lang.archive.unit ?></th><th><?cs var:Lang.job.col_state ?></th><th><?cs var:Lang.job.size ?></th><th><?cs var:Lang.job.sha256 ?></th><th></th></tr></thead>
    <tbody><?cs each:a = List ?><tr id="a-<?cs var:a.id ?>"><td><?cs var:a.period ?></td><td><?cs var:a.kind ?></td><td><?cs var:a.title ?></td><td><?cs var:a.unit ?></td>
      <td><?cs var:a.state_text ?><?cs if:a.reason ?>：<?cs var:a.reason ?><?cs /if ?></td><td><?cs var:a.size ?></td><td><code class="sha"><?cs var:a.sha256 ?></code></td>
      <td><?cs if:a.state == "done" ?><a href="/report/archive/file?id=<?cs var:a.id ?>"><?cs var:Lang.job.download ?></a><?cs /if ?></td></tr><?cs /each ?></tbody>
  </table></div><?cs /if ?>
</section>
