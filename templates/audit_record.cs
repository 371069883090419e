<?cs call:audit_nav("log") ?>
<?cs with:x = Rows.0 ?>
<section class="card">
  <h1><?cs var:Lang.aud.record ?> <?cs var:x.id ?>：<?cs var:x.action_name ?></h1>
  <dl class="facts" id="record-facts">
    <dt><?cs var:Lang.aud.time ?></dt><dd><?cs var:x.local ?> <span class="hint">(<?cs var:Lang.aud.utc ?> <?cs var:x.at_utc ?>)</span></dd>
    <dt><?cs var:Lang.col.login ?></dt><dd><?cs if:x.login ?><a href="/audit/?login=<?cs var:url_escape(x.login) ?>"><?cs var:x.login ?></a><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.col.roles ?></dt><dd><?cs var:x.role_names ?>&nbsp;</dd>
    <dt><?cs var:Lang.col.unit ?></dt><dd><?cs var:x.unit ?>&nbsp;</dd>
    <dt><?cs var:Lang.aud.ip ?></dt><dd id="record-ip"><?cs if:x.ip ?><a href="/audit/?ip=<?cs var:url_escape(x.ip) ?>"><?cs var:x.ip ?></a><?cs /if ?>&nbsp;</dd>
    <dt><?cs var:Lang.aud.ua ?></dt><dd><?cs var:x.ua ?>&nbsp;</dd>
    <dt><?cs var:Lang.aud.req ?></dt><dd><code><?cs var:x.req_id ?></code>&nbsp;</dd>
    <dt><?cs var:Lang.aud.action ?></dt><dd><?cs var:x.action_name ?> <code><?cs var:x.action ?></code></dd>
    <dt><?cs var:Lang.aud.object ?></dt><dd><?cs if:x.object ?><?cs var:x.obj_type ?> <code><?cs var:x.obj_key ?></code> · <a id="object-history" href="/audit/?object=<?cs var:url_escape(x.object) ?>"><?cs var:Lang.aud.history_link ?></a><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.aud.result ?></dt><dd><?cs var:x.result_name ?></dd>
  </dl>
</section>
<section class="card">
  <h2><?cs var:Lang.aud.changes ?></h2>
  <?cs if:subcount(Changes) > 0 ?>
  <table class="grid" id="changes">
    <thead><tr><th><?cs var:Lang.aud.field ?></th><th><?cs var:Lang.aud.old ?></th><th><?cs var:Lang.aud.new ?></th></tr></thead>
    <tbody>
    <?cs each:c = Changes ?>
      <tr class="<?cs if:c.changed == "1" ?>changed<?cs /if ?>"><td><?cs var:c.label ?></td><td><?cs if:?c.old ?><?cs var:c.old ?><?cs else ?>—<?cs /if ?></td><td><?cs if:?c.new ?><?cs var:c.new ?><?cs else ?>—<?cs /if ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="hint"><?cs var:Lang.aud.no_changes ?></p><?cs /if ?>
  <?cs if:subcount(Detail) > 0 ?>
  <table class="grid" id="detail">
    <thead><tr><th><?cs var:Lang.aud.key ?></th><th><?cs var:Lang.aud.value ?></th></tr></thead>
    <tbody><?cs each:d = Detail ?><tr><td><?cs if:d.label ?><?cs var:d.label ?> <code><?cs var:d.key ?></code><?cs else ?><?cs var:d.key ?><?cs /if ?></td><td><?cs var:d.value ?></td></tr><?cs /each ?></tbody>
  </table>
  <?cs /if ?>
  <?cs if:DetailRaw ?><pre><?cs var:x.detail ?></pre><?cs /if ?>
  <p class="hint"><?cs if:x.alg == "2" ?><?cs var:Lang.aud.alg2 ?><?cs else ?><?cs var:Lang.aud.alg1 ?><?cs /if ?> <code><?cs var:x.mac ?></code></p>
</section>
<?cs /with ?>
