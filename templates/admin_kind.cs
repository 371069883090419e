<?cs call:admin_nav("base") ?>
<section class="card">
  <h1><?cs var:Kind.name ?></h1>
  <?cs call:messages() ?>
  <p class="tools"><a class="btn" href="/admin/base/item?k=<?cs var:url_escape(Kind.code) ?>"><?cs var:Lang.adm.item_new ?></a> <?cs var:Lang.adm.export ?>: <a href="/admin/export?what=base:<?cs var:url_escape(Kind.code) ?>&amp;fmt=csv">CSV</a> · <a href="/admin/export?what=base:<?cs var:url_escape(Kind.code) ?>&amp;fmt=xlsx">XLSX</a> · <a href="/admin/import?kind=base:<?cs var:url_escape(Kind.code) ?>"><?cs var:Lang.adm.import ?></a></p>
  <p class="hint"><?cs var:Lang.adm.items_order ?></p>
  <div class="scroll"><table class="grid">
    <thead><tr><th><?cs var:Lang.col.code ?></th><th><?cs var:Lang.col.name ?></th><th><?cs var:Lang.col.unit ?></th><?cs each:f = Fields ?><th><?cs var:f.label ?></th><?cs /each ?><th><?cs var:Lang.col.state ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:it = Items ?>
      <tr class="<?cs if:it.active != "1" ?>inactive<?cs /if ?>"><td><code><?cs var:it.code ?></code></td><td><?cs var:it.name ?></td><td><?cs var:it.unit_name ?></td><?cs each:f = Fields ?><td><?cs var:it["a" + f.col] ?></td><?cs /each ?><td><?cs if:it.active == "1" ?><?cs var:Lang.adm.active ?><?cs else ?><?cs var:Lang.adm.inactive ?><?cs /if ?></td><td><a href="/admin/base/item?k=<?cs var:url_escape(Kind.code) ?>&amp;id=<?cs var:it.id ?>"><?cs var:Lang.adm.edit ?></a></td></tr>
    <?cs /each ?>
    </tbody>
  </table></div>
  <?cs if:Next ?><p><a class="btn" href="/admin/base/kind?k=<?cs var:url_escape(Kind.code) ?>&amp;after=<?cs var:url_escape(Next) ?>"><?cs var:Lang.adm.next_page ?></a></p><?cs /if ?>
</section>
