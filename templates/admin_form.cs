<?cs call:admin_nav("forms") ?>
<section class="card">
  <h1><?cs var:Form.name ?> <code><?cs var:Form.code ?></code></h1>
  <dl class="facts">
    <dt><?cs var:Lang.frm.version ?></dt><dd><?cs var:Form.version ?> (<?cs var:Form.file ?>, <?cs var:Form.applied ?>)</dd>
    <dt><?cs var:Lang.frm.period ?></dt><dd><?cs var:Lang.frm.p[Form.period] ?></dd>
    <dt><?cs var:Lang.frm.units ?></dt><dd><?cs var:Form.units ?><?cs if:Form.kinds ?> · <?cs var:Form.kinds ?><?cs /if ?></dd>
    <dt><?cs var:Lang.frm.window ?></dt><dd><?cs var:Lang.frm.opens ?> +<?cs var:Form.opens ?> · <?cs var:Lang.frm.cutoff ?> +<?cs var:Form.cutoff ?><?cs if:Form.closes ?> · <?cs var:Lang.frm.closes ?> +<?cs var:Form.closes ?><?cs /if ?></dd>
  </dl>
  <p class="hint"><?cs var:Lang.frm.window_note ?></p>
  <h2><?cs var:Lang.frm.fields ?></h2>
  <div class="scroll"><table class="grid fields">
    <thead><tr><th><?cs var:Lang.frm.field ?></th><th><?cs var:Lang.frm.label ?></th><th><?cs var:Lang.frm.part ?></th><th><?cs var:Lang.frm.type ?></th><th><?cs var:Lang.frm.check ?></th><th><?cs var:Lang.frm.since ?></th></tr></thead>
    <tbody>
    <?cs each:x = Fields ?>
      <tr class="<?cs if:x.active != "1" ?>inactive<?cs /if ?>"><td><code><?cs var:x.code ?></code></td><td><?cs var:x.label ?></td><td><?cs var:Lang.frm.parts[x.part] ?></td><td><?cs var:x.type ?></td><td><?cs var:x.rules ?></td>
      <td><?cs var:x.added ?><?cs if:x.removed ?> – <?cs var:x.removed ?> (<?cs var:Lang.frm.removed ?>)<?cs /if ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table></div>
  <?cs if:subcount(Rules) > 0 ?>
  <h2><?cs var:Lang.frm.rules ?></h2>
  <ul class="plain"><?cs each:u = Rules ?><li><code><?cs var:u.check ?></code> — <?cs var:u.message ?> (<?cs var:u.field ?>)</li><?cs /each ?></ul>
  <?cs /if ?>
  <h2><?cs var:Lang.frm.versions ?></h2>
  <table class="grid">
    <thead><tr><th><?cs var:Lang.frm.version ?></th><th><?cs var:Lang.frm.applied ?></th><th><?cs var:Lang.frm.added ?></th><th><?cs var:Lang.frm.removed ?></th><th><?cs var:Lang.frm.fingerprint ?></th></tr></thead>
    <tbody><?cs each:v = Versions ?><tr><td><?cs var:v.version ?></td><td><?cs var:v.applied_local ?></td><td><?cs var:v.added ?></td><td><?cs var:v.removed ?></td><td><code class="small"><?cs var:v.hash ?></code></td></tr><?cs /each ?></tbody>
  </table>
  <p><a href="/admin/forms"><?cs var:Lang.nav.back ?></a></p>
</section>
