<?cs include:"report_macros.cs" ?><?cs call:report_nav("view") ?>
<section class="card">
  <h1 id="title"><?cs if:Report.title ?><?cs var:Report.title ?><?cs else ?><?cs var:Report.name ?><?cs /if ?></h1>
  <?cs call:messages() ?>
  <form method="get" action="/report/view" class="filters" id="filters">
    <input type="hidden" name="r" value="<?cs var:Filter.r ?>">
    <label for="f-period"><?cs var:Lang.report.f_period ?></label><select id="f-period" name="period"><?cs call:period_options(Filter.period) ?></select>
    <label for="f-date"><?cs var:Lang.report.f_date ?></label><input id="f-date" name="date" type="text" class="when" placeholder="2026-11-30" value="<?cs var:Filter.date ?>">
    <label for="f-from"><?cs var:Lang.report.f_from ?></label><input id="f-from" name="from" type="text" class="when" placeholder="2026-11-01" value="<?cs var:Filter.from ?>">
    <label for="f-to"><?cs var:Lang.report.f_to ?></label><input id="f-to" name="to" type="text" class="when" placeholder="2026-11-30" value="<?cs var:Filter.to ?>">
    <label for="f-unit"><?cs var:Lang.report.f_unit ?></label><select id="f-unit" name="unit"><option value="0"><?cs var:Lang.report.all_units ?></option><?cs each:u = Units ?><option value="<?cs var:u.id ?>"<?cs if:u.id == Filter.unit ?> selected<?cs /if ?>><?cs var:u.label ?></option><?cs /each ?></select>
    <label class="check" for="f-pending"><input id="f-pending" name="pending" type="checkbox" value="1"<?cs if:Filter.pending == "1" ?> checked<?cs /if ?>> <?cs var:Lang.report.f_pending ?></label>
    <button type="submit" class="btn"><?cs var:Lang.report.show ?></button>
  </form>
  <p class="hint"><?cs var:Lang.report.f_hint ?></p>
  <?cs if:Nav.here ?>
  <p class="tools" id="periods"><a href="/report/view?<?cs var:Nav.prev ?>" id="prev"><?cs var:Lang.report.prev ?></a> · <a href="/report/view?<?cs var:Nav.next ?>" id="next"><?cs var:Lang.report.next ?></a> ·
    <a href="/report/view?<?cs var:Nav.kind.day ?>" id="k-day"><?cs var:Lang.report.period.day ?></a> · <a href="/report/view?<?cs var:Nav.kind.week ?>" id="k-week"><?cs var:Lang.report.period.week ?></a> · <a href="/report/view?<?cs var:Nav.kind.month ?>" id="k-month"><?cs var:Lang.report.period.month ?></a></p>
  <p class="summary" id="subtitle"><?cs var:Report.company ?> · <?cs var:Report.unit ?> · <?cs var:Lang.report.period_is ?><?cs var:Report.period ?><?cs if:Report.pending == "1" ?> · <span class="st st-late"><?cs var:Lang.report.pending_note ?></span><?cs /if ?></p>
  <p class="tools" id="downloads"><?cs var:Lang.report.download ?>
    <a class="btn" id="dl-pdf" href="/report/export?fmt=pdf&amp;<?cs var:Nav.here ?>">PDF</a>
    <a class="btn" id="dl-xlsx" href="/report/export?fmt=xlsx&amp;<?cs var:Nav.here ?>">XLSX</a>
    <a class="btn" id="dl-csv" href="/report/export?fmt=csv&amp;<?cs var:Nav.here ?>">CSV</a></p>
  <?cs call:form_post("/report/job/new") ?><p class="tools" id="background"><?cs var:Lang.job.on_report ?>
    <input type="hidden" name="report" value="<?cs var:Filter.r ?>"><input type="hidden" name="period" value="<?cs var:Filter.period ?>"><input type="hidden" name="date" value="<?cs var:Filter.date ?>"><input type="hidden" name="from" value="<?cs var:Filter.from ?>"><input type="hidden" name="to" value="<?cs var:Filter.to ?>"><input type="hidden" name="unit" value="<?cs var:Filter.unit ?>"><?cs if:Filter.pending == "1" ?><input type="hidden" name="pending" value="1"><?cs /if ?>
    <button type="submit" class="btn" name="format" value="pdf" id="bg-pdf">PDF</button>
    <button type="submit" class="btn" name="format" value="xlsx" id="bg-xlsx">XLSX</button>
    <button type="submit" class="btn" name="format" value="csv" id="bg-csv">CSV</button>
    <a href="/report/jobs"><?cs var:Lang.job.nav_jobs ?></a></p></form>
  <?cs call:report_chart() ?>
  <?cs call:report_table() ?>
  <p class="small" id="generated"><?cs var:Lang.report.generated ?><?cs var:Report.generated_at ?></p>
  <?cs /if ?>
  <?cs if:Report.mine == "1" ?><div class="tools"><a class="btn" href="/report/build?id=<?cs var:Report.saved ?>"><?cs var:Lang.report.edit ?></a>
    <?cs call:form_post("/report/delete") ?><input type="hidden" name="id" value="<?cs var:Report.saved ?>"><button type="submit" class="btn btn-danger"><?cs var:Lang.report.delete ?></button></form></div><?cs /if ?>
</section>
