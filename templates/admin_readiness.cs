<?cs call:admin_nav("readiness") ?>
<section class="card">
  <h1><?cs var:Lang.adm.readiness ?></h1>
  <p class="hint"><?cs var:Lang.ready.intro ?></p>
  <p class="summary"><?cs var:Lang.ready.units ?> <b><?cs var:Total.units ?></b> · <?cs var:Lang.ready.with_head ?> <b><?cs var:Total.with_head ?></b> · <?cs var:Lang.ready.with_clerk ?> <b><?cs var:Total.with_clerk ?></b> · <?cs var:Lang.ready.activated ?> <b><?cs var:Total.activated ?></b> / <?cs var:Total.accounts ?> (<?cs var:Total.pct ?>%)</p>
  <p class="tools"><?cs var:Lang.adm.export ?>: <a href="/admin/export?what=readiness&amp;fmt=csv">CSV</a> · <a href="/admin/export?what=readiness&amp;fmt=xlsx">XLSX</a></p>
  <div class="scroll"><table class="grid tree">
    <thead><tr><th><?cs var:Lang.col.unit ?></th><th><?cs var:Lang.ready.head ?></th><th><?cs var:Lang.ready.clerk ?></th><th><?cs var:Lang.ready.accounts ?></th><th><?cs var:Lang.ready.activated ?></th><th><?cs var:Lang.ready.base ?></th><th><?cs var:Lang.ready.first_entry ?></th><th><?cs var:Lang.ready.state ?></th></tr></thead>
    <tbody>
    <?cs each:u = Ready ?>
      <tr><td class="d<?cs var:u.depth ?>"><?cs var:u.name ?> <code><?cs var:u.code ?></code></td><td><?cs call:yesno(u.has_head) ?></td><td><?cs call:yesno(u.has_clerk) ?></td><td><?cs var:u.accounts ?></td><td><?cs var:u.activated ?> (<?cs var:u.pct ?>%)</td><td><?cs var:u.base_items ?></td><td>—</td><td><?cs if:u.ready == "1" ?><span class="yes"><?cs var:Lang.ready.ok ?></span><?cs else ?><span class="no"><?cs var:Lang.ready.not_yet ?></span><?cs /if ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table></div>
  <p class="hint"><?cs var:Lang.ready.first_entry_note ?></p>
</section>
