<?cs call:audit_nav("dash") ?>
<section class="card">
  <h1><?cs var:Lang.aud.dash ?></h1>
  <p class="hint"><?cs var:Lang.aud.dash_since ?> <?cs var:Dash.since ?>（<?cs var:Lang.aud.dash_days ?> <?cs var:Dash.days ?>）</p>
  <table class="grid" id="dash">
    <thead><tr><th><?cs var:Lang.aud.dash_item ?></th><th><?cs var:Lang.aud.dash_count ?></th></tr></thead>
    <tbody>
    <?cs each:k = Lang.audd ?><?cs with:d = Dash[name(k)] ?>
      <tr id="dash-<?cs var:name(k) ?>"><td><?cs var:k ?><?cs if:name(k) == "offhours" ?> <span class="hint">（<?cs var:Lang.aud.work ?> <?cs var:Dash.work_start ?>:00–<?cs var:Dash.work_end ?>:00<?cs if:Dash.weekends == "1" ?>，<?cs var:Lang.aud.weekends ?><?cs /if ?>）</span><?cs /if ?></td>
      <td><a href="<?cs var:d.link ?>"><?cs var:d.n ?></a></td></tr>
    <?cs /with ?><?cs /each ?>
    </tbody>
  </table>
</section>
<section class="card">
  <h2><?cs var:Lang.aud.fail_login ?></h2>
  <p class="hint"><?cs var:Lang.aud.fail_min ?> <?cs var:Dash.min ?></p>
  <table class="grid" id="fail-login">
    <thead><tr><th><?cs var:Lang.col.login ?></th><th><?cs var:Lang.aud.dash_count ?></th></tr></thead>
    <tbody><?cs each:x = Dash.by_login ?><tr><td><code><?cs var:x.key ?></code></td><td><a href="/audit/?from=<?cs var:Dash.since ?>&amp;action=login.fail&amp;login=<?cs var:url_escape(x.key) ?>"><?cs var:x.n ?></a></td></tr><?cs /each ?></tbody>
  </table>
  <h2><?cs var:Lang.aud.fail_ip ?></h2>
  <table class="grid" id="fail-ip">
    <thead><tr><th><?cs var:Lang.aud.ip ?></th><th><?cs var:Lang.aud.dash_count ?></th></tr></thead>
    <tbody><?cs each:x = Dash.by_ip ?><tr><td><?cs var:x.key ?></td><td><a href="/audit/?from=<?cs var:Dash.since ?>&amp;action=login.fail&amp;ip=<?cs var:url_escape(x.key) ?>"><?cs var:x.n ?></a></td></tr><?cs /each ?></tbody>
  </table>
</section>
