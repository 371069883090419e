<?cs # entry_macros.cs -- macros of the sheet pages (included by entry_*.cs
     and portal.cs).  A cell's input is named h.<code> in the header and
     row.<i>.<code> in the rows; its message, when there is one, sits right
     after it and is tied to it with aria-describedby. ?><?cs
def:entry_nav(here) ?><nav class="subnav"><a href="/entry/"<?cs if:here == "home" ?> class="on"<?cs /if ?>><?cs var:Lang.entry.nav_today ?></a><a href="/entry/list"<?cs if:here == "list" ?> class="on"<?cs /if ?>><?cs var:Lang.entry.nav_list ?></a><?cs if:User.Cap.Entry || User.Cap.Admin ?><a href="/entry/import"<?cs if:here == "import" ?> class="on"<?cs /if ?>><?cs var:Lang.entry.nav_import ?></a><?cs /if ?></nav><?cs /def ?><?cs
def:status_badge(st, late) ?><span class="st st-<?cs var:st ?>"><?cs var:Lang.entry.st[st] ?></span><?cs if:late == "1" ?> <span class="st st-late"><?cs var:Lang.entry.late ?></span><?cs /if ?><?cs /def ?><?cs
def:cell_input(f, c, nm, id, lbl) ?><?cs
  if:f.type == "computed" ?><output id="<?cs var:id ?>" class="computed" aria-label="<?cs var:lbl ?>"><?cs if:c.shown ?><?cs var:c.shown ?><?cs else ?><span class="muted"><?cs var:Lang.entry.computed_on_save ?></span><?cs /if ?></output><?cs
  elif:f.type == "textarea" ?><textarea id="<?cs var:id ?>" name="<?cs var:nm ?>" rows="2" maxlength="<?cs var:f.maxlen ?>" aria-label="<?cs var:lbl ?>"<?cs if:c.err ?> aria-invalid="true" aria-describedby="e-<?cs var:id ?>"<?cs /if ?>><?cs var:c.raw ?></textarea><?cs
  elif:f.type == "select" ?><select id="<?cs var:id ?>" name="<?cs var:nm ?>" aria-label="<?cs var:lbl ?>"<?cs if:c.err ?> aria-invalid="true" aria-describedby="e-<?cs var:id ?>"<?cs /if ?>><option value=""></option><?cs set:found = 0 ?><?cs each:o = f.opt ?><option<?cs if:o == c.raw ?> selected<?cs set:found = 1 ?><?cs /if ?>><?cs var:o ?></option><?cs /each ?><?cs if:found == 0 && c.raw != "" ?><option selected><?cs var:c.raw ?></option><?cs /if ?></select><?cs
  elif:f.type == "lookup" ?><?cs
    if:Search[f.code] ?><input id="<?cs var:id ?>" name="<?cs var:nm ?>" type="text" list="dl-<?cs var:f.code ?>" value="<?cs var:c.shown ?>" autocomplete="off" aria-label="<?cs var:lbl ?>" placeholder="<?cs var:Lang.entry.search_hint ?>"<?cs if:c.err ?> aria-invalid="true" aria-describedby="e-<?cs var:id ?>"<?cs /if ?>><?cs
    else ?><select id="<?cs var:id ?>" name="<?cs var:nm ?>" aria-label="<?cs var:lbl ?>"<?cs if:c.err ?> aria-invalid="true" aria-describedby="e-<?cs var:id ?>"<?cs /if ?>><option value=""></option><?cs set:found = 0 ?><?cs each:o = Opts[f.code] ?><option value="<?cs var:o.code ?>"<?cs if:o.code == c.raw ?> selected<?cs set:found = 1 ?><?cs /if ?>><?cs var:o.label ?></option><?cs /each ?><?cs if:found == 0 && c.raw != "" ?><option value="<?cs var:c.raw ?>" selected><?cs var:c.shown ?></option><?cs /if ?></select><?cs /if ?><?cs
  else ?><input id="<?cs var:id ?>" name="<?cs var:nm ?>" type="text" value="<?cs var:c.raw ?>"<?cs if:f.maxlen ?> maxlength="<?cs var:f.maxlen ?>"<?cs /if ?><?cs if:f.type == "integer" || f.type == "decimal" ?> inputmode="decimal" class="num"<?cs elif:f.type == "date" || f.type == "time" ?> class="when" placeholder="<?cs var:f.hint ?>"<?cs /if ?> aria-label="<?cs var:lbl ?>"<?cs if:c.err ?> aria-invalid="true" aria-describedby="e-<?cs var:id ?>"<?cs /if ?>><?cs
  /if ?><?cs if:c.err ?><span class="ferr" id="e-<?cs var:id ?>"><?cs var:c.err ?></span><?cs /if ?><?cs /def ?><?cs
def:cell_value(f, c) ?><?cs if:f.type == "lookup" ?><?cs var:c.shown ?><?cs else ?><?cs var:c.raw ?><?cs /if ?><?cs if:c.raw != "" && f.unit ?> <span class="unit"><?cs var:f.unit ?></span><?cs /if ?><?cs /def ?><?cs
def:today_table() ?><?cs if:TodayCount == "0" ?><p class="hint"><?cs var:Lang.entry.today_none ?></p><?cs else ?>
  <p class="summary" id="due"><?cs if:TodayDue == "0" ?><?cs var:Lang.entry.due_none ?><?cs else ?><?cs var:Lang.entry.due_pre ?> <b><?cs var:TodayDue ?></b> <?cs var:Lang.entry.due_post ?><?cs /if ?></p>
  <div class="scroll"><table class="grid today">
    <thead><tr><th><?cs var:Lang.entry.col_form ?></th><th><?cs var:Lang.entry.col_unit ?></th><th><?cs var:Lang.entry.col_period ?></th><th><?cs var:Lang.entry.col_status ?></th><th><?cs var:Lang.entry.col_cutoff ?></th><th><?cs var:Lang.entry.col_action ?></th></tr></thead>
    <tbody>
    <?cs each:t = Today ?><?cs if:t.form ?>
      <tr><td><?cs var:t.form_name ?></td><td><?cs var:t.unit_name ?></td><td><?cs var:t.period_label ?></td><td><?cs call:status_badge(t.status, t.late) ?></td><td><?cs var:t.cutoff ?></td>
      <td><?cs if:t.id != "0" ?><?cs if:t.status == "draft" || t.status == "returned" ?><a href="/entry/edit?id=<?cs var:t.id ?>"><?cs var:Lang.entry.go_edit ?></a><?cs else ?><a href="/entry/view?id=<?cs var:t.id ?>"><?cs var:Lang.entry.go_view ?></a><?cs /if ?><?cs elif:t.state == "early" ?><span class="muted"><?cs var:Lang.entry.state.early ?></span><?cs else ?><a href="/entry/new?form=<?cs var:url_escape(t.form) ?>&amp;unit=<?cs var:t.unit_id ?>&amp;period=<?cs var:url_escape(t.period) ?>"><?cs var:Lang.entry.go_new ?></a><?cs /if ?></td></tr>
    <?cs /if ?><?cs /each ?>
    </tbody>
  </table></div><?cs /if ?><?cs /def ?>
