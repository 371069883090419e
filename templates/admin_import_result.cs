<?cs call:admin_nav("import") ?>
<section class="card">
  <h1><?cs var:Result.kind_name ?> · <?cs if:Result.applied == "1" ?><?cs var:Lang.imp.done_title ?><?cs else ?><?cs var:Lang.imp.check_title ?><?cs /if ?></h1>
  <?cs if:Result.file_msg ?>
    <p class="msg msg-error" role="alert"><?cs var:Result.file_msg ?><?cs if:Result.file_detail ?> <?cs var:Lang.imp.missing ?><?cs var:Result.file_detail ?><?cs /if ?></p>
  <?cs else ?>
    <dl class="facts">
      <dt><?cs var:Lang.imp.file ?></dt><dd><?cs var:Result.filename ?> (<?cs var:Result.encoding ?>)</dd>
      <dt>SHA-256</dt><dd><code class="small"><?cs var:Result.sha256 ?></code></dd>
    </dl>
    <p class="summary" id="summary"><?cs var:Lang.imp.rows ?> <b><?cs var:Result.rows ?></b> · <?cs var:Lang.imp.new ?> <b><?cs var:Result.new ?></b> · <?cs var:Lang.imp.updated ?> <b><?cs var:Result.updated ?></b> · <?cs var:Lang.imp.same ?> <b><?cs var:Result.same ?></b> · <?cs var:Lang.imp.errors ?> <b><?cs var:Result.errors ?></b></p>
    <?cs if:Result.errors > 0 ?>
      <p class="msg msg-error" role="alert"><?cs var:Lang.imp.has_errors ?></p>
      <table class="grid errors">
        <thead><tr><th><?cs var:Lang.imp.row ?></th><th><?cs var:Lang.imp.column ?></th><th><?cs var:Lang.imp.value ?></th><th><?cs var:Lang.imp.problem ?></th></tr></thead>
        <tbody><?cs each:e = Errors ?><tr><td><?cs var:e.row ?></td><td><?cs var:e.column ?></td><td><code><?cs var:e.value ?></code></td><td><?cs var:e.msg ?></td></tr><?cs /each ?></tbody>
      </table>
      <?cs if:Result.shown < Result.errors ?><p class="hint"><?cs var:Lang.imp.more_errors ?></p><?cs /if ?>
    <?cs elif:Result.applied == "1" ?>
      <p class="msg msg-ok" role="status"><?cs var:Lang.imp.applied_msg ?></p>
      <?cs if:Result.codes > 0 ?><p><?cs var:Lang.imp.codes_msg ?> <a class="btn" href="/admin/import/codes?batch=<?cs var:Batch.id ?>&amp;fmt=pdf"><?cs var:Lang.imp.codes_pdf ?></a> <a class="btn" href="/admin/import/codes?batch=<?cs var:Batch.id ?>&amp;fmt=csv"><?cs var:Lang.imp.codes_csv ?></a></p>
        <?cs call:form_post("/admin/import/codes/clear") ?><input type="hidden" name="batch" value="<?cs var:Batch.id ?>"><button type="submit" class="btn"><?cs var:Lang.imp.codes_clear ?></button></form><?cs /if ?>
    <?cs elif:Batch.id > 0 ?>
      <p class="msg msg-ok" role="status"><?cs var:Lang.imp.ready ?></p>
      <?cs call:form_post("/admin/import/apply") ?><input type="hidden" name="batch" value="<?cs var:Batch.id ?>"><button type="submit" class="btn btn-primary" id="confirm"><?cs var:Lang.imp.confirm ?></button></form>
    <?cs /if ?>
  <?cs /if ?>
  <p><a href="/admin/import?kind=<?cs var:url_escape(Result.kind) ?>"><?cs var:Lang.imp.again ?></a></p>
</section>
