<?cs call:admin_nav("roles") ?>
<section class="card">
  <h1><?cs var:Lang.adm.roles ?></h1>
  <p class="hint"><?cs var:Lang.adm.roles_desc ?></p>
  <table class="grid matrix">
    <thead><tr><th><?cs var:Lang.col.role ?></th><th><?cs var:Lang.menu.entry ?></th><th><?cs var:Lang.menu.approve ?></th><th><?cs var:Lang.menu.dispatch ?></th><th><?cs var:Lang.menu.report ?></th><th><?cs var:Lang.menu.admin ?></th><th><?cs var:Lang.menu.audit ?></th><th><?cs var:Lang.menu.security ?></th></tr></thead>
    <tbody>
    <?cs each:ro = Roles ?>
      <tr><th><?cs var:ro.name ?></th>
      <td><?cs if:ro.cap.Entry ?>●<?cs else ?>–<?cs /if ?></td><td><?cs if:ro.cap.Approve ?>●<?cs else ?>–<?cs /if ?></td><td><?cs if:ro.cap.Dispatch ?>●<?cs else ?>–<?cs /if ?></td><td><?cs if:ro.cap.Report ?>●<?cs else ?>–<?cs /if ?></td><td><?cs if:ro.cap.Admin ?>●<?cs else ?>–<?cs /if ?></td><td><?cs if:ro.cap.Audit ?>●<?cs else ?>–<?cs /if ?></td><td><?cs if:ro.cap.Security ?>●<?cs else ?>–<?cs /if ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  <p class="hint"><?cs var:Lang.adm.separation ?></p>
  <p class="hint"><?cs var:Lang.adm.scopes_explained ?></p>
</section>
