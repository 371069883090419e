<?cs include:"job_macros.cs" ?><?cs call:job_nav("jobs") ?>
<section class="card">
  <h1><?cs var:Lang.job.title_list ?></h1>
  <?cs if:Error ?><p class="msg msg-error" role="alert" id="error"><?cs var:Error ?></p><?cs /if ?>
  <p class="hint"><?cs var:Lang.job.list_hint ?></p>
  <h2><?cs var:Lang.job.new_title ?></h2>
  <?cs call:form_post("/report/job/new") ?><div class="filters" id="new-job">
    <label for="j-report"><?cs var:Lang.job.report ?></label>
    <select id="j-report" name="report"><?cs each:x = Reports ?><option value="<?cs var:x.code ?>"<?cs if:Form.report == x.code ?> selected<?cs /if ?>><?cs var:x.name ?></option><?cs /each ?><?cs
      each:x = Saved ?><option value="<?cs var:x.code ?>"<?cs if:Form.report == x.code ?> selected<?cs /if ?>><?cs var:x.name ?></option><?cs /each ?></select>
    <label for="j-period"><?cs var:Lang.job.period ?></label>
    <select id="j-period" name="period"><option value="day"<?cs if:Form.period == "day" ?> selected<?cs /if ?>><?cs var:Lang.job.periods.day ?></option><option value="week"<?cs if:Form.period == "week" ?> selected<?cs /if ?>><?cs var:Lang.job.periods.week ?></option><option value="month"<?cs if:Form.period == "month" || !Form.period ?> selected<?cs /if ?>><?cs var:Lang.job.periods.month ?></option></select>
    <label for="j-date"><?cs var:Lang.job.date ?></label>
    <input id="j-date" name="date" type="date" value="<?cs var:Form.date ?>">
    <label for="j-format"><?cs var:Lang.job.format ?></label>
    <select id="j-format" name="format"><option value="xlsx"<?cs if:Form.format == "xlsx" ?> selected<?cs /if ?>>XLSX</option><option value="csv"<?cs if:Form.format == "csv" ?> selected<?cs /if ?>>CSV</option><option value="pdf"<?cs if:Form.format == "pdf" ?> selected<?cs /if ?>>PDF</option></select>
    <button type="submit" class="btn primary" id="queue"><?cs var:Lang.job.queue ?></button>
  </div></form>
  <h2><?cs var:Lang.job.mine ?></h2>
  <?cs if:subcount(List) == 0 ?><p class="hint" id="empty"><?cs var:Lang.job.none ?></p><?cs else ?>
  <div class="scroll"><table class="grid jobs" id="list">
    <thead><tr><th><?cs var:Lang.job.col_title ?></th><th><?cs var:Lang.job.col_state ?></th><th><?cs var:Lang.job.col_progress ?></th><th><?cs var:Lang.job.col_created ?></th><th></th></tr></thead>
    <tbody><?cs each:j = List ?><tr id="job-<?cs var:j.id ?>" class="st-<?cs var:j.state ?>"><td><a href="/report/job?id=<?cs var:j.id ?>"><?cs var:j.title ?></a></td><td><?cs var:j.state_text ?><?cs if:j.reason ?>：<?cs var:j.reason ?><?cs /if ?></td>
      <td><?cs if:j.active ?><?cs call:job_bar(j, "bar-" + j.id) ?><?cs elif:j.state == "done" ?>100%<?cs /if ?></td><td><?cs var:j.created ?></td>
      <td><?cs if:j.state == "done" ?><a href="/report/job/file?id=<?cs var:j.id ?>"><?cs var:Lang.job.download ?></a><?cs /if ?></td></tr><?cs /each ?></tbody>
  </table></div><?cs /if ?>
</section>
