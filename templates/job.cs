<?cs include:"job_macros.cs" ?><?cs call:job_nav("job") ?>
<section class="card" id="job" data-state="<?cs var:Job.state ?>">
  <h1><?cs var:Job.title ?></h1>
  <?cs if:Notice ?><p class="msg msg-ok" role="status" id="notice"><?cs var:Notice ?></p><?cs /if ?>
  <p id="state"><?cs var:Lang.job.col_state ?>：<strong><?cs var:Job.state_text ?></strong><?cs if:Job.reason ?>（<?cs var:Job.reason ?>）<?cs /if ?></p>
  <?cs if:Job.active ?>
  <?cs call:job_bar(Job, "bar") ?>
  <p class="hint"><?cs var:Lang.job.refresh_hint ?> <a href="/report/job?id=<?cs var:Job.id ?>"><?cs var:Lang.job.refresh ?></a></p>
  <?cs call:form_post("/report/job/cancel") ?><input type="hidden" name="id" value="<?cs var:Job.id ?>"><button type="submit" class="btn" id="cancel"><?cs var:Lang.job.cancel ?></button></form>
  <?cs /if ?>
  <?cs if:Job.state == "done" ?>
  <dl class="facts" id="file">
    <dt><?cs var:Lang.job.file ?></dt><dd><?cs var:Job.file ?></dd>
    <dt><?cs var:Lang.job.size ?></dt><dd><?cs var:Job.size ?></dd>
    <dt><?cs var:Lang.job.rows ?></dt><dd><?cs var:Job.rows ?></dd>
    <dt><?cs var:Lang.job.sha256 ?></dt><dd><code class="sha" id="sha256"><?cs var:Job.sha256 ?></code></dd>
  </dl>
  <p><a class="btn primary" id="download" href="/report/job/file?id=<?cs var:Job.id ?>"><?cs var:Lang.job.download ?></a></p>
  <?cs /if ?>
  <dl class="facts">
    <dt><?cs var:Lang.job.col_created ?></dt><dd><?cs var:Job.created ?></dd>
    <?cs if:Job.finished ?><dt><?cs var:Lang.job.finished ?></dt><dd><?cs var:Job.finished ?></dd><?cs /if ?>
    <?cs if:Job.attempts > 1 ?><dt><?cs var:Lang.job.attempts ?></dt><dd id="attempts"><?cs var:Job.attempts ?> / <?cs var:Job.max_attempts ?></dd><?cs /if ?>
  </dl>
  <p><a href="/report/jobs"><?cs var:Lang.job.all ?></a></p>
</section>
