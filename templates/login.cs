<section class="card card-narrow">
  <h1><?cs var:Lang.login.title ?></h1>
  <p class="sub"><?cs var:Lang.login.welcome ?></p>
  <?cs if:Query.bye ?><?cs call:form_notice(Lang.login.bye) ?><?cs /if ?>
  <?cs call:form_error() ?>
  <?cs call:form_post("/login") ?>
    <input type="hidden" name="next" value="<?cs var:Form.Next ?>">
    <label for="login"><?cs var:Lang.login.account ?></label>
    <input id="login" name="login" type="text" value="<?cs var:Form.Login ?>" autocomplete="username" autocapitalize="none" maxlength="64" required autofocus>
    <label for="password"><?cs var:Lang.login.password ?></label>
    <input id="password" name="password" type="password" autocomplete="current-password" maxlength="256" required>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.login.submit ?></button>
  </form>
  <p class="hint"><a href="/activate"><?cs var:Lang.login.activate ?></a></p>
  <p class="hint"><?cs var:Lang.login.hint ?></p>
</section>
