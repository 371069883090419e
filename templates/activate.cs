<section class="card card-narrow">
  <h1><?cs var:Lang.act.title ?></h1>
  <p class="sub"><?cs var:Lang.act.intro ?></p>
  <?cs call:form_error() ?>
  <?cs call:form_post("/activate") ?>
    <label for="login"><?cs var:Lang.login.account ?></label>
    <input id="login" name="login" type="text" value="<?cs var:Form.Login ?>" autocomplete="username" autocapitalize="none" maxlength="64" required>
    <label for="code"><?cs var:Lang.act.code ?></label>
    <input id="code" name="code" type="text" autocomplete="one-time-code" autocapitalize="characters" maxlength="16" placeholder="ABCDE-FGHJK" required>
    <label for="new"><?cs var:Lang.pw.new ?></label>
    <input id="new" name="new" type="password" autocomplete="new-password" maxlength="128" required aria-describedby="pw-rules">
    <label for="again"><?cs var:Lang.pw.again ?></label>
    <input id="again" name="again" type="password" autocomplete="new-password" maxlength="128" required>
    <p id="pw-rules" class="hint"><?cs var:Lang.pw.rules ?></p>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.act.submit ?></button>
  </form>
  <p><a href="/login"><?cs var:Lang.act.back ?></a></p>
</section>
