<?cs include:"entry_macros.cs" ?><?cs call:entry_nav("home") ?>
<section class="card">
  <h1><?cs var:Lang.entry.today_title ?></h1>
  <?cs call:messages() ?>
  <?cs if:User.Cap.Entry ?><?cs call:today_table() ?><?cs else ?><p class="hint"><?cs var:Lang.entry.reader_hint ?></p><?cs /if ?>
  <p class="tools"><a class="btn" href="/entry/list"><?cs var:Lang.entry.nav_list ?></a></p>
</section>
