<?cs call:admin_nav("users") ?>
<section class="card card-narrow">
  <h1><?cs var:Lang.adm.code_title ?></h1>
  <p class="msg msg-ok"><?cs var:Lang.adm.code_once ?></p>
  <dl class="facts">
    <dt><?cs var:Lang.col.person ?></dt><dd><?cs var:Code.name ?></dd>
    <dt><?cs var:Lang.col.login ?></dt><dd><code><?cs var:Code.login ?></code></dd>
    <dt><?cs var:Lang.act.code ?></dt><dd><code class="code-big" id="activation-code"><?cs var:Code.code ?></code></dd>
    <dt><?cs var:Lang.adm.valid_days ?></dt><dd><?cs var:Code.days ?></dd>
  </dl>
  <p class="hint"><?cs var:Lang.adm.code_hint ?></p>
  <p><a href="/admin/users?q=<?cs var:url_escape(Code.login) ?>"><?cs var:Lang.nav.back ?></a></p>
</section>
