#!/bin/sh
# Resizes the public-domain paintings the painting presets ship (see
# README.md, "Credits") to what a style needs: at most 1024 px on the long
# side (the largest processing size a preset is tuned at; larger sizes
# enlarge the style by the style scale anyway), JPEG quality 90.  Uses
# netpbm, as listed in build-aux/debian13-packages.
#
#   styles/make-paintings.sh SOURCE-DIR styles
#
# SOURCE-DIR holds the originals under the names of the table below.
set -eu
src=$1
out=$2
while read -r original preset; do
  # pamscale -xyfit also enlarges: smaller originals keep their size.
  jpegtopnm "$src/$original" 2>/dev/null >"$out/$preset.pnm"
  set -- $(pamfile "$out/$preset.pnm" | sed 's/.* \([0-9]*\) by \([0-9]*\) .*/\1 \2/')
  if [ "$1" -gt 1024 ] || [ "$2" -gt 1024 ]; then
    pamscale -xyfit 1024 1024 -filter sinc "$out/$preset.pnm"
  else
    cat "$out/$preset.pnm"
  fi | pnmtojpeg -quality 90 -optimize >"$out/$preset.jpg"
  rm "$out/$preset.pnm"
done <<'TABLE'
starry_night.jpg starry-night
great_wave.jpg great-wave
composition_vii.jpg composition-vii
udnie.jpg udnie
water_lilies_1919.jpg water-lilies
flowering_cherry_hoitsu.jpg flowering-cherry
TABLE
