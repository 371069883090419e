<?cs call:admin_nav("forms") ?>
<section class="card">
  <h1><?cs var:Lang.adm.forms ?></h1>
  <p class="hint"><?cs var:Lang.frm.intro ?></p>
  <div class="scroll"><table class="grid forms">
    <thead><tr><th><?cs var:Lang.frm.code ?></th><th><?cs var:Lang.frm.name ?></th><th><?cs var:Lang.frm.version ?></th><th><?cs var:Lang.frm.period ?></th><th><?cs var:Lang.frm.units ?></th><th><?cs var:Lang.frm.window ?></th><th><?cs var:Lang.frm.applied ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:f = Forms ?>
      <tr class="<?cs if:f.active != "1" ?>inactive<?cs /if ?>"><td><code><?cs var:f.code ?></code></td><td><?cs var:f.name ?></td><td><?cs var:f.version ?></td><td><?cs var:Lang.frm.p[f.period] ?></td><td><?cs var:f.units ?><?cs if:f.kinds ?> <?cs var:f.kinds ?><?cs /if ?></td>
      <td><?cs var:Lang.frm.cutoff ?> +<?cs var:f.cutoff ?><?cs if:f.closes ?> · <?cs var:Lang.frm.closes ?> +<?cs var:f.closes ?><?cs /if ?></td><td><?cs var:f.applied ?></td>
      <td><a href="/admin/forms/form?code=<?cs var:url_escape(f.code) ?>"><?cs var:Lang.frm.details ?></a></td></tr>
    <?cs /each ?>
    </tbody>
  </table></div>
</section>
