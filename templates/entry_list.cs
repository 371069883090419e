<?cs include:"entry_macros.cs" ?><?cs call:entry_nav("list") ?>
<section class="card">
  <h1><?cs var:Lang.entry.list_title ?></h1>
  <?cs call:messages() ?>
  <form method="get" action="/entry/list" class="filters">
    <label for="f-form"><?cs var:Lang.entry.col_form ?></label><select id="f-form" name="form"><option value=""><?cs var:Lang.entry.all ?></option><?cs each:f = Forms ?><option value="<?cs var:f.code ?>"<?cs if:f.code == Filter.form ?> selected<?cs /if ?>><?cs var:f.name ?></option><?cs /each ?></select>
    <label for="f-unit"><?cs var:Lang.entry.col_unit ?></label><select id="f-unit" name="unit"><option value="0"><?cs var:Lang.entry.all ?></option><?cs each:u = Units ?><option value="<?cs var:u.id ?>"<?cs if:u.id == Filter.unit ?> selected<?cs /if ?>><?cs var:u.label ?></option><?cs /each ?></select>
    <label for="f-status"><?cs var:Lang.entry.col_status ?></label><select id="f-status" name="status"><option value=""><?cs var:Lang.entry.all ?></option><?cs each:s = Lang.entry.st ?><?cs if:name(s) != "none" && name(s) != "new" ?><option value="<?cs var:name(s) ?>"<?cs if:name(s) == Filter.status ?> selected<?cs /if ?>><?cs var:s ?></option><?cs /if ?><?cs /each ?></select>
    <label for="f-from"><?cs var:Lang.entry.from ?></label><input id="f-from" name="from" type="text" class="when" placeholder="2026-01-01" value="<?cs var:Filter.from ?>">
    <label for="f-to"><?cs var:Lang.entry.to ?></label><input id="f-to" name="to" type="text" class="when" placeholder="2026-01-31" value="<?cs var:Filter.to ?>">
    <button type="submit" class="btn"><?cs var:Lang.entry.filter ?></button>
  </form>
  <p class="hint"><?cs var:Lang.entry.list_order ?></p>
  <div class="scroll"><table class="grid entries">
    <thead><tr><th><?cs var:Lang.entry.col_period ?></th><th><?cs var:Lang.entry.col_form ?></th><th><?cs var:Lang.entry.col_unit ?></th><th><?cs var:Lang.entry.col_status ?></th><th><?cs var:Lang.entry.col_rows ?></th><th><?cs var:Lang.entry.col_updated ?></th><th></th></tr></thead>
    <tbody>
    <?cs each:e = List ?>
      <tr><td><?cs var:e.period_label ?></td><td><?cs var:e.form_name ?></td><td><?cs var:e.unit_name ?></td><td><?cs call:status_badge(e.status, e.late) ?></td><td><?cs var:e.nrows ?></td><td><?cs var:e.updated_local ?></td>
      <td><a href="/entry/view?id=<?cs var:e.id ?>"><?cs var:Lang.entry.go_view ?></a></td></tr>
    <?cs /each ?>
    </tbody>
  </table></div>
  <?cs if:subcount(List) == 0 ?><p class="hint" id="empty"><?cs var:Lang.entry.list_empty ?></p><?cs /if ?>
  <?cs if:Next ?><p><a class="btn" id="next" href="/entry/list?form=<?cs var:url_escape(Filter.form) ?>&amp;unit=<?cs var:Filter.unit ?>&amp;status=<?cs var:url_escape(Filter.status) ?>&amp;from=<?cs var:url_escape(Filter.from) ?>&amp;to=<?cs var:url_escape(Filter.to) ?>&amp;after=<?cs var:url_escape(Next) ?>"><?cs var:Lang.adm.next_page ?></a></p><?cs /if ?>
</section>
<?cs if:User.Cap.Entry ?>
<section class="card card-form">
  <h2><?cs var:Lang.entry.new_title ?></h2>
  <p class="hint"><?cs var:Lang.entry.new_hint ?></p>
  <form method="get" action="/entry/new" class="inline">
    <label for="n-form"><?cs var:Lang.entry.col_form ?></label><select id="n-form" name="form"><?cs each:f = Forms ?><option value="<?cs var:f.code ?>"><?cs var:f.name ?></option><?cs /each ?></select>
    <label for="n-unit"><?cs var:Lang.entry.col_unit ?></label><select id="n-unit" name="unit"><?cs each:u = EntryUnits ?><option value="<?cs var:u.id ?>"><?cs var:u.label ?></option><?cs /each ?></select>
    <label for="n-date"><?cs var:Lang.entry.date ?></label><input id="n-date" name="date" type="text" class="when" value="<?cs var:Now.date ?>">
    <label for="n-shift"><?cs var:Lang.entry.shift ?></label><select id="n-shift" name="shift"><?cs each:s = Shifts ?><option value="<?cs var:s.n ?>"><?cs var:Lang.entry.shift_n ?><?cs var:s.n ?> (<?cs var:s.start ?>)</option><?cs /each ?></select>
    <label class="check"><input type="checkbox" name="copy" value="1"> <?cs var:Lang.entry.copy_prev ?></label>
    <button type="submit" class="btn btn-primary"><?cs var:Lang.entry.go_new ?></button>
  </form>
</section>
<?cs /if ?>
<?cs if:User.Cap.Dispatch ?>
<section class="card card-form">
  <h2><?cs var:Lang.entry.reopen_title ?></h2>
  <p class="hint"><?cs var:Lang.entry.reopen_hint ?></p>
  <?cs call:form_post("/entry/reopen") ?>
    <label for="r-form"><?cs var:Lang.entry.col_form ?></label><select id="r-form" name="form"><?cs each:f = Forms ?><option value="<?cs var:f.code ?>"><?cs var:f.name ?></option><?cs /each ?></select>
    <label for="r-unit"><?cs var:Lang.entry.col_unit ?></label><select id="r-unit" name="unit"><?cs each:u = Units ?><option value="<?cs var:u.id ?>"><?cs var:u.label ?></option><?cs /each ?></select>
    <label for="r-date"><?cs var:Lang.entry.date ?></label><input id="r-date" name="date" type="text" class="when" value="<?cs var:Now.date ?>">
    <label for="r-shift"><?cs var:Lang.entry.shift ?></label><select id="r-shift" name="shift"><?cs each:s = Shifts ?><option value="<?cs var:s.n ?>"><?cs var:Lang.entry.shift_n ?><?cs var:s.n ?> (<?cs var:s.start ?>)</option><?cs /each ?></select>
    <label for="r-reason"><?cs var:Lang.entry.reopen_reason ?></label><textarea id="r-reason" name="reason" rows="2" maxlength="500" required><?cs var:Reopen.reason ?></textarea>
    <button type="submit" class="btn"><?cs var:Lang.entry.reopen ?></button>
  </form>
</section>
<?cs /if ?>
