/*
** gen_seeds.c -- writes the generated seeds of tests/fuzz/corpus/:
**
**   xlsx/units.xlsx          a real workbook from the project's xlsx_write()
**   xlsx/units-stored.xlsx   the same members, re-zipped uncompressed
**   xlsx/handmade-stored.xlsx  what libxlsxwriter never writes: another first
**                            sheet, prefixed names, rich and inline strings,
**                            dates, booleans, errors, formulas (test_xlsx.c)
**   xlsx_xml/NAME.bin        the same two workbooks as fuzz_xlsx_xml input
**   multipart/NAME.txt       browser-like upload bodies (first line: the
**                            Content-Type, for the second mode)
**   csv/gen-*.csv            quoting, embedded line breaks, formula cells, GBK
**
** Usage: make -f tests/fuzz/fuzz.mk seeds   (gen_seeds DIR)
*/
#include "arena.h"
#include "err.h"
#include "xlsx.h"
#include "zipmem.h"
#include <iconv.h>
#include <minizip/unzip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *DIR_;

static void die(const char *m){ fprintf(stderr, "gen_seeds: %s\n", m); exit(1); }

static void put(const char *sub, const char *name, const void *data, size_t len){
  char path[1024];
  snprintf(path, sizeof path, "%s/%s/%s", DIR_, sub, name);
  FILE *f = fopen(path, "wb");
  if( f==NULL || fwrite(data, 1, len, f)!=len || fclose(f)!=0 ) die(path);
  printf("%s (%zu bytes)\n", path, len);
}
static void puts_(const char *sub, const char *name, const char *s){ put(sub, name, s, strlen(s)); }

/* ---- members of a zip in memory, through a temporary file ---- */

typedef struct { char name[256]; char *data; size_t len; } MEM;

static int unzip_all(const char *zip, size_t len, MEM *m, int max){
  char path[] = "/tmp/gen-seeds-XXXXXX";
  int fd = mkstemp(path);
  if( fd<0 || write(fd, zip, len)!=(ssize_t)len ) die("tmp");
  close(fd);
  unzFile uf = unzOpen64(path);
  if( uf==NULL ) die("unzOpen");
  int n = 0;
  for(int r=unzGoToFirstFile(uf); r==UNZ_OK && n<max; r=unzGoToNextFile(uf)){
    unz_file_info64 info;
    if( unzGetCurrentFileInfo64(uf, &info, m[n].name, sizeof m[n].name, NULL, 0, NULL, 0)!=UNZ_OK ) die("info");
    m[n].len = (size_t)info.uncompressed_size;
    m[n].data = malloc(m[n].len + 1);
    if( unzOpenCurrentFile(uf)!=UNZ_OK ) die("open member");
    if( unzReadCurrentFile(uf, m[n].data, (unsigned)m[n].len)!=(int)m[n].len ) die("read member");
    unzCloseCurrentFile(uf);
    n++;
  }
  unzClose(uf);
  unlink(path);
  return n;
}

static void stored_zip(const MEM *m, int n, ZBUF *z){
  ZMEMBER zm[64];
  for(int i=0; i<n; i++){
    zm[i].name = m[i].name; zm[i].namelen = strlen(m[i].name);
    zm[i].data = m[i].data; zm[i].len = m[i].len;
  }
  zip_stored(z, zm, n);
}

/* fuzz_xlsx_xml's input: "name\ncontent" members separated by 0x01 */
static void members_file(const char *name, const MEM *m, int n){
  ZBUF b = {0};
  for(int i=0; i<n; i++){
    if( i ) zb_put(&b, "\x01", 1);
    zb_put(&b, m[i].name, strlen(m[i].name));
    zb_put(&b, "\n", 1);
    zb_put(&b, m[i].data, m[i].len);
  }
  put("xlsx_xml", name, b.buf, b.len);
  free(b.buf);
}

/* ---- the hand-made workbook of tests/unit/test_xlsx.c ---- */

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char WORKBOOK[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<workbook " NS " " RNS "><workbookPr date1904=\"0\"/><sheets>"
  "<sheet name=\"数据\" sheetId=\"2\" r:id=\"rId2\"/>"
  "<sheet name=\"Other\" sheetId=\"1\" r:id=\"rId1\"/>"
  "</sheets></workbook>";

static const char RELS[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
  "<Relationship Id=\"rId2\" Type=\"" RT "worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
  "<Relationship Id=\"rId3\" Type=\"" RT "sharedStrings\" Target=\"strings.xml\"/>"
  "<Relationship Id=\"rId4\" Type=\"" RT "styles\" Target=\"./styles.xml\"/>"
  "<Relationship Id=\"rId5\" Type=\"" RT "hyperlink\" Target=\"http://x/\" TargetMode=\"External\"/>"
  "</Relationships>";

static const char SST[] =
  "<sst " NS " count=\"6\" uniqueCount=\"6\">"
  "<si><t>编码</t></si>"
  "<si><r><t>车</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">队 A</t></r></si>"
  "<si><t>a&amp;b &lt;c&gt; &#x4E2D;</t></si>"
  "<si><t>line_x000D__x000A_two_x0000__xD800_</t></si>"
  "<si><t>漢字</t><rPh sb=\"0\" eb=\"2\"><t>カンジ</t></rPh></si>"
  "<si><t/></si>"
  "</sst>";

static const char STYLES[] =
  "<styleSheet " NS "><numFmts count=\"3\">"
  "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
  "<numFmt numFmtId=\"165\" formatCode=\"[Red]#,##0.00\"/>"
  "<numFmt numFmtId=\"166\" formatCode=\"[h]:mm:ss;@\"/>"
  "</numFmts>"
  "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
  "<cellXfs count=\"8\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
  "<xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"4\"/><xf numFmtId=\"165\"/>"
  "<xf numFmtId=\"166\"/></cellXfs>"
  "</styleSheet>";

static const char DATA[] =
  "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>"
  "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v></x:c>"
  "<x:c r=\"C1\" t=\"inlineStr\"><x:is><x:t>内联</x:t></x:is></x:c>"
  "<x:c r=\"D1\" t=\"inlineStr\"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:is></x:c></x:row>"
  "<x:row r=\"3\"><x:c r=\"A3\"><x:v>12</x:v></x:c><x:c r=\"C3\"><x:v>3.5</x:v></x:c>"
  "<x:c r=\"D3\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"E3\" t=\"s\"><x:v>2</x:v></x:c></x:row>"
  "<x:row r=\"4\" spans=\"1:5\"><x:c r=\"A4\" s=\"1\"/><x:c r=\"B4\" s=\"3\"/><x:c r=\"C4\" t=\"s\"><x:v>5</x:v></x:c></x:row>"
  "<x:row r=\"5\"><x:c r=\"A5\" s=\"1\"><x:v>45292</x:v></x:c><x:c r=\"B5\" s=\"2\"><x:v>45292</x:v></x:c>"
  "<x:c r=\"C5\" s=\"3\"><x:v>45292.5</x:v></x:c><x:c r=\"D5\" s=\"4\"><x:v>0.75</x:v></x:c>"
  "<x:c r=\"E5\" s=\"5\"><x:v>1234.5</x:v></x:c><x:c r=\"F5\" s=\"6\"><x:v>1</x:v></x:c>"
  "<x:c r=\"G5\" s=\"7\"><x:v>1.5</x:v></x:c><x:c r=\"H5\" s=\"1\"><x:v>30</x:v></x:c></x:row>"
  "<x:row r=\"6\"><x:c r=\"A6\"><x:v>0.30000000000000004</x:v></x:c>"
  "<x:c r=\"B6\"><x:v>1.1010119900101101E+17</x:v></x:c>"
  "<x:c r=\"C6\" t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>公式</x:v></x:c>"
  "<x:c r=\"D6\" t=\"e\"><x:v>#N/A</x:v></x:c><x:c r=\"E6\" t=\"s\"><x:v>3</x:v></x:c>"
  "<x:c r=\"F6\" t=\"b\"><x:v>0</x:v></x:c><x:c r=\"G6\" t=\"d\"><x:v>2024-01-01</x:v></x:c></x:row>"
  "<x:row r=\"7\"><x:c t=\"s\"><x:v>4</x:v></x:c><x:c><x:v>7</x:v></x:c></x:row>"
  "<x:row><x:c r=\"AA8\"><x:v>-1</x:v></x:c><x:c r=\"AZ8\"><x:v>-2.5e-3</x:v></x:c></x:row>"
  "</x:sheetData></x:worksheet>";

static const char DECOY[] =
  "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>WRONG</t></is></c></row>"
  "</sheetData></worksheet>";

/* ---- a Chinese table for xlsx_write ---- */

static char *H[] = { "单位编码", "单位名称", "上级单位编码", "类型", "排序" };
static char *R1[] = { "100", "后勤服务公司", "", "公司", "0" };
static char *R2[] = { "100010", "调度中心", "100", "部门", "10" };
static char *R3[] = { "100020", "车队 A&B <x>", "100", "部门", "20" };
static char *R4[] = { "007", "含\"引号\",逗号\n换行", "100010", "班组", "-1" };
static char *R5[] = { "=1+1", "𠮷野家", "", "", "" };

static void units_xlsx(void){
  TROW rows[] = { { 1, 5, H }, { 2, 5, R1 }, { 3, 5, R2 }, { 4, 5, R3 }, { 5, 5, R4 }, { 6, 5, R5 } };
  TABLE t = { 6, rows };
  STRING x;
  string_init(&x);
  NEOERR *err = xlsx_write(&t, "单位", &x);
  if( err ) die("xlsx_write");
  put("xlsx", "units.xlsx", x.buf, (size_t)x.len);

  MEM m[64];
  int n = unzip_all(x.buf, (size_t)x.len, m, 64);
  ZBUF z = {0};
  stored_zip(m, n, &z);
  put("xlsx", "units-stored.xlsx", z.buf, z.len);
  free(z.buf);
  /* only what xlsx_read looks at, sheet last */
  MEM k[8];
  int nk = 0;
  const char *want[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                         "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml" };
  for(size_t w=0; w<sizeof want/sizeof want[0]; w++)
    for(int i=0; i<n; i++) if( strcmp(m[i].name, want[w])==0 ) k[nk++] = m[i];
  members_file("units.bin", k, nk);
  for(int i=0; i<n; i++) free(m[i].data);
  string_clear(&x);
}

static void handmade_xlsx(void){
  MEM m[] = {
    { "[Content_Types].xml", "<Types/>", 0 },
    { "xl/workbook.xml", (char*)WORKBOOK, 0 },
    { "xl/_rels/workbook.xml.rels", (char*)RELS, 0 },
    { "xl/strings.xml", (char*)SST, 0 },
    { "xl/styles.xml", (char*)STYLES, 0 },
    { "xl/worksheets/sheet1.xml", (char*)DECOY, 0 },
    { "xl/worksheets/data.xml", (char*)DATA, 0 },
  };
  int n = (int)(sizeof m/sizeof m[0]);
  for(int i=0; i<n; i++) m[i].len = strlen(m[i].data);
  ZBUF z = {0};
  stored_zip(m, n, &z);
  put("xlsx", "handmade-stored.xlsx", z.buf, z.len);
  free(z.buf);
  members_file("handmade.bin", m + 1, n - 1);
  /* a minimal one: a sheet with inline strings and nothing else */
  MEM one[] = { { "xl/worksheets/sheet1.xml",
    "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>编码</t></is></c>"
    "<c t=\"inlineStr\"><is><t>名称</t></is></c></row><row><c><v>1</v></c>"
    "<c t=\"inlineStr\"><is><t>调度_x0009_中心</t></is></c></row></sheetData></worksheet>", 0 } };
  one[0].len = strlen(one[0].data);
  members_file("minimal.bin", one, 1);
}

/* ---- multipart bodies: line 1 is the Content-Type (mode 2), the
** boundary is XyZ so that mode 1 parses the same body after the line ---- */

#define CT "multipart/form-data; boundary=XyZ\r\n"

static void multipart(void){
  puts_("multipart", "import-utf8.txt",
    CT
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
    "q1w2e3r4t5y6u7i8o9p0-_AbCdEfGhIjKlMnOpQr\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"kind\"\r\n\r\n"
    "units\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"单位.csv\"\r\n"
    "Content-Type: text/csv\r\n\r\n"
    "\xEF\xBB\xBF单位编码,单位名称,上级单位编码,类型,排序\r\n"
    "100,后勤服务公司,,公司,0\r\n"
    "100010,调度中心,100,部门,10\r\n"
    "\r\n--XyZ--\r\n");
  /* GBK file with a Windows path, a fake delimiter inside the data */
  static const char gbk[] =
    CT
    "preamble that is ignored\r\n"
    "--XyZ  \r\n"
    "content-disposition: form-data; name=file; filename=\"C:\\\\Users\\\\zhang\\\\vehicle.csv\"\r\n"
    "content-type: application/vnd.ms-excel\r\n\r\n"
    "\xB3\xB5\xC5\xC6,\xC0\xE0\xD0\xCD\r\n\xBE\xA9" "A12345,\xBD\xCE\xB3\xB5\r\n"
    "\r\n--XyZa is not a delimiter\r\n\x00\x01\xFF"
    "\r\n--XyZ\r\n"
    "Content-Disposition: form-data; name=\"apply\"\r\n\r\n"
    "1"
    "\r\n--XyZ--\r\nepilogue\r\n";
  put("multipart", "import-gbk.txt", gbk, sizeof gbk - 1);
  puts_("multipart", "login.txt",
    "multipart/form-data; charset=utf-8; boundary=\"XyZ\"\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"login\"\r\n\r\n"
    "admin@example.cn\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"password\"\r\n\r\n"
    "密码 with spaces; and \"quotes\"\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
    "Content-Type: application/octet-stream\r\n\r\n"
    "\r\n--XyZ--");
  puts_("multipart", "webkit.txt",
    "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW\n"
    "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
    "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
    "调度员\r\n"
    "------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n");
}

/* ---- CSV ---- */

static void csv(void){
  static const char quoted[] =
    "编码,名称,备注\r\n"
    "\"007\",\"车队, 一\",\"含\"\"引号\"\"\"\r\n"
    "\"010\",\"多行\n文本\",\"x\"尾巴\r\n"
    "=1+1,+86,-12.5\r\n"
    "@SUM(A1),\t制表,-\r\n"
    "\r\n"
    ",,\r"
    "最后一行";
  puts_("csv", "gen-quoted.csv", quoted);
  /* the same in GBK (what Excel on Chinese Windows saves) */
  iconv_t cd = iconv_open("GBK", "UTF-8");
  if( cd==(iconv_t)-1 ) die("iconv");
  char out[1024], *in = (char*)quoted, *o = out;
  size_t inleft = sizeof quoted - 1, outleft = sizeof out;
  if( iconv(cd, &in, &inleft, &o, &outleft)==(size_t)-1 ) die("iconv GBK");
  iconv_close(cd);
  put("csv", "gen-quoted-gbk.csv", out, (size_t)(o - out));
  /* GB18030 four-byte sequences and its BOM */
  puts_("csv", "gen-gb18030.csv", "\x84\x31\x95\x33" "a,\x81\x30\x81\x30,\x95\x32\x82\x36\r\n");
}

int main(int argc, char **argv){
  if( argc!=2 ) die("usage: gen_seeds DIR");
  DIR_ = argv[1];
  NEOERR *err = err_init();
  if( err ) die("err_init");
  const char *subs[] = { "xlsx", "xlsx_xml", "multipart", "csv" };
  for(size_t i=0; i<sizeof subs/sizeof subs[0]; i++){
    char path[1024];
    snprintf(path, sizeof path, "mkdir -p '%s/%s'", DIR_, subs[i]);
    if( system(path)!=0 ) die(path);
  }
  units_xlsx();
  handmade_xlsx();
  multipart();
  csv();
  return 0;
}
