<?cs call:admin_nav("import") ?>
<section class="card card-form">
  <h1><?cs var:Lang.adm.import ?></h1>
  <p class="hint"><?cs var:Lang.imp.intro ?></p>
  <?cs call:form_upload("/admin/import/check") ?>
    <label for="kind"><?cs var:Lang.imp.kind ?></label>
    <select id="kind" name="kind">
      <option value="units"<?cs if:Import.kind == "units" ?> selected<?cs /if ?>><?cs var:Lang.adm.units ?></option>
      <option value="users"<?cs if:Import.kind == "users" ?> selected<?cs /if ?>><?cs var:Lang.adm.users ?></option>
      <?cs each:k = Kinds ?><?cs if:k.active == "1" ?><option value="base:<?cs var:k.code ?>"<?cs if:Import.kind == "base:" + k.code ?> selected<?cs /if ?>><?cs var:Lang.adm.base ?> · <?cs var:k.name ?></option><?cs /if ?><?cs /each ?>
    </select>
    <label for="file"><?cs var:Lang.imp.file ?></label>
    <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required>
    <p class="hint"><?cs var:Lang.imp.file_hint ?> <?cs var:Import.max_mb ?> MB</p>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.imp.check ?></button>
  </form>
  <h2><?cs var:Lang.imp.templates ?></h2>
  <ul class="plain">
    <li><?cs var:Lang.adm.units ?>: <a href="/admin/import/template?kind=units&amp;fmt=csv">CSV</a> · <a href="/admin/import/template?kind=units&amp;fmt=xlsx">XLSX</a></li>
    <li><?cs var:Lang.adm.users ?>: <a href="/admin/import/template?kind=users&amp;fmt=csv">CSV</a> · <a href="/admin/import/template?kind=users&amp;fmt=xlsx">XLSX</a></li>
    <?cs each:k = Kinds ?><?cs if:k.active == "1" ?><li><?cs var:k.name ?>: <a href="/admin/import/template?kind=base:<?cs var:url_escape(k.code) ?>&amp;fmt=csv">CSV</a> · <a href="/admin/import/template?kind=base:<?cs var:url_escape(k.code) ?>&amp;fmt=xlsx">XLSX</a></li><?cs /if ?><?cs /each ?>
  </ul>
</section>
<?cs if:subcount(Batches) > 0 ?>
<section class="card">
  <h2><?cs var:Lang.imp.recent ?></h2>
  <table class="grid">
    <thead><tr><th>#</th><th><?cs var:Lang.imp.kind ?></th><th><?cs var:Lang.imp.file ?></th><th><?cs var:Lang.col.state ?></th><th><?cs var:Lang.imp.new ?></th><th><?cs var:Lang.imp.updated ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:b = Batches ?>
      <tr><td><?cs var:b.id ?></td><td><?cs var:b.kind_name ?></td><td><?cs var:b.filename ?></td><td><?cs if:b.status == "applied" ?><?cs var:Lang.imp.applied ?><?cs else ?><?cs var:Lang.imp.checked ?><?cs /if ?></td><td><?cs var:b.new ?></td><td><?cs var:b.updated ?></td>
      <td><?cs if:b.codes > 0 ?><a href="/admin/import/codes?batch=<?cs var:b.id ?>&amp;fmt=pdf"><?cs var:Lang.imp.codes_pdf ?></a> · <a href="/admin/import/codes?batch=<?cs var:b.id ?>&amp;fmt=csv">CSV</a><?cs /if ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
</section>
<?cs /if ?>
