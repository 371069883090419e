<?cs call:admin_nav("users") ?>
<section class="card card-form">
  <h1><?cs var:Lang.adm.user_new ?></h1>
  <?cs call:messages() ?>
  <?cs call:form_post("/admin/users/new") ?>
    <label for="login"><?cs var:Lang.col.login ?></label><input id="login" name="login" type="text" maxlength="64" value="<?cs var:Form.login ?>" autocapitalize="none" required>
    <p class="hint"><?cs var:Lang.adm.login_rule ?></p>
    <label for="name"><?cs var:Lang.col.person ?></label><input id="name" name="name" type="text" maxlength="32" value="<?cs var:Form.name ?>" required>
    <label for="unit"><?cs var:Lang.col.unit ?></label><?cs call:unit_select("unit", UnitOpts, Form.unit, 0) ?>
    <label for="phone"><?cs var:Lang.col.phone ?></label><input id="phone" name="phone" type="text" maxlength="32" value="<?cs var:Form.phone ?>">
    <label for="role"><?cs var:Lang.col.role ?></label><select id="role" name="role"><option value=""><?cs var:Lang.adm.none ?></option><?cs each:ro = Roles ?><?cs if:ro.code != "auditor" && ro.code != "secofficer" ?><option value="<?cs var:ro.code ?>"><?cs var:ro.name ?></option><?cs /if ?><?cs /each ?></select>
    <label for="scope"><?cs var:Lang.col.scope ?></label><?cs call:scope_select("scope") ?>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.adm.create ?></button>
  </form>
  <p class="hint"><?cs var:Lang.adm.code_hint ?></p>
</section>
