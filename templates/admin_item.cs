<?cs call:admin_nav("base") ?>
<section class="card card-form">
  <h1><?cs var:Kind.name ?> · <?cs if:Item.id ?><?cs var:Lang.adm.edit ?><?cs else ?><?cs var:Lang.adm.item_new ?><?cs /if ?></h1>
  <?cs call:messages() ?>
  <?cs call:form_post("/admin/base/item") ?>
    <input type="hidden" name="k" value="<?cs var:Kind.code ?>"><input type="hidden" name="id" value="<?cs var:Item.id ?>"><input type="hidden" name="version" value="<?cs var:Item.version ?>">
    <label for="code"><?cs var:Lang.col.code ?></label><input id="code" name="code" type="text" maxlength="64" value="<?cs var:Item.code ?>" required>
    <label for="name"><?cs var:Lang.col.name ?></label><input id="name" name="name" type="text" maxlength="100" value="<?cs var:Item.name ?>" required>
    <label for="unit"><?cs var:Lang.col.unit ?></label><?cs call:unit_select("unit", UnitOpts, Item.unit, 1) ?>
    <?cs each:f = Fields ?>
    <label for="a<?cs var:f.col ?>"><?cs var:f.label ?><?cs if:f.required == "1" ?> *<?cs /if ?></label><input id="a<?cs var:f.col ?>" name="a<?cs var:f.col ?>" type="text" maxlength="200" value="<?cs var:f.value ?>"<?cs if:f.type != "text" ?> inputmode="decimal"<?cs /if ?><?cs if:f.required == "1" ?> required<?cs /if ?><?cs if:f.error ?> aria-invalid="true" aria-describedby="a<?cs var:f.col ?>-error"<?cs /if ?>><?cs if:f.error ?><span class="field-error" id="a<?cs var:f.col ?>-error"><?cs var:f.error ?></span><?cs /if ?>
    <?cs /each ?>
    <label for="active"><?cs var:Lang.col.state ?></label><select id="active" name="active"><option value="1"<?cs if:Item.active == "1" ?> selected<?cs /if ?>><?cs var:Lang.adm.active ?></option><option value="0"<?cs if:Item.active == "0" ?> selected<?cs /if ?>><?cs var:Lang.adm.inactive ?></option></select>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.adm.save ?></button>
  </form>
  <p><a href="/admin/base/kind?k=<?cs var:url_escape(Kind.code) ?>"><?cs var:Lang.nav.back ?></a></p>
</section>
