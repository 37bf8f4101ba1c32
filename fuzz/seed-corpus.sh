#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from real files: what tm ships (tm/), the test fixtures, and the shared data
# beside the project (../shared/data, when present). The corpora are not committed (.gitignore); run this
# before fuzzing. Large files are cut into pieces of at most 64 KiB (libFuzzer works best on small inputs;
# a cut TMX file is a good truncated-file seed too).
set -eu  # no pipefail: `head` closing a pipe early is expected here
cd "$(dirname "$0")"
root=..
shared=${SHARED_DATA:-$root/../shared/data}
out=corpus
mkdir -p "$out"/{tmx,xliff,delimited,normalize,sentences,translit,align,html,tbx}

piece() { # piece FILE DIR: the file, or its first 64 KiB and a 16 KiB piece from its middle
  local f=$1 dir=$2 name
  name=$(basename "$f")
  if [ "$(stat -c %s "$f")" -le 65536 ]; then
    cp "$f" "$dir/$name"
  else
    head -c 65536 "$f" >"$dir/$name.head"
    tail -c +$(( $(stat -c %s "$f") / 2 )) "$f" | head -c 16384 >"$dir/$name.mid"
  fi
}

# TMX: the sample, the LISA kit, the hostile fixtures, TICO-19.
for f in "$root"/tm/sample.tmx "$root"/tests/fixtures/lisa/*.tmx "$root"/tests/fixtures/bad/*.tmx \
         "$root"/tests/fixtures/tico19/*.tmx "$shared"/parallel/tico19/*.tmx; do
  [ -f "$f" ] && piece "$f" "$out/tmx"
done

# XLIFF: the real files of the tests (1.1, 1.2, SDLXLIFF, MQXLIFF, 2.0).
for f in "$root"/tests/fixtures/xliff/*.xl* "$root"/tests/fixtures/xliff/*.sdlxliff; do
  [ -f "$f" ] && piece "$f" "$out/xliff"
done

# TSV/CSV: the first byte picks the format (even: TSV, odd: CSV) and the header option.
delimited() { # delimited OPTION FILE NAME
  { printf "\\$(printf %03o "$1")"; head -c 65536 "$2"; } >"$out/delimited/$3"
}
for f in "$root"/tests/fixtures/bad/*.tsv "$root"/tm/names.tsv; do
  [ -f "$f" ] && delimited 0 "$f" "$(basename "$f")"
done
if [ -f "$shared/parallel/ntrex/newstest2019-ref.arb.txt" ]; then
  paste "$shared/parallel/ntrex/newstest2019-ref.arb.txt" "$shared/parallel/ntrex/newstest2019-src.eng.txt" \
    | head -n 200 >/tmp/tm-fuzz-ntrex.tsv
  delimited 0 /tmp/tm-fuzz-ntrex.tsv ntrex.tsv
  # The same rows as CSV, quoted where needed.
  awk -F'\t' '{ for (i = 1; i <= 2; i++) { f = $i; if (f ~ /[",]/) { gsub(/"/, "\"\"", f); f = "\"" f "\"" }
                 printf "%s%s", f, (i == 1 ? "," : "\r\n") } }' /tmp/tm-fuzz-ntrex.tsv >/tmp/tm-fuzz-ntrex.csv
  delimited 1 /tmp/tm-fuzz-ntrex.csv ntrex.csv
  delimited 3 /tmp/tm-fuzz-ntrex.csv ntrex-header.csv
  rm -f /tmp/tm-fuzz-ntrex.tsv /tmp/tm-fuzz-ntrex.csv
fi
printf '\001ar,en\r\n"حزب ""الله""",Hizbullah\r\n"a\r\nb",c\r\n' >"$out/delimited/quotes.csv"

# Text: Arabic and English sentences, one seed per few lines.
text_seeds() { # text_seeds FILE PREFIX: five lines a seed
  head -n 300 "$1" | split -l 5 - "$out/normalize/$2-"
  for f in "$out/normalize/$2-"*; do cp "$f" "$out/sentences/"; done
}
[ -f "$shared/parallel/ntrex/newstest2019-ref.arb.txt" ] && text_seeds "$shared/parallel/ntrex/newstest2019-ref.arb.txt" ntrex-ar
[ -f "$shared/parallel/ntrex/newstest2019-src.eng.txt" ] && text_seeds "$shared/parallel/ntrex/newstest2019-src.eng.txt" ntrex-en
grep -o '<seg>[^<]*</seg>' "$root/tm/sample.tmx" | sed 's/<[^>]*>//g' | head -n 400 >/tmp/tm-fuzz-sample.txt
text_seeds /tmp/tm-fuzz-sample.txt sample
rm -f /tmp/tm-fuzz-sample.txt
printf 'قال د. أحمد إن 3.5 مليون نزحوا. وأضاف: «الوضع صعب»! Gen. Smith left the U.S. Army.' >"$out/sentences/abbrev"
printf 'أَعْلَنَتْ كَتَائِبُ القَسَّامِ ﺃﻋﻠﻨﺖ \u200f٣٥٬٠٠٠ ـــحزب' >"$out/normalize/forms"

# Transliteration: names (first byte 0: shipped style), and a style file with a name (first byte 1).
i=0
cut -f1 "$root/tm/names.tsv" | tail -n +2 | head -n 200 | while IFS= read -r name; do
  printf '\000%s' "$name" >"$out/translit/name-$i"; i=$((i + 1))
done
if [ -f "$shared/translit/google-ar2en/ar2en-eval.txt" ]; then
  head -n 200 "$shared/translit/google-ar2en/ar2en-eval.txt" | cut -f1 | awk '{ printf "%c%s", 0, $0 > ("corpus/translit/google-" NR) }'
fi
{ printf '\001'; cat "$root/tm/style.txt"; printf '\001عبد الله بن محمد'; } >"$out/translit/style"

# Alignment: a few NTREX documents' Arabic lines, U+0001, their English lines (some dropped or merged).
if [ -f "$shared/parallel/ntrex/newstest2019-ref.arb.txt" ]; then
  for start in 1 40 200 600; do
    { sed -n "${start},$((start + 15))p" "$shared/parallel/ntrex/newstest2019-ref.arb.txt"; printf '\001'
      sed -n "${start},$((start + 15))p" "$shared/parallel/ntrex/newstest2019-src.eng.txt" | sed '3d;7{N;s/\n/ /}'
    } >"$out/align/ntrex-$start"
  done
fi
printf 'قال ترامب إن 17 شاحنة دخلت.\nثم عادت.\nوصلت قافلة إلى البوكمال في 2019.\001Trump said 17 trucks entered, then returned.\nA convoy reached Al-Bukamal in 2019.' >"$out/align/doc"

# HTML: a page with the markup news sites use, and pages made of the text seeds.
printf '%s' '<!DOCTYPE html><html dir="rtl"><head><title>t</title><style>p{}</style><script>x=1</script></head><body><h1>دخول قافلة إلى البوكمال</h1><p>دخلت <b>17</b> شاحنة إلى <a href="/x">مدينة البوكمال</a>.<br>وقال مصدر.</p><blockquote>«حزب الله»</blockquote><ul><li>دير الزور<ol><li>الميادين</li></ol></li></ul><table><tr><td>خلية</td><th>Cell</th></tr></table><pre>  سطر</pre><img src="a.jpg" alt="صورة"></body></html>' >"$out/html/page"
for f in "$out"/sentences/ntrex-ar-a*; do
  [ -f "$f" ] && { printf '<p>'; sed 's/$/<\/p><p>/' "$f"; } >"$out/html/$(basename "$f")"
done

# TBX: the whole shipped authority as tm writes it (cut into pieces), and a hand-written entry with
# entities and references.
if [ -x "$root/target/debug/tm" ] || [ -x "$root/target/release/tm" ]; then
  tm_bin=$(ls "$root"/target/release/tm "$root"/target/debug/tm 2>/dev/null | head -n 1)
  TM_DB=/nonexistent/tm-fuzz.db "$tm_bin" names export /tmp/tm-fuzz-names.tbx >/dev/null 2>&1 || true
  [ -f /tmp/tm-fuzz-names.tbx ] && piece /tmp/tm-fuzz-names.tbx "$out/tbx"
  rm -f /tmp/tm-fuzz-names.tbx
fi
printf '%s' '<?xml version="1.0"?><martif type="TBX" xml:lang="en"><text><body><termEntry id="1"><descrip type="subjectField">organisation</descrip><note>Iraqi &amp; PMF</note><langSet xml:lang="ar"><tig><term>كتائب حزب الله</term></tig></langSet><langSet xml:lang="en"><tig><term>Hizbullah Brigades</term><termNote type="normativeAuthorization">preferredTerm-admn-sts</termNote></tig><tig><term>Kata&#x27;ib Hezbollah</term><termNote type="normativeAuthorization">deprecatedTerm-admn-sts</termNote></tig></langSet></termEntry></body></text></martif>' >"$out/tbx/entry"

for t in tmx delimited normalize sentences translit align html tbx; do
  printf '%-10s %4d seeds\n' "$t" "$(find "$out/$t" -type f | wc -l)"
done
