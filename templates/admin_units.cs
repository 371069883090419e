<?cs call:admin_nav("units") ?>
<section class="card">
  <h1><?cs var:Lang.adm.units ?></h1>
  <?cs call:messages() ?>
  <p class="tools"><?cs var:Lang.adm.export ?>: <a href="/admin/export?what=units&amp;fmt=csv">CSV</a> · <a href="/admin/export?what=units&amp;fmt=xlsx">XLSX</a> · <a href="/admin/import?kind=units"><?cs var:Lang.adm.import ?></a></p>
  <p class="hint"><?cs var:Lang.adm.units_order ?></p>
  <table class="grid tree">
    <thead><tr><th><?cs var:Lang.col.unit_name ?></th><th><?cs var:Lang.col.code ?></th><th><?cs var:Lang.col.kind ?></th><th><?cs var:Lang.col.state ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:u = Units ?>
      <tr class="<?cs if:u.active != "1" ?>inactive<?cs /if ?>"><td class="d<?cs var:u.depth ?>"><?cs var:u.name ?></td><td><code><?cs var:u.code ?></code></td><td><?cs call:kind_name(u.kind) ?></td><td><?cs if:u.active == "1" ?><?cs var:Lang.adm.active ?><?cs else ?><?cs var:Lang.adm.inactive ?><?cs /if ?></td><td><a href="/admin/units/edit?id=<?cs var:u.id ?>"><?cs var:Lang.adm.edit ?></a></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
</section>
<section class="card card-form">
  <h2><?cs var:Lang.adm.unit_new ?></h2>
  <?cs call:form_post("/admin/units/new") ?>
    <label for="code"><?cs var:Lang.col.code ?></label><input id="code" name="code" type="text" maxlength="32" value="<?cs var:Form.code ?>" required>
    <label for="name"><?cs var:Lang.col.unit_name ?></label><input id="name" name="name" type="text" maxlength="100" value="<?cs var:Form.name ?>" required>
    <label for="parent"><?cs var:Lang.col.parent ?></label><?cs call:unit_select("parent", Parents, Query.parent, 1) ?>
    <label for="kind"><?cs var:Lang.col.kind ?></label><select id="kind" name="kind"><option value="dept"><?cs var:Lang.ukind.dept ?></option><option value="team"><?cs var:Lang.ukind.team ?></option><option value="company"><?cs var:Lang.ukind.company ?></option></select>
    <label for="sort"><?cs var:Lang.col.sort ?></label><input id="sort" name="sort" type="number" value="0">
    <button type="submit" class="btn btn-primary"><?cs var:Lang.adm.create ?></button>
  </form>
</section>
