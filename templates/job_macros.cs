<?cs # job_macros.cs -- macros of the jobs and archive pages (job*.cs). ?><?cs
def:job_nav(here) ?><nav class="subnav"><a href="/report/"><?cs var:Lang.job.nav_reports ?></a><a href="/report/jobs"<?cs if:here == "jobs" ?> class="on"<?cs /if ?>><?cs var:Lang.job.nav_jobs ?></a><?cs if:User.Cap.Report ?><a href="/report/archive"<?cs if:here == "archive" ?> class="on"<?cs /if ?>><?cs var:Lang.job.nav_archive ?></a><?cs /if ?></nav><?cs /def ?><?cs
def:job_bar(j, id) ?><div class="jobbar"><label for="<?cs var:id ?>"><?cs var:Lang.job.progress ?> <?cs var:j.progress ?>%<?cs if:j.phase ?>：<?cs var:j.phase ?><?cs /if ?></label>
<progress id="<?cs var:id ?>" max="100" value="<?cs var:j.progress ?>"><?cs var:j.progress ?>%</progress></div><?cs /def ?>
