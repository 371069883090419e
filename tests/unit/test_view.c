/*
** test_view.c -- templates through view_render_file() of view.h:
**   golden files (tests/golden/<name>.cs rendered must equal <name>.html):
**     var: output is html-escaped, Chinese passes through, includes work;
**   the real templates: layout.cs around login.cs and error.cs with the
**     Chinese and English language files, hostile form values escaped in
**     text and attribute context, the CSRF field present;
**   templates/lang/zh_CN.hdf and en.hdf have exactly the same keys.
**
** Runs from the repository root (tests/run-unit.sh).  To regenerate the
** golden files after a deliberate change: UPDATE_GOLDEN=1 build/tests/test_view
** (then review the diff).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "view.h"

#define GOLDEN "tests/golden"

/* fail the test on an error, after logging and freeing it */
#define CHECK(call) do{ NEOERR *e_ = (call); \
  if( e_ ){ nerr_log_error(e_); nerr_ignore(&e_); fail_msg("%s failed", #call); } }while(0)

static HDF *hdf;
static STRING out;

static int each_setup(void **state){
  NEOERR *err = hdf_init(&hdf);
  if( err ){ nerr_ignore(&err); return -1; }
  string_init(&out);
  return 0;
}
static int each_teardown(void **state){
  string_clear(&out);
  hdf_destroy(&hdf);
  return 0;
}

static void set(const char *name, const char *value){
  CHECK(hdf_set_value(hdf, name, value));
}

/* render dir/file into out */
static void render(const char *dir, const char *file){
  CHECK(view_render_file(hdf, dir, file, &out));
  assert_non_null(out.buf);
}

static void contains(const char *needle){
  if( strstr(out.buf, needle)==NULL ){
    print_error("output lacks: %s\n---\n%s\n---\n", needle, out.buf);
    fail();
  }
}
static void lacks(const char *needle){
  if( strstr(out.buf, needle)!=NULL ){
    print_error("output must not contain: %s\n---\n%s\n---\n", needle, out.buf);
    fail();
  }
}

/* render GOLDEN/<name>.cs and compare with GOLDEN/<name>.html */
static void golden(const char *name){
  char file[128], path[256];
  snprintf(file, sizeof file, "%s.cs", name);
  snprintf(path, sizeof path, "%s/%s.html", GOLDEN, name);
  render(GOLDEN, file);
  if( getenv("UPDATE_GOLDEN") ){
    CHECK(ne_save_file(path, out.buf));
    return;
  }
  char *want = NULL;
  CHECK(ne_load_file(path, &want));
  int same = strcmp(want, out.buf)==0;
  if( !same ) print_error("%s differs\n--- want\n%s--- got\n%s---\n", path, want, out.buf);
  free(want);
  assert_true(same);
}

static void golden_data(void){
  set("Text", "<script>alert('x')</script> & \"quoted\"");
  set("Attr", "\" onmouseover=\"alert(1)");
  set("Zh", "调度管理系统：中文 & 𠮷");
  set("Items.0", "<b>");
  set("Items.1", "a&amp;b");
  set("Items.2", "普通");
  set("Empty", "");
}

/* ---- golden files ---- */

static void golden_escape(void **state){
  golden_data();
  golden("escape");
  lacks("<script>");
  lacks("onmouseover=\"");
  contains("&lt;script&gt;");
  contains("&quot;quoted&quot;");
  contains("调度管理系统：中文 &amp; 𠮷");
}

static void golden_include(void **state){
  golden_data();
  golden("include");
  contains("&lt;b&gt;");
}

static void missing_template_is_an_error(void **state){
  NEOERR *err = view_render_file(hdf, GOLDEN, "no-such-template.cs", &out);
  assert_non_null(err);
  nerr_ignore(&err);
}

static void escape_mode_forced(void **state){
  /* even if the data set asks for no escaping, view_render_file sets html */
  set("Config.VarEscapeMode", "none");
  set("Text", "<i>");
  render(GOLDEN, "escape.cs");
  contains("&lt;i&gt;");
  lacks("<i>");
}

/* ---- the real templates ---- */

static void load_lang(const char *code){
  HDF *node;
  char path[128];
  snprintf(path, sizeof path, "templates/lang/%s.hdf", code);
  CHECK(hdf_get_node(hdf, "Lang", &node));
  CHECK(hdf_read_file(node, path));
  set("Lang.Code", code);
}

static void login_page(void **state){
  load_lang("zh_CN");
  set("Page.Template", "login.cs");
  set("Page.Name", "login");
  set("Form.Login", "<script>x</script>");
  set("Csrf", "tok");
  render("templates", "layout.cs");
  contains("&lt;script&gt;x&lt;/script&gt;");
  lacks("<script>x");
  contains("登录");
  contains("name=\"csrf\" value=\"tok\"");
  contains("<html lang=\"zh-CN\">");
  contains("action=\"/login\"");
  lacks("/logout");                    /* nobody is logged in */
}

static void login_page_attribute_injection(void **state){
  load_lang("zh_CN");
  set("Page.Template", "login.cs");
  set("Form.Login", "\" autofocus onfocus=\"alert(1)");
  set("Form.Next", "'><img src=x onerror=alert(2)>");
  set("Csrf", "\"><script>alert(3)</script>");
  render("templates", "layout.cs");
  lacks("onfocus=\"alert");
  lacks("<img");
  lacks("<script>");
  contains("&quot; autofocus onfocus=&quot;alert(1)");
}

static void login_page_english(void **state){
  load_lang("en");
  set("Page.Template", "login.cs");
  set("Csrf", "tok");
  render("templates", "layout.cs");
  contains("<html lang=\"en\">");
  contains("Log in");
  contains("中文");                     /* the link to switch language */
  lacks("登录");
}

static void error_page(void **state){
  load_lang("zh_CN");
  set("Page.Template", "error.cs");
  set("Page.Name", "error");
  set("Error.Status", "400");
  set("Error.Title", "请求有误");
  set("Error.Message", "<img src=x onerror=alert(1)>");
  render("templates", "layout.cs");
  contains("<span class=\"code\">400</span> 请求有误");
  contains("&lt;img src=x onerror=alert(1)&gt;");
  lacks("<img");
  contains("返回首页");
}

static void logged_in_header(void **state){
  load_lang("zh_CN");
  set("Page.Template", "error.cs");
  set("User.Login", "zhangsan");
  set("User.Name", "<u>张三</u>");
  set("User.Unit", "调度中心");
  set("Csrf", "tok2");
  render("templates", "layout.cs");
  contains("&lt;u&gt;张三&lt;/u&gt; · 调度中心");
  contains("action=\"/logout\"");
  contains("name=\"csrf\" value=\"tok2\"");
}

/* ---- language files ---- */

static int missing;

/* count the keys with a value under node; each must also exist in other */
static int walk(HDF *node, const char *prefix, HDF *other, const char *what){
  int n = 0;
  for(HDF *c=hdf_obj_child(node); c; c=hdf_obj_next(c)){
    char name[512];
    if( prefix[0] ) snprintf(name, sizeof name, "%s.%s", prefix, hdf_obj_name(c));
    else snprintf(name, sizeof name, "%s", hdf_obj_name(c));
    if( hdf_obj_value(c) ){
      n++;
      if( hdf_get_value(other, name, NULL)==NULL ){
        print_error("%s: key %s missing\n", what, name);
        missing++;
      }
    }
    n += walk(c, name, other, what);
  }
  return n;
}

static void lang_files_same_keys(void **state){
  HDF *zh = NULL, *en = NULL;
  CHECK(hdf_init(&zh));
  CHECK(hdf_init(&en));
  NEOERR *err = hdf_read_file(zh, "templates/lang/zh_CN.hdf");
  if( err==STATUS_OK ) err = hdf_read_file(en, "templates/lang/en.hdf");
  if( err ){
    nerr_log_error(err); nerr_ignore(&err);
    hdf_destroy(&zh); hdf_destroy(&en);
    fail();
  }
  missing = 0;
  int nzh = walk(zh, "", en, "en.hdf");
  int nen = walk(en, "", zh, "zh_CN.hdf");
  hdf_destroy(&zh);
  hdf_destroy(&en);
  assert_true(nzh > 50);                /* the walk really saw the files */
  assert_int_equal(missing, 0);
  assert_int_equal(nzh, nen);
}

static void lang_required_keys(void **state){
  load_lang("zh_CN");
  HDF *lang = hdf_get_obj(hdf, "Lang");
  assert_non_null(lang);
  /* a few keys the code relies on */
  assert_string_equal(hdf_get_value(lang, "login.submit", ""), "登录");
  assert_non_null(hdf_get_value(lang, "err.bad_request", NULL));
  assert_non_null(hdf_get_value(lang, "err.bad_utf8", NULL));
  assert_non_null(hdf_get_value(lang, "err.too_many_params", NULL));
  assert_non_null(hdf_get_value(lang, "pw.too_short", NULL));
  assert_non_null(hdf_get_value(lang, "pw.common", NULL));
}

#define T(f) cmocka_unit_test_setup_teardown(f, each_setup, each_teardown)

int main(void){
  const struct CMUnitTest tests[] = {
    T(golden_escape),
    T(golden_include),
    T(missing_template_is_an_error),
    T(escape_mode_forced),
    T(login_page),
    T(login_page_attribute_injection),
    T(login_page_english),
    T(error_page),
    T(logged_in_header),
    T(lang_files_same_keys),
    T(lang_required_keys),
  };
  NEOERR *err = nerr_init();
  if( err ){ nerr_ignore(&err); return 1; }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
