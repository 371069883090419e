<?cs include:"entry_macros.cs" ?><?cs if:Query.changed ?><?cs call:form_notice(Lang.pw.changed) ?><?cs /if ?>
<?cs if:Query.activated ?><?cs call:form_notice(Lang.act.done) ?><?cs /if ?>
<section class="card">
  <h1><?cs var:Lang.portal.hello ?><?cs var:User.Name ?></h1>
  <dl class="facts">
    <dt><?cs var:Lang.portal.account ?></dt><dd><?cs var:User.Login ?></dd>
    <dt><?cs var:Lang.portal.unit ?></dt><dd><?cs var:User.Unit ?> (<?cs var:User.UnitCode ?>)</dd>
  </dl>
</section>
<?cs if:subcount(Remind) > 0 ?>
<section class="card" id="reminders">
  <h2><?cs var:Lang.track.portal_title ?></h2>
  <ul class="plain"><?cs each:m = Remind ?><li class="remind-<?cs var:m.kind ?>"><span class="st <?cs if:m.kind == "escalate" ?>st-late<?cs else ?>st-draft<?cs /if ?>"><?cs if:m.kind == "escalate" ?><?cs var:Lang.track.col_escalated ?><?cs else ?><?cs var:Lang.track.remind ?><?cs /if ?></span> <?cs var:m.text ?> <a href="<?cs var:m.href ?>"><?cs var:m.go ?></a></li><?cs /each ?></ul>
</section>
<?cs /if ?>
<?cs if:User.Cap.Entry ?>
<section class="card" id="today">
  <h2><?cs var:Lang.entry.today_title ?></h2>
  <?cs call:today_table() ?>
  <p class="tools"><a href="/entry/list"><?cs var:Lang.entry.nav_list ?></a><?cs if:!User.Cap.Report && !User.Cap.Dispatch && !User.Cap.Approve ?> · <a href="/report/" id="own-stats"><?cs var:Lang.entry.nav_stats ?></a><?cs /if ?></p>
</section>
<?cs /if ?>
<?cs if:User.Cap.Approve || User.Cap.Dispatch || Flow.returned != "0" || Flow.team_late != "0" ?>
<section class="card" id="approval">
  <h2><?cs var:Lang.flow.portal_title ?></h2>
  <?cs if:User.Cap.Approve || User.Cap.Dispatch ?><p class="summary" id="waiting"><?cs if:Flow.waiting == "0" ?><?cs var:Lang.flow.portal_none ?><?cs else ?><?cs var:Lang.flow.portal_waiting_pre ?> <b><?cs var:Flow.waiting ?></b> <?cs var:Lang.flow.portal_waiting_post ?><?cs if:Flow.overdue != "0" ?>，<span class="st st-late" id="overdue"><?cs var:Flow.overdue ?> <?cs var:Lang.flow.portal_overdue ?></span><?cs /if ?> <a href="/approval/"><?cs var:Lang.flow.portal_go ?></a><?cs /if ?></p><?cs /if ?>
  <?cs if:Flow.returned != "0" ?><p class="summary" id="returned"><?cs var:Lang.flow.portal_returned_pre ?> <b><?cs var:Flow.returned ?></b> <?cs var:Lang.flow.portal_returned_post ?><?cs if:Flow.returned_late != "0" ?>，<span class="st st-late" id="returned-late"><?cs var:Flow.returned_late ?> <?cs var:Lang.flow.portal_returned_late ?></span><?cs /if ?> <a href="/approval/returned"><?cs var:Lang.flow.portal_go_returned ?></a></p><?cs /if ?>
  <?cs if:Flow.team_late != "0" ?><p class="summary" id="team-late"><?cs var:Lang.flow.portal_team_pre ?> <b><?cs var:Flow.team_late ?></b> <?cs var:Lang.flow.portal_team_post ?> <a href="/approval/returned"><?cs var:Lang.flow.portal_go_returned ?></a></p><?cs /if ?>
</section>
<?cs /if ?>
<section class="card">
  <h2><?cs var:Lang.portal.menu ?></h2>
  <ul class="menu">
    <?cs if:User.Cap.Entry || User.Cap.Approve || User.Cap.Dispatch ?><li class="menu-entry"><a class="menu-title" href="/entry/"><?cs var:Lang.menu.entry ?></a><span class="menu-desc"><?cs var:Lang.menu.entry_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Approve || User.Cap.Dispatch ?><li class="menu-approve"><a class="menu-title" href="/approval/"><?cs var:Lang.menu.approve ?></a><span class="menu-desc"><?cs var:Lang.menu.approve_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Dispatch ?><li class="menu-dispatch"><a class="menu-title" href="/report/track/due"><?cs var:Lang.menu.dispatch ?></a><span class="menu-desc"><?cs var:Lang.menu.dispatch_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Report || User.Cap.Dispatch || User.Cap.Approve ?><li class="menu-report"><a class="menu-title" href="/report/"><?cs var:Lang.menu.report ?></a><span class="menu-desc"><?cs var:Lang.menu.report_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Admin ?><li class="menu-ledger"><a class="menu-title" href="/entry/import"><?cs var:Lang.entry.ledger_title ?></a><span class="menu-desc"><?cs var:Lang.entry.ledger_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Admin ?><li class="menu-admin"><a class="menu-title" href="/admin/"><?cs var:Lang.menu.admin ?></a><span class="menu-desc"><?cs var:Lang.menu.admin_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Audit ?><li class="menu-audit"><a class="menu-title" href="/audit/"><?cs var:Lang.menu.audit ?></a><span class="menu-desc"><?cs var:Lang.menu.audit_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Security ?><li class="menu-security"><a class="menu-title" href="/audit/officer"><?cs var:Lang.menu.security ?></a><span class="menu-desc"><?cs var:Lang.menu.security_desc ?></span></li><?cs /if ?>
    <li class="menu-password"><a class="menu-title" href="/password"><?cs var:Lang.menu.password ?></a><span class="menu-desc"><?cs var:Lang.menu.password_desc ?></span></li>
  </ul>
</section>
