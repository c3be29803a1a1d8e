#!/usr/bin/env bash
# End-to-end tests of style regions: styles limited to channels, layer
# masks, the selection and its outside, and a style layer sampled in a
# channel of its image, through Script-Fu batches in gimp-console-3.0.
# Results are measured with ns-image-tool on column strips of the exported
# layers.  TAP output.
#
#   test-regions.sh PLUG-IN-BINARY NS-IMAGE-TOOL CATALOG-DIR ARTEFACTS
set -u

plugin=$1
tool=$2
catalogs=$3          # holds LANG/LC_MESSAGES/neural-style.mo
artefacts=$4         # the results are left here for looking at
command -v gimp-console-3.0 >/dev/null || { echo "1..0 # SKIP gimp-console-3.0 not installed"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ns-regions.XXXXXX")
[ -n "${NS_E2E_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$artefacts"
W=384 H=96
"$tool" gen content $W $H "$work/content.png"
"$tool" gen style 48 48 "$work/style.png"          # cool strokes
"$tool" gen style-b 48 48 "$work/style-b.png"      # warm bands

. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/gimp-batch.sh"

# Script-Fu for these cases: channels from the selection.
regions_prelude="
(define (channel-from-rect img x w feather name)
  (gimp-context-set-feather (> feather 0))
  (gimp-context-set-feather-radius feather feather)
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE x 0 w $H)
  (let ((c (gimp-selection-save img)))
    (gimp-item-set-name c name)
    (gimp-selection-none img)
    (gimp-context-set-feather #f)
    c))
(define (left-half img feather) (channel-from-rect img 0 $((W / 2)) feather \"left\"))
(define (right-half img feather) (channel-from-rect img $((W / 2)) $((W / 2)) feather \"right\"))
(define (two-styles img regions)
  (stylise img #:style-file \"$work/style-b.png\" #:style-files (list \"$work/style.png\")
           #:style-regions regions #:seed 5 #:iterations 40))"

# How far the columns [X, X + WIDTH) of IMAGE are from the photo's.
away_from_photo () {
  "$tool" crop "$1" "$2" 0 "$3" $H "$work/part.png" >/dev/null &&
    "$tool" crop "$work/content.png" "$2" 0 "$3" $H "$work/photo-part.png" >/dev/null &&
    "$tool" diff "$work/part.png" "$work/photo-part.png"
}
# The outer quarters' distances from the photo: "LEFT RIGHT".
quarters_from_photo () {
  local q=$((W / 4))
  echo "$(away_from_photo "$1" 0 $q) $(away_from_photo "$1" $((W - q)) $q)"
}
# Whether the style stayed in its region: INSIDE more than three times
# OUTSIDE (distances from the photo).
stays_inside () { lt "$(awk -v a="$2" 'BEGIN { print 3 * a }')" "$1"; }
# The largest change between neighbouring values of a list.
largest_step () { echo "$1" | awk '{ m = 0; for (i = 2; i <= NF; i++) { d = $i - $(i-1); if (d < 0) d = -d; if (d > m) m = d } printf "%.4f\n", m }'; }

# -- 1: two styles, one on a channel covering the left half, one on its --
# inverse, and the same swapped.  Each outer quarter's colour and texture
# statistics (the built-in network's style loss) are nearer its own style.
if gimp_case halves "$regions_prelude
  (define (run name swap)
    (let* ((img (open \"$work/content.png\"))
           (left (left-half img 0))
           (right (right-half img 0))
           (layer (two-styles img (if swap (vector right left) (vector left right)))))
      (check (= (gimp-drawable-get-width layer) $W) \"the whole width\")
      (export-layer layer (string-append \"$work/halves-\" name \".png\"))))
  (run \"warm-left\" #f)
  (run \"warm-right\" #t)"; then
  cp "$work"/halves-*.png "$artefacts/"
  q=$((W / 4))
  # The styles as the run sees them: enlarged to the content's long side.
  "$tool" resize "$work/style.png" $W $W "$work/style-seen.png" >/dev/null
  "$tool" resize "$work/style-b.png" $W $W "$work/style-b-seen.png" >/dev/null
  # loss NAME SIDE STYLE: the style loss of one outer quarter of a result.
  loss () {
    local x=0
    [ "$2" = right ] && x=$((W - q))
    "$tool" crop "$work/halves-$1.png" $x 0 $q $H "$work/quarter.png" >/dev/null &&
      "$tool" style-loss "$work/quarter.png" "$work/$3.png"
  }
  lw_warm=$(loss warm-left left style-b-seen) lw_cool=$(loss warm-left left style-seen)
  rw_warm=$(loss warm-left right style-b-seen) rw_cool=$(loss warm-left right style-seen)
  ls_warm=$(loss warm-right left style-b-seen) ls_cool=$(loss warm-right left style-seen)
  rs_warm=$(loss warm-right right style-b-seen) rs_cool=$(loss warm-right right style-seen)
  if lt "$lw_warm" "$ls_warm" && lt "$rs_warm" "$rw_warm" &&
     lt "$ls_cool" "$lw_cool" && lt "$rw_cool" "$rs_cool" &&
     lt "$lw_warm" "$lw_cool" && lt "$rw_cool" "$rw_warm" &&
     lt "$ls_cool" "$ls_warm" && lt "$rs_warm" "$rs_cool"; then
    ok "halves: each outer quarter is nearer the style of its region, than the other style and than in the swapped run (style losses to warm / cool: warm-left run, left $lw_warm / $lw_cool, right $rw_warm / $rw_cool; warm-right run, left $ls_warm / $ls_cool, right $rs_warm / $rs_cool)"
  else
    not_ok "halves: each half takes its style" \
      "warm-left run: left quarter to warm $lw_warm, to cool $lw_cool; right to warm $rw_warm, to cool $rw_cool" \
      "warm-right run: left to warm $ls_warm, to cool $ls_cool; right to warm $rs_warm, to cool $rs_cool"
  fi
else
  not_ok "halves: the batch failed" "$(log_tail halves)"
fi

# -- 1b: a style on the left half, feathered: it fades into the photo over
# the border, spread over several strips rather than a cut.  (A hard
# border fades too, over the network's reach: its figures are printed.)
if gimp_case feather "$regions_prelude
  (define (run name feather)
    (let* ((img (open \"$work/content.png\"))
           (left (left-half img feather))
           (layer (stylise img #:style-file \"$work/style-b.png\" #:style-regions (vector left)
                           #:seed 5 #:iterations 40)))
      (export-layer layer (string-append \"$work/feather-\" name \".png\"))))
  (run \"hard\" 0)
  (run \"soft\" 80)"; then
  cp "$work"/feather-*.png "$artefacts/"
  # How far each of eight column strips is from the photo.
  away () {
    local s=$((W / 8)) out=""
    for i in 0 1 2 3 4 5 6 7; do out="$out $(away_from_photo "$1" $((i * s)) $s)"; done
    echo $out
  }
  hard=$(away "$work/feather-hard.png") soft=$(away "$work/feather-soft.png")
  step_hard=$(largest_step "$hard") step_soft=$(largest_step "$soft")
  total=$(echo "$soft" | awk '{ printf "%.4f\n", $1 - $NF }')
  if lt 0.1 "$total" && lt "$step_soft" "$(awk -v a="$total" 'BEGIN { print 0.4 * a }')"; then
    ok "feathered border: the difference from the photo falls by $total from left to right, at most $step_soft per strip ($soft); hard border: at most $step_hard per strip ($hard)"
  else
    not_ok "feathered border: gradual" "hard: $hard (largest step $step_hard)" \
      "feathered: $soft (largest step $step_soft)"
  fi
else
  not_ok "feather: the batch failed" "$(log_tail feather)"
fi

# -- 2: a style limited to the selection: the whole layer is processed, the
# new layer has no mask, outside the selection stays close to the photo.
if gimp_case selection "$regions_prelude
  (let* ((img (open \"$work/content.png\")))
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 0 0 $((W / 2)) $H)
    (let ((layer (stylise img #:style-file \"$work/style-b.png\" #:style-regions (vector -1)
                          #:seed 5 #:iterations 40)))
      (check (= (gimp-drawable-get-width layer) $W) \"the whole width, not the selection's\")
      (check (= (gimp-layer-get-mask layer) -1) \"no mask from the selection\")
      (save-record layer \"$work/selection-record.txt\")
      (export-layer layer \"$work/selection.png\")))"; then
  read -r inside outside <<<"$(quarters_from_photo "$work/selection.png")"
  cp "$work/selection.png" "$artefacts/"
  if stays_inside "$inside" "$outside" &&
     grep -q '^StyleRegions=-1;$' "$work/selection-record.txt"; then
    ok "selection: inside differs from the photo by $inside, outside by $outside; recorded as a selection region"
  else
    not_ok "selection: the style stays inside" "inside $inside, outside $outside" \
      "$(grep StyleRegions "$work/selection-record.txt")"
  fi
else
  not_ok "selection: the batch failed" "$(log_tail selection)"
fi

# -- 3: More iterations keeps a channel region (recorded by tattoo) -------
if gimp_case more "$regions_prelude
  (let* ((img (open \"$work/content.png\"))
         (left (left-half img 0))
         (first (stylise img #:style-file \"$work/style-b.png\" #:style-regions (vector left)
                         #:seed 5 #:iterations 20))
         (more (stylise-layer img first #:more-iterations #t #:iterations 20)))
    (save-record first \"$work/more-first.txt\")
    (save-record more \"$work/more-second.txt\")
    (export-layer more \"$work/more.png\"))"; then
  read -r inside outside <<<"$(quarters_from_photo "$work/more.png")"
  if grep -q '^StyleRegions=channel:[0-9]*;$' "$work/more-first.txt" &&
     [ "$(grep StyleRegions "$work/more-first.txt")" = "$(grep StyleRegions "$work/more-second.txt")" ] &&
     stays_inside "$inside" "$outside"; then
    ok "more iterations: the channel region is recorded ($(grep StyleRegions "$work/more-first.txt")) and used again (inside differs by $inside, outside by $outside)"
  else
    not_ok "more iterations keep the region" "$(grep StyleRegions "$work"/more-*.txt)" \
      "inside $inside, outside $outside"
  fi
else
  not_ok "more iterations: the batch failed" "$(log_tail more)"
fi

# -- 3a: a layer mask as the region: the content layer's own mask, made
# from a selection of its left half; recorded by its layer's tattoo.
if gimp_case layer-mask "$regions_prelude
  (let* ((img (open \"$work/content.png\"))
         (src (bottom-layer img)))
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 0 0 $((W / 2)) $H)
    (let ((mask (gimp-layer-create-mask src ADD-MASK-SELECTION)))
      (gimp-layer-add-mask src mask)
      (gimp-selection-none img)
      (let ((layer (stylise img #:style-file \"$work/style-b.png\" #:style-regions (vector mask)
                            #:seed 5 #:iterations 40)))
        (save-record layer \"$work/layer-mask.txt\")
        (export-layer layer \"$work/layer-mask.png\"))))"; then
  read -r inside outside <<<"$(quarters_from_photo "$work/layer-mask.png")"
  if grep -q '^StyleRegions=mask:[0-9]*;$' "$work/layer-mask.txt" &&
     stays_inside "$inside" "$outside"; then
    ok "layer mask: the style stays where the mask is white (inside differs from the photo by $inside, outside by $outside); recorded as $(grep StyleRegions "$work/layer-mask.txt")"
  else
    not_ok "layer mask as a region" "inside $inside, outside $outside" \
      "$(grep StyleRegions "$work/layer-mask.txt")"
  fi
else
  not_ok "layer mask: the batch failed" "$(log_tail layer-mask)"
fi

# -- 3b: a style layer sampled in a channel of its own image: a style
# image warm on the left and cool on the right, sampled on either side.
if gimp_case sample "$regions_prelude
  (define sty (gimp-image-new 96 48 RGB))
  (let ((warm (gimp-file-load-layer RUN-NONINTERACTIVE sty \"$work/style-b.png\"))
        (cool (gimp-file-load-layer RUN-NONINTERACTIVE sty \"$work/style.png\")))
    (gimp-image-insert-layer sty cool 0 0)
    (gimp-layer-set-offsets cool 48 0)
    (gimp-image-insert-layer sty warm 0 0))
  (define flat (gimp-image-flatten sty))
  (gimp-image-select-rectangle sty CHANNEL-OP-REPLACE 0 0 48 48)
  (define warm-side (gimp-selection-save sty))
  (gimp-image-select-rectangle sty CHANNEL-OP-REPLACE 48 0 48 48)
  (define cool-side (gimp-selection-save sty))
  (gimp-selection-none sty)
  (define (run name side)
    (let* ((img (open \"$work/content.png\"))
           (layer (stylise img #:style-layer flat #:style-sample-regions (vector side)
                           #:seed 5 #:iterations 40)))
      (save-record layer (string-append \"$work/sample-\" name \".txt\"))
      (export-layer layer (string-append \"$work/sample-\" name \".png\"))))
  (run \"warm\" warm-side)
  (run \"cool\" cool-side)"; then
  cp "$work"/sample-*.png "$artefacts/"
  # Mean colours: each result against each style's.
  colour_distance () {
    paste <("$tool" info "$1") <("$tool" info "$2") |
      awk '{ printf "%.4f\n", sqrt(($3-$9)^2 + ($4-$10)^2 + ($5-$11)^2) }'
  }
  w_warm=$(colour_distance "$work/sample-warm.png" "$work/style-b.png")
  w_cool=$(colour_distance "$work/sample-warm.png" "$work/style.png")
  c_warm=$(colour_distance "$work/sample-cool.png" "$work/style-b.png")
  c_cool=$(colour_distance "$work/sample-cool.png" "$work/style.png")
  if lt "$w_warm" "$w_cool" && lt "$c_cool" "$c_warm" && lt "$w_warm" "$c_warm" &&
     lt "$c_cool" "$w_cool" && grep -q '^StyleSampleRegions=channel:[0-9]*;$' "$work/sample-warm.txt"; then
    ok "sample regions: a style layer sampled on its warm side takes the warm half's colours (mean colour $w_warm from the warm style, $w_cool from the cool), sampled on its cool side the cool half's ($c_cool from the cool, $c_warm from the warm); recorded ($(grep StyleSampleRegions "$work/sample-warm.txt"))"
  else
    not_ok "sample regions" "mean colour distances: warm-sampled to warm $w_warm, to cool $w_cool" \
      "cool-sampled to warm $c_warm, to cool $c_cool" "$(grep StyleSample "$work"/sample-*.txt)"
  fi
else
  not_ok "sample regions: the batch failed" "$(log_tail sample)"
fi

# -- 4: clear errors, image unchanged -------------------------------------
failing_case region-not-a-channel "is not a channel or layer mask of this image" "" \
  "#:style-file \"$work/style.png\" #:style-regions (vector (bottom-layer img))"
failing_case region-empty "is empty where Neural Style works" \
  "(define black (gimp-channel-new img \"black\" $W $H 50.0 (list 0 0 0)))
   (gimp-image-insert-channel img black 0 0)" \
  "#:style-file \"$work/style.png\" #:style-regions (vector black)"
failing_case region-count "has 2 regions for 1 style sources" "" \
  "#:style-file \"$work/style.png\" #:style-regions (vector 0 -1)"
failing_case sample-region-of-a-file "only a style layer can be sampled in a region" "" \
  "#:style-file \"$work/style.png\" #:style-sample-regions (vector -1)"
failing_case region-outside-empty "is empty where Neural Style works" "" \
  "#:style-file \"$work/style.png\" #:style-regions (vector -2)"

echo "1..$n"
[ "$failed" -eq 0 ]
