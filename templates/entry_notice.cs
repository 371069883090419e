<?cs include:"entry_macros.cs" ?><?cs call:entry_nav("") ?>
<section class="card card-narrow">
  <h1><?cs var:Lang.entry.notice_title ?></h1>
  <p class="msg msg-warn" role="alert" id="notice"><?cs var:Notice.text ?></p>
  <?cs if:Notice.key == "entry.closed" ?><p class="hint"><?cs var:Lang.entry.closed_hint ?></p><?cs /if ?>
  <p><a href="/entry/"><?cs var:Lang.entry.nav_today ?></a> · <a href="/entry/list"><?cs var:Lang.entry.nav_list ?></a></p>
</section>
