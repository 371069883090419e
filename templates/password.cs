<section class="card card-narrow">
  <h1><?cs var:Lang.pw.title ?></h1>
  <?cs if:User.MustChange ?><p class="msg msg-warn" role="status"><?cs var:Lang.pw.must_change ?></p><?cs /if ?>
  <?cs call:form_error() ?>
  <?cs call:form_post("/password") ?>
    <label for="old"><?cs var:Lang.pw.old ?></label>
    <input id="old" name="old" type="password" autocomplete="current-password" maxlength="256" required>
    <label for="new"><?cs var:Lang.pw.new ?></label>
    <input id="new" name="new" type="password" autocomplete="new-password" maxlength="128" required aria-describedby="pw-rules">
    <label for="again"><?cs var:Lang.pw.again ?></label>
    <input id="again" name="again" type="password" autocomplete="new-password" maxlength="128" required>
    <p id="pw-rules" class="hint"><?cs var:Lang.pw.rules ?></p>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.pw.submit ?></button>
  </form>
  <?cs if:!User.MustChange ?><p><a href="/"><?cs var:Lang.nav.back ?></a></p><?cs /if ?>
</section>
