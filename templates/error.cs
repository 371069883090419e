<section class="card card-narrow error">
  <h1><span class="code"><?cs var:Error.Status ?></span> <?cs var:Error.Title ?></h1>
  <?cs if:Error.Message ?><p class="msg msg-error"><?cs var:Error.Message ?></p><?cs /if ?>
  <p><a href="/"><?cs var:Lang.nav.home ?></a></p>
</section>
