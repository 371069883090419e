<?cs call:admin_nav("users") ?>
<section class="card card-form">
  <h1><?cs var:Lang.adm.user_edit ?> <code><?cs var:U.login ?></code></h1>
  <?cs call:messages() ?>
  <dl class="facts">
    <dt><?cs var:Lang.col.state ?></dt><dd><?cs if:U.active != "1" ?><?cs var:Lang.adm.inactive ?><?cs elif:U.has_password != "1" ?><?cs var:Lang.adm.pending ?><?cs else ?><?cs var:Lang.adm.active ?><?cs /if ?><?cs if:U.locked == "1" ?> · <?cs var:Lang.adm.locked ?><?cs /if ?></dd>
    <dt><?cs var:Lang.col.last_login ?></dt><dd><?cs if:U.last_login ?><?cs var:U.last_login ?><?cs else ?>—<?cs /if ?></dd>
  </dl>
  <?cs call:form_post("/admin/users/edit") ?>
    <input type="hidden" name="id" value="<?cs var:U.id ?>"><input type="hidden" name="version" value="<?cs var:U.version ?>">
    <label for="name"><?cs var:Lang.col.person ?></label><input id="name" name="name" type="text" maxlength="32" value="<?cs var:U.name ?>" required>
    <label for="unit"><?cs var:Lang.col.unit ?></label><?cs call:unit_select("unit", UnitOpts, U.unit_id, 0) ?>
    <label for="phone"><?cs var:Lang.col.phone ?></label><input id="phone" name="phone" type="text" maxlength="32" value="<?cs var:U.phone ?>">
    <button type="submit" class="btn btn-primary"><?cs var:Lang.adm.save ?></button>
  </form>
  <div class="actions">
  <?cs if:U.self != "1" ?>
    <?cs call:form_post("/admin/users/reset") ?><input type="hidden" name="id" value="<?cs var:U.id ?>"><button type="submit" class="btn"><?cs var:Lang.adm.reset ?></button></form>
    <?cs call:form_post("/admin/users/active") ?><input type="hidden" name="id" value="<?cs var:U.id ?>"><?cs if:U.active == "1" ?><input type="hidden" name="active" value="0"><button type="submit" class="btn btn-danger"><?cs var:Lang.adm.deactivate ?></button><?cs else ?><input type="hidden" name="active" value="1"><button type="submit" class="btn"><?cs var:Lang.adm.activate ?></button><?cs /if ?></form>
  <?cs /if ?>
  <?cs if:U.locked == "1" ?><?cs call:form_post("/admin/users/unlock") ?><input type="hidden" name="id" value="<?cs var:U.id ?>"><button type="submit" class="btn"><?cs var:Lang.adm.unlock ?></button></form><?cs /if ?>
  <?cs if:U.pending == "1" ?><a class="btn" href="/admin/import/codes?user=<?cs var:U.id ?>&amp;fmt=pdf"><?cs var:Lang.adm.code_slip ?></a><?cs /if ?>
  </div>
</section>
<section class="card">
  <h2><?cs var:Lang.adm.grants ?></h2>
  <table class="grid">
    <thead><tr><th><?cs var:Lang.col.role ?></th><th><?cs var:Lang.col.unit ?></th><th><?cs var:Lang.col.scope ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:g = Grants ?>
      <tr><td><?cs if:Lang.Code == "en" ?><?cs var:g.role_en ?><?cs else ?><?cs var:g.role_zh ?><?cs /if ?></td><td><?cs var:g.unit_name ?></td><td><?cs var:Lang.scope[g.scope] ?></td>
      <td><?cs call:form_post("/admin/users/revoke") ?><input type="hidden" name="id" value="<?cs var:U.id ?>"><input type="hidden" name="grant" value="<?cs var:g.id ?>"><button type="submit" class="link-danger"><?cs var:Lang.adm.revoke ?></button></form></td></tr>
    <?cs /each ?>
    <?cs each:g = PendingGrants ?>
      <tr class="pending"><td><?cs if:Lang.Code == "en" ?><?cs var:g.role_en ?><?cs else ?><?cs var:g.role_zh ?><?cs /if ?></td><td><?cs var:g.unit_name ?></td><td><?cs var:Lang.scope[g.scope] ?></td><td><?cs var:Lang.adm.pending_grant ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs if:subcount(PendingGrants) > 0 ?><p class="hint" id="pending-note"><?cs var:Lang.adm.pending_grant_note ?></p><?cs /if ?>
  <?cs call:form_post("/admin/users/grant") ?>
    <input type="hidden" name="id" value="<?cs var:U.id ?>">
    <div class="inline">
      <label for="role"><?cs var:Lang.col.role ?></label><select id="role" name="role"><?cs each:ro = Roles ?><?cs if:ro.code != "auditor" && ro.code != "secofficer" ?><option value="<?cs var:ro.code ?>"><?cs var:ro.name ?></option><?cs /if ?><?cs /each ?></select>
      <label for="gunit"><?cs var:Lang.col.unit ?></label><?cs call:unit_select("gunit", UnitOpts, U.unit_id, 0) ?>
      <label for="scope"><?cs var:Lang.col.scope ?></label><?cs call:scope_select("scope") ?>
    </div>
    <button type="submit" class="btn"><?cs var:Lang.adm.grant ?></button>
  </form>
  <p class="hint"><?cs var:Lang.adm.grant_hint ?></p>
</section>
