<?cs call:audit_nav("log") ?>
<section class="card">
  <h1><?cs if:History.object ?><?cs var:Lang.aud.history ?>：<?cs var:History.type ?> <code><?cs var:History.key ?></code><?cs elif:Archive.id ?><?cs var:Lang.aud.archive ?> <?cs var:Archive.first ?>–<?cs var:Archive.last ?><?cs else ?><?cs var:Lang.aud.log ?><?cs /if ?></h1>
  <?cs call:messages() ?>
  <?cs if:Archive.id ?><p class="hint"><?cs var:Lang.aud.archive_hint ?> <code><?cs var:Archive.file ?></code></p><?cs /if ?>
  <form method="get" action="/audit/" class="filters">
    <?cs if:Archive.id ?><input type="hidden" name="archive" value="<?cs var:Archive.id ?>"><?cs else ?>
    <label for="from"><?cs var:Lang.aud.from ?></label><input id="from" name="from" type="text" maxlength="20" value="<?cs var:Filter.from ?>" placeholder="2026-11-01">
    <label for="to"><?cs var:Lang.aud.to ?></label><input id="to" name="to" type="text" maxlength="20" value="<?cs var:Filter.to ?>" placeholder="2026-11-30 18:00">
    <label for="unit"><?cs var:Lang.col.unit ?></label><select id="unit" name="unit"><option value="0"><?cs var:Lang.aud.any ?></option><?cs each:o = UnitOpts ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Filter.unit ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?></select>
    <?cs /if ?>
    <label for="login"><?cs var:Lang.col.login ?></label><input id="login" name="login" type="text" maxlength="64" value="<?cs var:Filter.login ?>">
    <label for="action"><?cs var:Lang.aud.action ?></label><select id="action" name="action"><option value=""><?cs var:Lang.aud.any ?></option><?cs each:a = Actions ?><option value="<?cs var:a.action ?>"<?cs if:a.action == Filter.action ?> selected<?cs /if ?>><?cs var:a.name ?></option><?cs /each ?></select>
    <label for="object"><?cs var:Lang.aud.object ?></label><input id="object" name="object" type="text" maxlength="200" value="<?cs var:Filter.object ?>" placeholder="unit:100090">
    <label for="result"><?cs var:Lang.aud.result ?></label><select id="result" name="result"><option value=""><?cs var:Lang.aud.any ?></option><?cs each:x = Lang.audr ?><option value="<?cs var:name(x) ?>"<?cs if:name(x) == Filter.result ?> selected<?cs /if ?>><?cs var:x ?></option><?cs /each ?></select>
    <label for="ip"><?cs var:Lang.aud.ip ?></label><input id="ip" name="ip" type="text" maxlength="45" value="<?cs var:Filter.ip ?>">
    <?cs if:Filter.type ?><input type="hidden" name="type" value="<?cs var:Filter.type ?>"><?cs /if ?>
    <?cs if:Filter.group ?><input type="hidden" name="group" value="<?cs var:Filter.group ?>"><?cs /if ?>
    <?cs if:Filter.off == "1" ?><input type="hidden" name="off" value="1"><?cs /if ?>
    <button type="submit" class="btn"><?cs var:Lang.adm.filter ?></button>
  </form>
  <?cs if:Filter.group ?><p class="hint"><?cs var:Lang.aud.group ?>：<?cs var:Lang.audg[Filter.group] ?></p><?cs /if ?>
  <?cs if:Filter.off == "1" ?><p class="hint"><?cs var:Lang.aud.offhours_only ?></p><?cs /if ?>
  <p class="tools"><?cs var:Lang.adm.export ?>: <a id="export-csv" href="/audit/export?<?cs var:Filter.query ?>&amp;fmt=csv">CSV</a> · <a id="export-xlsx" href="/audit/export?<?cs var:Filter.query ?>&amp;fmt=xlsx">XLSX</a> <span class="hint"><?cs var:Lang.aud.export_hint ?></span></p>
  <p class="hint"><?cs var:Lang.aud.order ?></p>
  <table class="grid" id="audit-rows">
    <thead><tr><th><?cs var:Lang.aud.no ?></th><th><?cs var:Lang.aud.time ?></th><th><?cs var:Lang.col.login ?></th><th><?cs var:Lang.col.roles ?></th><th><?cs var:Lang.aud.ip ?></th><th><?cs var:Lang.aud.action ?></th><th><?cs var:Lang.aud.object ?></th><th><?cs var:Lang.aud.result ?></th></tr></thead>
    <tbody>
    <?cs each:x = Rows ?>
      <tr class="res-<?cs var:x.result ?>"><td><a href="/audit/record?id=<?cs var:x.id ?><?cs if:Archive.id ?>&amp;archive=<?cs var:Archive.id ?><?cs /if ?>"><?cs var:x.id ?></a></td><td><?cs var:x.local ?></td>
      <td><?cs if:x.login ?><a href="/audit/?login=<?cs var:url_escape(x.login) ?>"><?cs var:x.login ?></a><?cs /if ?><?cs if:x.unit ?> <span class="hint">(<?cs var:x.unit ?>)</span><?cs /if ?></td>
      <td><?cs var:x.role_names ?></td><td><?cs var:x.ip ?></td><td><?cs var:x.action_name ?></td>
      <td><?cs if:x.object ?><?cs var:x.obj_type ?> <a href="/audit/?object=<?cs var:url_escape(x.object) ?>"><?cs var:x.obj_key ?></a><?cs /if ?></td><td><?cs var:x.result_name ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs if:Shown == "0" ?><p class="hint"><?cs var:Lang.aud.none ?></p><?cs /if ?>
  <p><?cs if:Query.before ?><a class="btn" href="/audit/?<?cs var:Filter.query ?>"><?cs var:Lang.aud.first_page ?></a> <?cs /if ?><?cs if:Next ?><a class="btn" id="next-page" href="/audit/?<?cs var:Filter.query ?>&amp;before=<?cs var:Next ?>"><?cs var:Lang.adm.next_page ?></a><?cs /if ?></p>
</section>
