<?cs call:admin_nav("base") ?>
<section class="card">
  <h1><?cs var:Lang.adm.base ?></h1>
  <?cs call:messages() ?>
  <table class="grid">
    <thead><tr><th><?cs var:Lang.adm.kind ?></th><th><?cs var:Lang.adm.items ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:k = Kinds ?>
      <tr><td><a href="/admin/base/kind?k=<?cs var:url_escape(k.code) ?>"><?cs var:k.name ?></a></td><td><?cs var:k.items ?></td>
      <td><a href="/admin/import?kind=base:<?cs var:url_escape(k.code) ?>"><?cs var:Lang.adm.import ?></a> · <a href="/admin/export?what=base:<?cs var:url_escape(k.code) ?>&amp;fmt=xlsx">XLSX</a></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
</section>
<section class="card card-form">
  <h2><?cs var:Lang.adm.kind_new ?></h2>
  <p class="hint"><?cs var:Lang.adm.kind_new_hint ?></p>
  <?cs call:form_post("/admin/base/kinds") ?>
    <label for="name"><?cs var:Lang.col.name ?></label><input id="name" name="name" type="text" maxlength="32" value="<?cs var:Form.name ?>" placeholder="锅炉" required>
    <label for="code"><?cs var:Lang.adm.kind_code ?></label><input id="code" name="code" type="text" maxlength="32" value="<?cs var:Form.code ?>">
    <label for="fields"><?cs var:Lang.adm.fields ?></label><textarea id="fields" name="fields" rows="5" placeholder="<?cs var:Lang.adm.fields_example ?>"><?cs var:Form.fields ?></textarea>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.adm.create ?></button>
  </form>
</section>
