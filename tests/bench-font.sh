#!/usr/bin/env bash
# bench-font.sh -- part of make bench: the PDFs' Chinese font.  The same
# report rendered with Pdf.Font (the cut-down font make builds from
# wqy-zenhei: the CJK block, GB2312's symbols, ASCII, conf/font-extra.txt)
# and with the full font alone,
# turn about in one process (tests/bench/pdf_font.c): time per document and
# size, as ratios to the full font; and the cost of a document whose rare
# character makes it embed the full font.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
make -s build/bench/pdf_font build/fonts/diaodu-zh.ttf
echo
echo "== the PDFs' font: the cut-down font against the full wqy-zenhei ($(stat -c %s build/fonts/diaodu-zh.ttf) vs $(stat -c %s /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc) bytes on disk)"
echo
build/bench/pdf_font build/fonts/diaodu-zh.ttf /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc "${BENCH_FONT_RUNS:-15}" 2>/dev/null
