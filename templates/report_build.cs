<?cs include:"report_macros.cs" ?><?cs call:report_nav("build") ?><?cs
def:field_options(list, sel, none) ?><option value=""><?cs var:none ?></option><?cs each:f = list ?><option value="<?cs var:f.code ?>"<?cs if:f.code == sel ?> selected<?cs /if ?>><?cs var:f.label ?></option><?cs /each ?><?cs /def ?><?cs
def:measure_options(sel) ?><option value=""><?cs var:Lang.report.b_none ?></option><?cs each:i = Slots.m ?><option value="m<?cs var:i ?>"<?cs if:sel == "m" + i ?> selected<?cs /if ?>><?cs var:Lang.report.b_measure ?> <?cs var:i ?></option><?cs /each ?><?cs /def ?>
<section class="card">
  <h1><?cs var:Lang.report.build_title ?></h1>
  <p class="hint"><?cs var:Lang.report.build_hint ?></p>
  <?cs call:messages() ?><?cs if:Form.ErrorArg ?><p class="small" id="error-arg"><?cs var:Form.ErrorArg ?></p><?cs /if ?>
  <form method="get" action="/report/build" class="filters" id="pick-form">
    <?cs if:B.id != "0" ?><input type="hidden" name="id" value="<?cs var:B.id ?>"><?cs /if ?>
    <label for="b-form"><?cs var:Lang.report.b_form ?></label><select id="b-form" name="form"><?cs each:f = Forms ?><option value="<?cs var:f.code ?>"<?cs if:f.code == B.form ?> selected<?cs /if ?>><?cs var:f.name ?></option><?cs /each ?></select>
    <button type="submit" class="btn"><?cs var:Lang.report.b_pick ?></button>
  </form>
  <?cs if:B.form ?>
  <form method="get" action="/report/build" id="builder">
    <input type="hidden" name="form" value="<?cs var:B.form ?>">
    <?cs if:B.id != "0" ?><input type="hidden" name="id" value="<?cs var:B.id ?>"><?cs /if ?>
    <h2><?cs var:Lang.report.b_measures ?></h2>
    <div class="scroll"><table class="grid cols" id="measures"><thead><tr><th scope="col">#</th><th scope="col"><?cs var:Lang.report.b_fn ?></th><th scope="col"><?cs var:Lang.report.b_field ?></th></tr></thead><tbody>
    <?cs each:i = Slots.m ?><tr><td><?cs var:i ?></td>
      <td><select name="m<?cs var:i ?>_fn" aria-label="<?cs var:Lang.report.b_fn ?> <?cs var:i ?>"><option value=""><?cs var:Lang.report.b_none ?></option><?cs each:fn = Fns ?><option value="<?cs var:fn ?>"<?cs if:B["m" + i + "_fn"] == fn ?> selected<?cs /if ?>><?cs var:Lang.report.fn[fn] ?></option><?cs /each ?></select></td>
      <td><select name="m<?cs var:i ?>_field" aria-label="<?cs var:Lang.report.b_field ?> <?cs var:i ?>"><?cs call:field_options(Fields.num, B["m" + i + "_field"], Lang.report.b_rows) ?></select></td></tr><?cs /each ?>
    </tbody></table></div>
    <h2><?cs var:Lang.report.b_group ?></h2>
    <p class="filters"><?cs each:i = Slots.g ?><select name="g<?cs var:i ?>" aria-label="<?cs var:Lang.report.b_group ?> <?cs var:i ?>"><option value=""><?cs var:Lang.report.b_none ?></option><option value="unit"<?cs if:B["g" + i] == "unit" ?> selected<?cs /if ?>><?cs var:Lang.report.dim.unit ?></option><option value="day"<?cs if:B["g" + i] == "day" ?> selected<?cs /if ?>><?cs var:Lang.report.dim.day ?></option><option value="week"<?cs if:B["g" + i] == "week" ?> selected<?cs /if ?>><?cs var:Lang.report.dim.week ?></option><option value="month"<?cs if:B["g" + i] == "month" ?> selected<?cs /if ?>><?cs var:Lang.report.dim.month ?></option><?cs each:f = Fields.group ?><option value="<?cs var:f.code ?>"<?cs if:B["g" + i] == f.code ?> selected<?cs /if ?>><?cs var:f.label ?></option><?cs /each ?></select><?cs /each ?></p>
    <h2><?cs var:Lang.report.b_filters ?></h2>
    <div class="scroll"><table class="grid cols" id="filters"><tbody>
    <?cs each:i = Slots.f ?><tr><td><select name="f<?cs var:i ?>_field" aria-label="<?cs var:Lang.report.b_ffield ?> <?cs var:i ?>"><?cs call:field_options(Fields.all, B["f" + i + "_field"], Lang.report.b_none) ?></select></td>
      <td><select name="f<?cs var:i ?>_op" aria-label="<?cs var:Lang.report.b_op ?> <?cs var:i ?>"><option value="eq"<?cs if:B["f" + i + "_op"] == "eq" ?> selected<?cs /if ?>><?cs var:Lang.report.op.eq ?></option><option value="ne"<?cs if:B["f" + i + "_op"] == "ne" ?> selected<?cs /if ?>><?cs var:Lang.report.op.ne ?></option><option value="ge"<?cs if:B["f" + i + "_op"] == "ge" ?> selected<?cs /if ?>><?cs var:Lang.report.op.ge ?></option><option value="le"<?cs if:B["f" + i + "_op"] == "le" ?> selected<?cs /if ?>><?cs var:Lang.report.op.le ?></option><option value="gt"<?cs if:B["f" + i + "_op"] == "gt" ?> selected<?cs /if ?>><?cs var:Lang.report.op.gt ?></option><option value="lt"<?cs if:B["f" + i + "_op"] == "lt" ?> selected<?cs /if ?>><?cs var:Lang.report.op.lt ?></option></select></td>
      <td><input type="text" name="f<?cs var:i ?>_value" value="<?cs var:B["f" + i + "_value"] ?>" aria-label="<?cs var:Lang.report.b_value ?> <?cs var:i ?>"></td></tr><?cs /each ?>
    </tbody></table></div>
    <h2><?cs var:Lang.report.b_show ?></h2>
    <p class="filters">
      <label for="b-sort"><?cs var:Lang.report.b_sort ?></label><select id="b-sort" name="sort"><?cs call:measure_options(B.sort) ?></select>
      <label class="check" for="b-desc"><input id="b-desc" type="checkbox" name="desc" value="1"<?cs if:B.desc == "1" ?> checked<?cs /if ?>> <?cs var:Lang.report.b_desc ?></label>
      <label for="b-chart"><?cs var:Lang.report.b_chart ?></label><select id="b-chart" name="chart"><?cs call:measure_options(B.chart) ?></select>
      <label for="b-period"><?cs var:Lang.report.b_period ?></label><select id="b-period" name="period"><?cs call:period_options(B.period) ?></select>
    </p>
    <input type="hidden" name="preview" value="1">
    <button type="submit" class="btn" id="preview"><?cs var:Lang.report.b_preview ?></button>
  </form>
  <?cs if:B.preview == "1" ?>
  <section id="preview-result">
    <h2><?cs var:Lang.report.b_preview_title ?></h2>
    <p class="summary"><?cs var:Report.company ?> · <?cs var:Report.unit ?> · <?cs var:Lang.report.period_is ?><?cs var:Report.period ?></p>
    <?cs call:report_chart() ?>
    <?cs call:report_table() ?>
  </section>
  <?cs /if ?>
  <h2><?cs var:Lang.report.b_save ?></h2>
  <?cs call:form_post("/report/save") ?>
    <input type="hidden" name="form" value="<?cs var:B.form ?>"><input type="hidden" name="id" value="<?cs var:B.id ?>">
    <?cs each:i = Slots.m ?><input type="hidden" name="m<?cs var:i ?>_fn" value="<?cs var:B["m" + i + "_fn"] ?>"><input type="hidden" name="m<?cs var:i ?>_field" value="<?cs var:B["m" + i + "_field"] ?>"><?cs /each ?>
    <?cs each:i = Slots.g ?><input type="hidden" name="g<?cs var:i ?>" value="<?cs var:B["g" + i] ?>"><?cs /each ?>
    <?cs each:i = Slots.f ?><input type="hidden" name="f<?cs var:i ?>_field" value="<?cs var:B["f" + i + "_field"] ?>"><input type="hidden" name="f<?cs var:i ?>_op" value="<?cs var:B["f" + i + "_op"] ?>"><input type="hidden" name="f<?cs var:i ?>_value" value="<?cs var:B["f" + i + "_value"] ?>"><?cs /each ?>
    <input type="hidden" name="sort" value="<?cs var:B.sort ?>"><input type="hidden" name="desc" value="<?cs var:B.desc ?>"><input type="hidden" name="chart" value="<?cs var:B.chart ?>"><input type="hidden" name="period" value="<?cs var:B.period ?>">
    <label for="b-name"><?cs var:Lang.report.b_name ?></label><input id="b-name" name="name" type="text" maxlength="40" value="<?cs var:B.name ?>">
    <fieldset class="roles"><legend><?cs var:Lang.report.b_roles ?></legend><?cs each:ro = Roles ?><label class="check" for="role-<?cs var:ro.code ?>"><input id="role-<?cs var:ro.code ?>" type="checkbox" name="role_<?cs var:ro.code ?>" value="1"<?cs if:B.role[ro.code] == "1" ?> checked<?cs /if ?>> <?cs if:Lang.Code == "en" ?><?cs var:ro.name_en ?><?cs else ?><?cs var:ro.name ?><?cs /if ?></label> <?cs /each ?></fieldset>
    <p class="hint"><?cs var:Lang.report.b_save_hint ?></p>
    <button type="submit" class="btn btn-submit" id="save"><?cs var:Lang.report.b_save_btn ?></button>
  </form>
  <?cs /if ?>
</section>
