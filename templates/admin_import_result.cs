<?cs call:admin_nav("import") ?>
<section class="card">
  <h1><?cs var:Result.kind_name ?> · <?cs if:Result.applied == "1" ?><?cs var:Lang.imp.done_title ?><?cs else ?><?cs var:Lang.imp.check_title ?><?cs /if ?></h1>
  <?cs if:Form.Notice ?><p class="msg msg-ok" role="status"><?cs var:Form.Notice ?></p><?cs /if ?>
  <?cs if:Result.file_msg ?>
    <p class="msg msg-error" role="alert"><?cs var:Result.file_msg ?><?cs if:Result.file_detail ?> <?cs var:Lang.imp.missing ?><?cs var:Result.file_detail ?><?cs /if ?></p>
  <?cs /if ?>
  <?cs if:Result.encoding ?>
    <dl class="facts">
      <dt><?cs var:Lang.imp.file ?></dt><dd><?cs var:Result.filename ?> (<?cs var:Result.encoding ?>)</dd>
      <dt><?cs var:Lang.imp.fingerprint ?></dt><dd><code class="small"><?cs var:Result.sha256 ?></code></dd>
      <?cs if:Result.header_row > 0 ?><dt><?cs var:Lang.imp.header_row ?></dt><dd><?cs var:Lang.imp.row_prefix ?> <?cs var:Result.header_row ?> <?cs var:Lang.imp.row_suffix ?></dd><?cs /if ?>
    </dl>
  <?cs /if ?>
  <?cs if:Result.checked == "1" ?>
    <p class="summary" id="summary"><?cs var:Lang.imp.rows ?> <b><?cs var:Result.rows ?></b> · <?cs var:Lang.imp.new ?> <b><?cs var:Result.new ?></b> · <?cs var:Lang.imp.updated ?> <b><?cs var:Result.updated ?></b> · <?cs var:Lang.imp.same ?> <b><?cs var:Result.same ?></b> · <?cs var:Lang.imp.errors ?> <b><?cs var:Result.errors ?></b> · <?cs var:Lang.imp.error_rows ?> <b><?cs var:Result.error_rows ?></b></p>
    <p class="hint"><?cs var:Lang.imp.counts_add_up ?></p>
  <?cs /if ?>
  <?cs if:subcount(Adopt) > 0 && Result.applied != "1" ?>
    <div class="msg msg-warn" id="adopt"><p><b><?cs var:Lang.imp.adopt_title ?></b></p>
      <ul class="plain"><?cs each:x = Adopt ?><li><?cs if:x.what == "root" ?><?cs var:Lang.imp.adopt_root ?><?cs else ?><?cs var:Lang.imp.adopt_info ?><?cs /if ?>：<?cs var:x.old_name ?> <code><?cs var:x.old_code ?></code> → <?cs var:x.new_name ?> <code><?cs var:x.new_code ?></code></li><?cs /each ?></ul>
      <p><?cs var:Lang.imp.adopt_note ?></p></div>
  <?cs /if ?>
  <?cs if:Result.need_map == "1" ?>
    <p class="msg msg-error" role="alert" id="need-map"><?cs var:Lang.imp.need_map ?></p>
  <?cs /if ?>
  <?cs if:subcount(Cols) > 0 && Result.applied != "1" ?>
    <h2><?cs var:Lang.imp.cols_title ?></h2>
    <p class="hint"><?cs var:Lang.imp.cols_hint ?></p>
    <?cs call:form_post("/admin/import/map") ?><input type="hidden" name="upload" value="<?cs var:Result.upload ?>">
    <div class="scroll"><table class="grid cols" id="cols">
      <thead><tr><th><?cs var:Lang.imp.col_letter ?></th><th><?cs var:Lang.imp.col_header ?></th><th><?cs var:Lang.imp.col_sample ?></th><th><?cs var:Lang.imp.col_state ?></th><th><?cs var:Lang.imp.col_map ?></th></tr></thead>
      <tbody>
      <?cs each:c = Cols ?>
        <tr class="st-<?cs var:c.state ?>"><td><?cs var:c.letter ?></td><td><?cs if:c.header ?><?cs var:c.header ?><?cs else ?><span class="hint"><?cs var:Lang.imp.no_header ?></span><?cs /if ?></td><td class="small"><?cs var:c.sample ?></td>
        <td><?cs if:c.state == "auto" ?><?cs var:c.label ?>（<?cs var:Lang.imp.st_auto ?>）<?cs
          elif:c.state == "saved" ?><?cs var:c.label ?>（<?cs var:Lang.imp.st_saved ?>）<?cs
          elif:c.state == "new" ?><?cs var:Lang.imp.st_new ?><?cs
          elif:c.state == "ignored" ?><?cs var:Lang.imp.st_ignored ?><?cs
          elif:c.state == "dup" ?><span class="no"><?cs var:Lang.imp.st_dup ?> <?cs var:c.dup_letter ?></span><?cs
          elif:c.state == "legacy" ?><span class="no"><?cs var:Lang.imp.st_legacy ?></span><?cs
          else ?><span class="no"><?cs var:Lang.imp.st_unknown ?></span><?cs /if ?></td>
        <td><select name="m<?cs var:c.col ?>" aria-label="<?cs var:Lang.imp.col_map ?> <?cs var:c.letter ?>">
          <option value=""<?cs if:c.field == "" ?> selected<?cs /if ?>><?cs var:Lang.imp.opt_choose ?></option>
          <?cs each:f = FieldOpts ?><option value="<?cs var:f.key ?>"<?cs if:c.field == f.key ?> selected<?cs /if ?>><?cs var:f.label ?></option><?cs /each ?>
          <?cs if:Result.is_base == "1" ?><option value="+"<?cs if:c.field == "+" ?> selected<?cs /if ?>><?cs var:Lang.imp.opt_new ?></option><?cs /if ?>
          <option value="-"<?cs if:c.field == "-" ?> selected<?cs /if ?>><?cs var:Lang.imp.opt_ignore ?></option>
        </select></td></tr>
      <?cs /each ?>
      </tbody>
    </table></div>
    <?cs if:subcount(Words) > 0 ?>
      <h2><?cs var:Lang.imp.words_title ?></h2>
      <p class="hint"><?cs var:Lang.imp.words_hint ?></p>
      <table class="grid words" id="words">
        <thead><tr><th><?cs var:Lang.imp.word ?></th><th><?cs var:Lang.imp.word_rows ?></th><th><?cs var:Lang.imp.word_role ?></th></tr></thead>
        <tbody>
        <?cs each:w = Words ?>
          <tr><td><?cs var:w.word ?></td><td><?cs var:w.rows ?> <?cs var:Lang.imp.row_suffix ?></td><td><input type="hidden" name="wv<?cs var:w.idx ?>" value="<?cs var:w.word ?>">
          <select name="w<?cs var:w.idx ?>" aria-label="<?cs var:Lang.imp.word_role ?> <?cs var:w.word ?>">
            <?cs if:w.builtin != "1" ?><option value=""<?cs if:w.role == "" ?> selected<?cs /if ?>><?cs var:Lang.imp.opt_choose ?></option><?cs /if ?>
            <?cs each:ro = RoleOpts ?><?cs if:w.builtin != "1" || ro.code == "auditor" ?><option value="<?cs var:ro.code ?>"<?cs if:w.role == ro.code ?> selected<?cs /if ?>><?cs var:ro.name ?><?cs if:ro.code == "auditor" ?><?cs var:Lang.imp.auditor_now ?><?cs /if ?></option><?cs /if ?><?cs /each ?>
            <option value="auditor+pending"<?cs if:w.role == "auditor+pending" ?> selected<?cs /if ?>><?cs var:Lang.imp.auditor_pending ?></option>
            <?cs if:w.builtin != "1" ?><option value="-"<?cs if:w.role == "-" ?> selected<?cs /if ?>><?cs var:Lang.imp.role_none ?></option><?cs /if ?>
          </select></td></tr>
        <?cs /each ?>
        </tbody>
      </table>
    <?cs /if ?>
    <button type="submit" class="btn" id="remap"><?cs var:Lang.imp.remap ?></button>
    </form>
  <?cs /if ?>
  <?cs if:Result.errors > 0 ?>
    <p class="msg msg-error" role="alert"><?cs var:Lang.imp.has_errors ?></p>
    <table class="grid errors">
      <thead><tr><th><?cs var:Lang.imp.row ?></th><th><?cs var:Lang.imp.column ?></th><th><?cs var:Lang.imp.value ?></th><th><?cs var:Lang.imp.problem ?></th></tr></thead>
      <tbody><?cs each:e = Errors ?><tr><td><?cs var:e.row ?></td><td><?cs var:e.column ?></td><td><code><?cs var:e.value ?></code></td><td><?cs var:e.msg ?></td></tr><?cs /each ?></tbody>
    </table>
    <?cs if:Result.shown < Result.errors ?><p class="hint"><?cs var:Lang.imp.more_errors ?></p><?cs /if ?>
  <?cs /if ?>
  <?cs if:subcount(Warnings) > 0 ?>
    <h2><?cs var:Lang.imp.warn_title ?></h2>
    <table class="grid warnings" id="warnings">
      <thead><tr><th><?cs var:Lang.imp.row ?></th><th><?cs var:Lang.imp.column ?></th><th><?cs var:Lang.imp.value ?></th><th><?cs var:Lang.imp.problem ?></th></tr></thead>
      <tbody><?cs each:e = Warnings ?><tr><td><?cs var:e.row ?></td><td><?cs var:e.column ?></td><td><code><?cs var:e.value ?></code></td><td><?cs var:e.msg ?></td></tr><?cs /each ?></tbody>
    </table>
  <?cs /if ?>
  <?cs if:Result.applied == "1" ?>
      <p class="msg msg-ok" role="status"><?cs var:Lang.imp.applied_msg ?></p>
      <?cs if:Result.codes > 0 ?><p><?cs var:Lang.imp.codes_msg ?> <a class="btn" href="/admin/import/codes?batch=<?cs var:Batch.id ?>&amp;fmt=pdf"><?cs var:Lang.imp.codes_pdf ?></a> <a class="btn" href="/admin/import/codes?batch=<?cs var:Batch.id ?>&amp;fmt=csv"><?cs var:Lang.imp.codes_csv ?></a></p>
        <?cs call:form_post("/admin/import/codes/clear") ?><input type="hidden" name="batch" value="<?cs var:Batch.id ?>"><button type="submit" class="btn"><?cs var:Lang.imp.codes_clear ?></button></form><?cs /if ?>
  <?cs elif:Batch.id > 0 ?>
      <p class="msg msg-ok" role="status"><?cs var:Lang.imp.ready ?></p>
      <?cs call:form_post("/admin/import/apply") ?><input type="hidden" name="batch" value="<?cs var:Batch.id ?>"><button type="submit" class="btn btn-primary" id="confirm"><?cs var:Lang.imp.confirm ?></button></form>
  <?cs /if ?>
  <?cs if:subcount(Pending) > 0 ?>
    <div class="msg msg-warn" id="pending"><p><?cs var:Lang.imp.pending_intro ?></p>
      <ul class="plain"><?cs each:p = Pending ?><li><?cs var:p.name ?> <code><?cs var:p.login ?></code>：<code>diaodu-ctl activation-code <?cs var:p.login ?></code></li><?cs /each ?></ul>
      <p><?cs var:Lang.imp.pending_note ?></p></div>
  <?cs /if ?>
  <?cs if:subcount(Preview) > 0 ?>
    <h2><?cs if:Result.applied == "1" ?><?cs var:Lang.imp.preview_done ?><?cs else ?><?cs var:Lang.imp.preview_title ?><?cs /if ?></h2>
    <?cs if:Result.preview_more > 0 ?><p class="hint"><?cs var:Lang.imp.preview_more ?></p><?cs /if ?>
    <div class="scroll"><table class="grid tree preview" id="preview">
      <thead><tr><th><?cs var:Lang.imp.row ?></th><th><?cs var:Lang.imp.change ?></th><th><?cs var:Lang.imp.record ?></th><th><?cs var:Lang.imp.details ?></th></tr></thead>
      <tbody>
      <?cs each:p = Preview ?>
        <tr class="pv-<?cs var:p.status ?>"><td><?cs var:p.row ?></td><td><?cs if:p.status == "new" ?><?cs var:Lang.imp.new ?><?cs else ?><?cs var:Lang.imp.updated ?><?cs /if ?></td>
        <td class="d<?cs var:p.depth ?>"><?cs var:p.name ?> <code><?cs var:p.key ?></code></td>
        <td><?cs each:x = p.Chg ?><span class="chg"><?cs var:x.label ?>：<?cs if:p.status == "new" ?><?cs var:x.now ?><?cs else ?><del><?cs var:x.old ?></del> → <ins><?cs var:x.now ?></ins><?cs /if ?></span><?cs /each ?></td></tr>
      <?cs /each ?>
      </tbody>
    </table></div>
  <?cs /if ?>
  <p><a href="/admin/import?kind=<?cs var:url_escape(Result.kind) ?>"><?cs var:Lang.imp.again ?></a></p>
</section>
