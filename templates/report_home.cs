<?cs include:"report_macros.cs" ?><?cs call:report_nav("home") ?>
<section class="card">
  <h1><?cs var:Lang.report.title ?></h1>
  <p class="hint"><?cs var:Lang.report.home_hint ?></p>
  <h2><?cs var:Lang.report.builtins ?></h2>
  <?cs if:subcount(Builtins) == 0 ?><p class="hint" id="no-builtins"><?cs var:Lang.report.none ?></p><?cs else ?>
  <ul class="reports" id="builtins"><?cs each:b = Builtins ?>
    <li id="r-<?cs var:b.code ?>"><a href="/report/view?r=<?cs var:url_escape(b.code) ?>"><?cs var:b.name ?></a>
      <span class="menu-desc"><?cs var:b.form ?> · <?cs var:Lang.report.period[b.period] ?></span></li><?cs /each ?>
  </ul><?cs /if ?>
  <h2><?cs var:Lang.report.saved ?></h2>
  <?cs if:subcount(Saved) == 0 ?><p class="hint" id="no-saved"><?cs var:Lang.report.saved_none ?></p><?cs else ?>
  <div class="scroll"><table class="grid" id="saved">
    <thead><tr><th><?cs var:Lang.report.col_name ?></th><th><?cs var:Lang.report.col_owner ?></th><th></th></tr></thead>
    <tbody><?cs each:s = Saved ?><tr id="s-<?cs var:s.id ?>"><td><a href="/report/view?r=<?cs var:url_escape(s.code) ?>"><?cs var:s.name ?></a></td><td><?cs var:s.owner ?></td>
      <td><?cs if:s.mine == "1" ?><a href="/report/build?id=<?cs var:s.id ?>"><?cs var:Lang.report.edit ?></a><?cs /if ?></td></tr><?cs /each ?></tbody>
  </table></div><?cs /if ?>
</section>
