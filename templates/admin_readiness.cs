<?cs call:admin_nav("readiness") ?>
<section class="card">
  <h1><?cs var:Lang.adm.readiness ?></h1>
  <?cs call:messages() ?>
  <p class="hint"><?cs var:Lang.ready.intro ?></p>
  <p class="summary"><?cs var:Lang.ready.units ?> <b><?cs var:Total.units ?></b> · <?cs var:Lang.ready.with_head ?> <b><?cs var:Total.with_head ?></b> · <?cs var:Lang.ready.with_clerk ?> <b><?cs var:Total.with_clerk ?></b> · <?cs var:Lang.ready.activated ?> <b><?cs var:Total.activated ?></b> / <?cs var:Total.accounts ?> (<?cs var:Total.pct ?>%)</p>
  <p class="summary" id="ready-total"><?cs var:Lang.ready.required ?> <b><?cs var:Total.required ?></b> · <?cs var:Lang.ready.ready_units ?> <b><?cs var:Total.ready ?></b></p>
  <p class="tools"><?cs var:Lang.adm.export ?>: <a href="/admin/export?what=readiness&amp;fmt=csv">CSV</a> · <a href="/admin/export?what=readiness&amp;fmt=xlsx">XLSX</a></p>
  <div class="scroll"><table class="grid tree ready">
    <thead><tr><th><?cs var:Lang.col.unit ?></th><th><?cs var:Lang.ready.head ?></th><th><?cs var:Lang.ready.clerk ?></th><th><?cs var:Lang.ready.accounts ?></th><th><?cs var:Lang.ready.activated ?></th><th><?cs var:Lang.ready.base ?></th><th><?cs var:Lang.ready.first_entry ?></th><th><?cs var:Lang.ready.state ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:u = Ready ?>
      <tr><td class="d<?cs var:u.depth ?>"><?cs var:u.name ?> <code><?cs var:u.code ?></code></td><td><?cs call:yesno(u.has_head) ?></td><td><?cs call:yesno(u.has_clerk) ?></td><td><?cs var:u.accounts ?></td><td><?cs var:u.activated ?> (<?cs var:u.pct ?>%)</td><td><?cs var:u.base_items ?></td><td><?cs if:u.first_local ?><?cs var:u.first_local ?><?cs else ?>—<?cs /if ?></td><td class="state"><?cs if:u.ready == "1" ?><span class="yes"><?cs var:Lang.ready.ok ?></span><?cs elif:u.required != "1" ?><span class="na"><?cs var:Lang.ready.not_required ?></span><span class="why"><?cs var:Lang.ready.colon ?><?cs var:u.why ?></span><?cs else ?><span class="no"><?cs var:Lang.ready.not_yet ?></span><span class="why"><?cs var:Lang.ready.colon ?><?cs var:u.missing ?></span><?cs /if ?></td><td class="actions"><?cs call:form_post("/admin/readiness/forms") ?><input type="hidden" name="id" value="<?cs var:u.id ?>"><?cs if:u.forced == "1" ?><input type="hidden" name="forms" value="auto"><button type="submit" class="link"><?cs var:Lang.ready.set_auto ?></button><?cs elif:u.required == "1" ?><input type="hidden" name="forms" value="0"><button type="submit" class="link"><?cs var:Lang.ready.set_no ?></button><?cs else ?><input type="hidden" name="forms" value="1"><button type="submit" class="link"><?cs var:Lang.ready.set_yes ?></button><?cs /if ?></form></td></tr>
    <?cs /each ?>
    </tbody>
  </table></div>
  <p class="hint"><?cs var:Lang.ready.rules ?></p>
  <p class="hint"><?cs var:Lang.ready.first_entry_note ?></p>
</section>
