#!/usr/bin/env bash
# Every user-visible string of the sources is translated in every language
# of po/LINGUAS, with no fuzzy or untranslated entry and valid formats.
#   test-po.sh SOURCE-DIR
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The same extraction as meson's glib preset.
(cd "$src" && xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ \
   --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
   --add-comments -f po/POTFILES -o "$tmp/current.pot") || { echo "not ok 1 - xgettext"; exit 1; }

n=0
failed=0
for lang in $(sed 's/#.*//' "$src/po/LINGUAS"); do
  po=$src/po/$lang.po
  n=$((n + 1))
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1)
  if [ $? -ne 0 ] || echo "$stats" | grep -qE "fuzzy|untranslated"; then
    failed=$((failed + 1)); echo "not ok $n - $lang: $stats"
  else
    echo "ok $n - $lang: $stats"
  fi
  n=$((n + 1))
  if missing=$(msgcmp "$po" "$tmp/current.pot" 2>&1); then
    echo "ok $n - $lang covers every string of the sources"
  else
    failed=$((failed + 1)); echo "not ok $n - $lang lacks strings of the sources"
    echo "$missing" | sed 's/^/# /'
  fi
done
# The bundled presets' names and descriptions, localised in their key files.
for lang in $(sed 's/#.*//' "$src/po/LINGUAS"); do
  n=$((n + 1))
  missing=
  for preset in "$src"/styles/*.preset; do
    for key in Name Description; do
      grep -q "^$key\[$lang\]=." "$preset" || missing="$missing $(basename "$preset"):$key"
    done
  done
  if [ -z "$missing" ]; then echo "ok $n - $lang: every style preset is translated"
  else failed=$((failed + 1)); echo "not ok $n - $lang: presets lack$missing"; fi
done
echo "1..$n"
[ "$failed" -eq 0 ] && [ "$n" -gt 0 ]
