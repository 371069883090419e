<?cs call:audit_nav("verify") ?>
<section class="card">
  <h1><?cs var:Lang.aud.verify ?></h1>
  <?cs if:Check.intact == "1" ?>
  <p class="msg msg-ok" id="verify-result"><?cs var:Lang.aud.intact_a ?> <?cs var:Check.last ?> <?cs var:Lang.aud.intact_b ?> <?cs var:Check.last_at ?><?cs var:Lang.aud.intact_c ?></p>
  <?cs else ?>
  <p class="msg msg-error" id="verify-result" role="alert"><?cs var:Lang.aud.broken_a ?> <?cs var:Check.bad_id ?> <?cs var:Lang.aud.broken_b ?><?cs var:Check.how ?><?cs if:Check.bad_to > Check.bad_id ?>（<?cs var:Check.bad_id ?>–<?cs var:Check.bad_to ?>）<?cs /if ?>。<?cs if:Check.last > 0 ?><?cs var:Lang.aud.intact_a ?> <?cs var:Check.last ?> <?cs var:Lang.aud.intact_b ?> <?cs var:Check.last_at ?><?cs var:Lang.aud.intact_c ?><?cs /if ?></p>
  <?cs /if ?>
  <dl class="facts">
    <dt><?cs var:Lang.aud.checked ?></dt><dd><?cs var:Check.records ?></dd>
    <dt><?cs var:Lang.aud.keyed_from ?></dt><dd><?cs if:Check.keyed_from > 0 ?><?cs var:Check.keyed_from ?><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.aud.anchors ?></dt><dd><?cs var:Check.anchors ?></dd>
  </dl>
  <p class="hint"><?cs var:Lang.aud.verify_hint ?></p>
</section>
<section class="card">
  <h2><?cs var:Lang.aud.archives ?></h2>
  <?cs if:Check.gap ?><p class="msg msg-error" id="archive-gap" role="alert"><?cs var:Lang.aud.arch_gap ?> <?cs var:Check.gap ?></p><?cs /if ?>
  <?cs if:subcount(Archives) > 0 ?>
  <table class="grid" id="archives">
    <thead><tr><th><?cs var:Lang.aud.range ?></th><th><?cs var:Lang.aud.time ?></th><th><?cs var:Lang.aud.file ?></th><th><?cs var:Lang.aud.state ?></th></tr></thead>
    <tbody><?cs each:a = Archives ?>
      <tr><td><a href="/audit/?archive=<?cs var:a.id ?>"><?cs var:a.first ?>–<?cs var:a.last ?></a>（<?cs var:a.records ?>）</td><td><?cs var:a.local ?></td><td><code><?cs var:a.file ?></code></td>
      <td><?cs if:a.ok == "1" ?><span class="yes"><?cs var:Lang.aud.arch_ok ?></span><?cs else ?><span class="no"><?cs var:a.why ?></span><?cs /if ?></td></tr>
    <?cs /each ?></tbody>
  </table>
  <?cs else ?><p class="hint"><?cs var:Lang.aud.no_archives ?></p><?cs /if ?>
</section>
