<?cs call:admin_nav("units") ?>
<section class="card card-form">
  <h1><?cs var:Lang.adm.unit_edit ?> <code><?cs var:Unit.code ?></code></h1>
  <?cs call:messages() ?>
  <?cs if:Unit.active != "1" ?><p class="msg msg-warn"><?cs var:Lang.adm.unit_is_inactive ?></p><?cs /if ?>
  <?cs call:form_post("/admin/units/edit") ?>
    <input type="hidden" name="id" value="<?cs var:Unit.id ?>"><input type="hidden" name="version" value="<?cs var:Unit.version ?>">
    <label for="name"><?cs var:Lang.col.unit_name ?></label><input id="name" name="name" type="text" maxlength="100" value="<?cs var:Unit.name ?>" required>
    <label for="parent"><?cs var:Lang.col.parent ?> (<?cs var:Lang.adm.move_hint ?>)</label><?cs call:unit_select("parent", Parents, Unit.parent_id, 1) ?>
    <label for="kind"><?cs var:Lang.col.kind ?></label><select id="kind" name="kind"><option value="dept"<?cs if:Unit.kind == "dept" ?> selected<?cs /if ?>><?cs var:Lang.ukind.dept ?></option><option value="team"<?cs if:Unit.kind == "team" ?> selected<?cs /if ?>><?cs var:Lang.ukind.team ?></option><option value="company"<?cs if:Unit.kind == "company" ?> selected<?cs /if ?>><?cs var:Lang.ukind.company ?></option></select>
    <label for="sort"><?cs var:Lang.col.sort ?></label><input id="sort" name="sort" type="number" value="<?cs var:Unit.sort ?>">
    <button type="submit" class="btn btn-primary"><?cs var:Lang.adm.save ?></button>
  </form>
  <?cs call:form_post("/admin/units/active") ?>
    <input type="hidden" name="id" value="<?cs var:Unit.id ?>">
    <?cs if:Unit.active == "1" ?><input type="hidden" name="active" value="0"><button type="submit" class="btn btn-danger"><?cs var:Lang.adm.deactivate ?></button> <span class="hint"><?cs var:Lang.adm.deactivate_unit_hint ?></span>
    <?cs else ?><input type="hidden" name="active" value="1"><button type="submit" class="btn"><?cs var:Lang.adm.activate ?></button><?cs /if ?>
  </form>
  <p><a href="/admin/users?unit=<?cs var:Unit.id ?>"><?cs var:Lang.adm.unit_users ?> (<?cs var:Unit.users ?>)</a> · <a href="/admin/units"><?cs var:Lang.nav.back ?></a></p>
</section>
