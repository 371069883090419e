<?cs include:"approval_macros.cs" ?><?cs call:flow_nav("standins") ?>
<section class="card">
  <h1><?cs var:Lang.flow.title_standins ?></h1>
  <?cs call:messages() ?>
  <p class="hint"><?cs var:Lang.flow.si_hint ?></p>
  <h2><?cs var:Lang.flow.si_given ?></h2>
  <?cs if:subcount(Given) == 0 ?><p class="hint" id="given-none"><?cs var:Lang.flow.si_none ?></p><?cs else ?>
  <table class="grid standins" id="given"><thead><tr><th><?cs var:Lang.flow.si_who ?></th><th><?cs var:Lang.flow.si_from ?></th><th><?cs var:Lang.flow.si_to ?></th><th><?cs var:Lang.flow.si_reason ?></th><th></th></tr></thead>
    <tbody><?cs each:s = Given ?><tr><td><?cs var:s.name ?> (<?cs var:s.login ?>)<?cs if:s.active == "1" ?> <span class="st st-approved"><?cs var:Lang.flow.si_active ?></span><?cs /if ?></td><td><?cs var:s.from ?></td><td><?cs var:s.to ?></td><td><?cs var:s.reason ?></td>
      <td><?cs call:form_post("/approval/standin/end") ?><input type="hidden" name="id" value="<?cs var:s.id ?>"><button type="submit" class="btn"><?cs var:Lang.flow.si_end ?></button></form></td></tr><?cs /each ?></tbody></table>
  <?cs /if ?>
  <h2><?cs var:Lang.flow.si_received ?></h2>
  <?cs if:subcount(Received) == 0 ?><p class="hint" id="received-none"><?cs var:Lang.flow.si_none ?></p><?cs else ?>
  <table class="grid standins" id="received"><thead><tr><th><?cs var:Lang.flow.si_for ?></th><th><?cs var:Lang.flow.si_from ?></th><th><?cs var:Lang.flow.si_to ?></th><th><?cs var:Lang.flow.si_reason ?></th></tr></thead>
    <tbody><?cs each:s = Received ?><tr><td><?cs var:s.name ?> (<?cs var:s.login ?>)<?cs if:s.active == "1" ?> <span class="st st-approved"><?cs var:Lang.flow.si_active ?></span><?cs /if ?></td><td><?cs var:s.from ?></td><td><?cs var:s.to ?></td><td><?cs var:s.reason ?></td></tr><?cs /each ?></tbody></table>
  <?cs /if ?>
</section>
<section class="card card-form">
  <h2><?cs var:Lang.flow.si_add ?></h2>
  <?cs call:form_post("/approval/standin") ?>
    <label for="si-login"><?cs var:Lang.flow.si_login ?></label><input id="si-login" name="login" type="text" maxlength="64" required value="<?cs var:Form.login ?>">
    <label for="si-from"><?cs var:Lang.flow.si_from ?></label><input id="si-from" name="from" type="text" class="when" placeholder="<?cs var:Today ?>" required value="<?cs if:Form.from ?><?cs var:Form.from ?><?cs else ?><?cs var:Today ?><?cs /if ?>">
    <label for="si-to"><?cs var:Lang.flow.si_to ?></label><input id="si-to" name="to" type="text" class="when" placeholder="<?cs var:Today ?>" required value="<?cs var:Form.to ?>">
    <label for="si-reason"><?cs var:Lang.flow.si_reason ?></label><input id="si-reason" name="reason" type="text" maxlength="200" value="<?cs var:Form.reason ?>">
    <button type="submit" class="btn btn-primary" id="si-add"><?cs var:Lang.flow.si_add_btn ?></button>
  </form>
</section>
