<?cs call:admin_nav("users") ?>
<section class="card">
  <h1><?cs var:Lang.adm.users ?></h1>
  <?cs call:messages() ?>
  <form method="get" action="/admin/users" class="filters">
    <label for="unit"><?cs var:Lang.col.unit ?></label><?cs call:unit_select("unit", UnitOpts, Filter.unit, 1) ?>
    <label for="q"><?cs var:Lang.adm.search ?></label><input id="q" name="q" type="text" value="<?cs var:Filter.q ?>" maxlength="64">
    <button type="submit" class="btn"><?cs var:Lang.adm.filter ?></button>
  </form>
  <p class="tools"><a class="btn" href="/admin/users/new"><?cs var:Lang.adm.user_new ?></a> <?cs var:Lang.adm.export ?>: <a href="/admin/export?what=users&amp;fmt=csv">CSV</a> · <a href="/admin/export?what=users&amp;fmt=xlsx">XLSX</a> · <a href="/admin/import?kind=users"><?cs var:Lang.adm.import ?></a></p>
  <p class="hint"><?cs var:Lang.adm.users_order ?></p>
  <table class="grid">
    <thead><tr><th><?cs var:Lang.col.login ?></th><th><?cs var:Lang.col.person ?></th><th><?cs var:Lang.col.unit ?></th><th><?cs var:Lang.col.roles ?></th><th><?cs var:Lang.col.state ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:u = Users ?>
      <tr class="<?cs if:u.active != "1" ?>inactive<?cs /if ?>"><td><code><?cs var:u.login ?></code></td><td><?cs var:u.name ?></td><td><?cs var:u.unit_name ?></td><td><?cs var:u.roles ?></td>
      <td><?cs if:u.active != "1" ?><?cs var:Lang.adm.inactive ?><?cs elif:u.locked == "1" ?><?cs var:Lang.adm.locked ?><?cs elif:u.has_password != "1" ?><?cs var:Lang.adm.pending ?><?cs else ?><?cs var:Lang.adm.active ?><?cs /if ?></td>
      <td><a href="/admin/users/edit?id=<?cs var:u.id ?>"><?cs var:Lang.adm.edit ?></a></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs if:Next ?><p><a class="btn" href="/admin/users?unit=<?cs var:Filter.unit ?>&amp;q=<?cs var:url_escape(Filter.q) ?>&amp;after=<?cs var:url_escape(Next) ?>"><?cs var:Lang.adm.next_page ?></a></p><?cs /if ?>
</section>
