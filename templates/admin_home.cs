<?cs call:admin_nav("home") ?>
<section class="card">
  <h1><?cs var:Lang.adm.title ?></h1>
  <ul class="menu">
    <li><a class="menu-title" href="/admin/units"><?cs var:Lang.adm.units ?></a><span class="menu-desc"><?cs var:Lang.adm.units_desc ?></span></li>
    <li><a class="menu-title" href="/admin/users"><?cs var:Lang.adm.users ?></a><span class="menu-desc"><?cs var:Lang.adm.users_desc ?></span></li>
    <li><a class="menu-title" href="/admin/roles"><?cs var:Lang.adm.roles ?></a><span class="menu-desc"><?cs var:Lang.adm.roles_desc ?></span></li>
    <li><a class="menu-title" href="/admin/base"><?cs var:Lang.adm.base ?></a><span class="menu-desc"><?cs each:k = Kinds ?><?cs var:k.name ?> <?cs var:k.items ?><?cs if:!last(k) ?> · <?cs /if ?><?cs /each ?></span></li>
    <li><a class="menu-title" href="/admin/import"><?cs var:Lang.adm.import ?></a><span class="menu-desc"><?cs var:Lang.adm.import_desc ?></span></li>
    <li><a class="menu-title" href="/admin/readiness"><?cs var:Lang.adm.readiness ?></a><span class="menu-desc"><?cs var:Lang.adm.readiness_desc ?></span></li>
  </ul>
</section>
