<?cs include:"entry_macros.cs" ?><?cs if:Query.changed ?><?cs call:form_notice(Lang.pw.changed) ?><?cs /if ?>
<?cs if:Query.activated ?><?cs call:form_notice(Lang.act.done) ?><?cs /if ?>
<section class="card">
  <h1><?cs var:Lang.portal.hello ?><?cs var:User.Name ?></h1>
  <dl class="facts">
    <dt><?cs var:Lang.portal.account ?></dt><dd><?cs var:User.Login ?></dd>
    <dt><?cs var:Lang.portal.unit ?></dt><dd><?cs var:User.Unit ?> (<?cs var:User.UnitCode ?>)</dd>
  </dl>
</section>
<?cs if:User.Cap.Entry ?>
<section class="card" id="today">
  <h2><?cs var:Lang.entry.today_title ?></h2>
  <?cs call:today_table() ?>
  <p class="tools"><a href="/entry/list"><?cs var:Lang.entry.nav_list ?></a></p>
</section>
<?cs /if ?>
<section class="card">
  <h2><?cs var:Lang.portal.menu ?></h2>
  <ul class="menu">
    <?cs if:User.Cap.Entry || User.Cap.Approve || User.Cap.Dispatch ?><li class="menu-entry"><a class="menu-title" href="/entry/"><?cs var:Lang.menu.entry ?></a><span class="menu-desc"><?cs var:Lang.menu.entry_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Approve ?><li class="menu-approve"><span class="menu-title"><?cs var:Lang.menu.approve ?></span><span class="menu-desc"><?cs var:Lang.menu.approve_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Dispatch ?><li class="menu-dispatch"><span class="menu-title"><?cs var:Lang.menu.dispatch ?></span><span class="menu-desc"><?cs var:Lang.menu.dispatch_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Report ?><li class="menu-report"><span class="menu-title"><?cs var:Lang.menu.report ?></span><span class="menu-desc"><?cs var:Lang.menu.report_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Admin ?><li class="menu-ledger"><a class="menu-title" href="/entry/import"><?cs var:Lang.entry.ledger_title ?></a><span class="menu-desc"><?cs var:Lang.entry.ledger_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Admin ?><li class="menu-admin"><a class="menu-title" href="/admin/"><?cs var:Lang.menu.admin ?></a><span class="menu-desc"><?cs var:Lang.menu.admin_desc ?></span></li><?cs /if ?>
    <?cs if:User.Cap.Audit ?><li class="menu-audit"><span class="menu-title"><?cs var:Lang.menu.audit ?></span><span class="menu-desc"><?cs var:Lang.menu.audit_desc ?></span></li><?cs /if ?>
    <li class="menu-password"><a class="menu-title" href="/password"><?cs var:Lang.menu.password ?></a><span class="menu-desc"><?cs var:Lang.menu.password_desc ?></span></li>
  </ul>
</section>
