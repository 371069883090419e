<section class="card">
  <h1><?cs var:Lang.sec.title ?></h1>
  <p class="hint"><?cs var:Lang.sec.intro ?></p>
  <?cs call:messages() ?>
  <?cs if:Code.code ?>
  <div class="msg msg-ok" role="status"><?cs var:Lang.sec.code_intro ?> <code><?cs var:Code.login ?></code>（<?cs var:Code.name ?>）<strong id="activation-code"><?cs var:Code.code ?></strong></div>
  <?cs /if ?>
  <table class="grid" id="officer-accounts">
    <thead><tr><th><?cs var:Lang.col.login ?></th><th><?cs var:Lang.col.person ?></th><th><?cs var:Lang.col.unit ?></th><th><?cs var:Lang.col.roles ?></th><th><?cs var:Lang.sec.state ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:a = Accounts ?>
      <tr><td><code><?cs var:a.login ?></code></td><td><?cs var:a.name ?></td><td><?cs var:a.unit ?></td>
      <td><?cs var:a.role_names ?><?cs if:a.ever_auditor == "1" ?> <span class="hint">（<?cs var:Lang.sec.ever ?>审计员）</span><?cs /if ?></td>
      <td><?cs if:a.active != "1" ?><?cs var:Lang.adm.inactive ?><?cs elif:a.has_password != "1" ?><?cs var:Lang.adm.pending ?><?cs else ?><?cs var:Lang.adm.active ?><?cs /if ?></td>
      <td class="actions">
        <?cs each:g = a.grants ?><?cs if:g.role == "auditor" ?><?cs call:form_post("/audit/officer/revoke") ?><input type="hidden" name="grant" value="<?cs var:g.id ?>"><button type="submit" class="link-danger"><?cs var:Lang.sec.revoke ?> <?cs var:g.name ?></button></form><?cs /if ?><?cs /each ?>
        <?cs if:a.ever_auditor == "1" ?><?cs call:form_post("/audit/officer/reset") ?><input type="hidden" name="id" value="<?cs var:a.id ?>"><button type="submit" class="btn"><?cs var:Lang.sec.reset ?></button></form><?cs /if ?>
      </td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs if:subcount(Accounts) == 0 ?><p class="hint"><?cs var:Lang.sec.none ?></p><?cs /if ?>
</section>
<section class="card card-form">
  <h2><?cs var:Lang.sec.grant ?></h2>
  <?cs call:form_post("/audit/officer/grant") ?>
    <label for="login"><?cs var:Lang.sec.login ?></label><input id="login" name="login" type="text" maxlength="64" value="<?cs var:Form.login ?>" required>
    <p class="hint"><?cs var:Lang.sec.grant_hint ?></p>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.sec.submit ?></button>
  </form>
</section>
<section class="card">
  <h2><?cs var:Lang.sec.pending ?></h2>
  <p class="hint"><?cs var:Lang.sec.pending_hint ?></p>
  <?cs if:subcount(Pending) > 0 ?>
  <table class="grid" id="pending">
    <thead><tr><th><?cs var:Lang.col.login ?></th><th><?cs var:Lang.col.person ?></th><th><?cs var:Lang.col.unit ?></th><th><?cs var:Lang.col.role ?></th><th><?cs var:Lang.sec.by ?></th><th><?cs var:Lang.sec.state ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:p = Pending ?>
      <tr><td><code><?cs var:p.login ?></code></td><td><?cs var:p.name ?></td><td><?cs var:p.unit ?></td><td><?cs var:p.role_name ?></td><td><code><?cs var:p.by ?></code></td>
      <td><?cs if:p.confirmed == "1" ?><?cs var:Lang.sec.confirmed ?><?cs else ?><?cs var:Lang.sec.unconfirmed ?><?cs /if ?> · <?cs if:p.activated == "1" ?><?cs var:Lang.adm.active ?><?cs else ?><?cs var:Lang.adm.pending ?><?cs /if ?></td>
      <td class="actions"><?cs if:p.confirmed != "1" ?><?cs call:form_post("/audit/officer/pending") ?><input type="hidden" name="pending" value="<?cs var:p.id ?>"><input type="hidden" name="accept" value="1"><button type="submit" class="btn"><?cs var:Lang.sec.confirm ?></button></form><?cs /if ?>
      <?cs call:form_post("/audit/officer/pending") ?><input type="hidden" name="pending" value="<?cs var:p.id ?>"><input type="hidden" name="accept" value="0"><button type="submit" class="link-danger"><?cs var:Lang.sec.reject ?></button></form></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="hint"><?cs var:Lang.sec.none ?></p><?cs /if ?>
</section>
