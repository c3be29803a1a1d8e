#!/usr/bin/env bash
# The input matrix through GIMP: layers and style images of odd sizes,
# places, formats and kinds.  Each either works (a new layer of the
# source's size and place, the source untouched) or fails with a clear,
# translated message and the image unchanged.
#
#   test-inputs.sh PLUG-IN-BINARY NS-IMAGE-TOOL CATALOG-DIR
set -u

plugin=$1
tool=$2
catalogs=$3
command -v gimp-console-3.0 >/dev/null || { echo "1..0 # SKIP gimp-console-3.0 not installed"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ns-inputs.XXXXXX")
[ -n "${NS_E2E_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
"$tool" gen content 64 48 "$work/content.png"
"$tool" gen content-alpha 64 48 "$work/content-alpha.png"
"$tool" gen style 48 48 "$work/style.png"
"$tool" gen style 1 1 "$work/style-1x1.png"
"$tool" gen style 20000 24 "$work/style-20000.png"

. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/gimp-batch.sh"

# works NAME SETUP SOURCE ARGS [CHECKS [MIN-CHANGE]]: SETUP (Script-Fu,
# with img open on content.png) prepares the image; SOURCE is the drawable
# stylised.  The new layer must have the source's size and offsets and
# differ from the source by more than MIN-CHANGE (0.001; -1 for a source
# with nothing to see), which must be unchanged; CHECKS are more Script-Fu
# checks on `layer` and `src`.
works () {
  local name=$1 setup=$2 source=$3 args=$4 checks=${5:-} min_change=${6:-0.001}
  if gimp_case "$name" "
    (let* ((img (open \"$work/content.png\")))
      $setup
      (let* ((src $source)
             (before (gimp-drawable-get-offsets src)))
        (export-layer src \"$work/$name-src-before.png\")
        (let ((layer (stylise-layer img src #:iterations 5 $args)))
          (check (= (gimp-drawable-get-width layer) (gimp-drawable-get-width src)) \"the source's width\")
          (check (= (gimp-drawable-get-height layer) (gimp-drawable-get-height src)) \"the source's height\")
          (check (equal? (gimp-drawable-get-offsets layer) before) \"the source's offsets\")
          $checks
          (export-layer src \"$work/$name-src-after.png\")
          (export-layer layer \"$work/$name-out.png\"))))"; then
    local unchanged changed
    unchanged=$("$tool" diff "$work/$name-src-before.png" "$work/$name-src-after.png")
    changed=$("$tool" diff "$work/$name-out.png" "$work/$name-src-before.png")
    if [ "$unchanged" = 0.000000 ] && lt "$min_change" "$changed"; then
      ok "$name: works; source unchanged, result differs from it by $changed"
    else
      not_ok "$name" "source changed by $unchanged (want 0)" "result differs by $changed (want > $min_change)"
    fi
  else
    not_ok "$name: the batch failed" "$(log_tail "$name")"
  fi
}

new_image='(set! img (gimp-image-new @W@ @H@ RGB))
           (let ((l (gimp-layer-new img "tiny" @W@ @H@ RGB-IMAGE 100 LAYER-MODE-NORMAL)))
             (gimp-image-insert-layer img l 0 0)
             (gimp-drawable-fill l FILL-WHITE))'

# -- sizes: 1 x 1 and 1 x 65535 layers are too small for any network ----
one_pixel=${new_image//@[WH]@/1}
tall=${new_image//@W@/1}
failing_case one-pixel "at least 8 × 8 pixels" "$one_pixel" "#:style-file \"$work/style.png\""
failing_case one-by-65535 "at least 8 × 8 pixels" "${tall//@H@/65535}" "#:style-file \"$work/style.png\""
# The same message in German, from the plug-in's own catalog.
if locale -a 2>/dev/null | grep -qi '^de_DE.utf-\?8$'; then
  locale=de_DE.UTF-8
  failing_case one-pixel-de "ist zu klein: Neural Style braucht mindestens 8 × 8 Pixel" \
    "$one_pixel" "#:style-file \"$work/style.png\""
  locale=C.UTF-8
else
  n=$((n + 1)); echo "ok $n - one-pixel-de # SKIP no de_DE.UTF-8 locale on this system"
fi

# -- places: larger than the canvas, wholly off it -----------------------
works larger-than-canvas "(gimp-layer-scale (first-drawable img) 96 80 TRUE)" \
  "(first-drawable img)" "#:style-file \"$work/style.png\"" \
  "(check (> (gimp-drawable-get-width layer) (gimp-image-get-width img)) \"wider than the canvas\")"
works off-canvas "(gimp-layer-set-offsets (first-drawable img) 300 -200)" \
  "(first-drawable img)" "#:style-file \"$work/style.png\""

# -- transparency: an all-transparent layer stays all transparent --------
works transparent "(gimp-layer-add-alpha (first-drawable img))
                   (let ((copy (gimp-layer-copy (first-drawable img))))
                     (gimp-image-insert-layer img copy 0 0)
                     (gimp-drawable-edit-clear copy))" \
  "(vector-ref (gimp-image-get-layers img) 0)" "#:style-file \"$work/style.png\"" \
  "(check (gimp-drawable-has-alpha layer) \"alpha kept\")" -1
a=$("$tool" info "$work/transparent-out.png" 2>/dev/null | awk '{ print $6 }')
if [ -n "$a" ] && lt "$a" 0.0001; then
  ok "transparent: the result's mean alpha is $a"
else
  not_ok "transparent: the result should be all transparent" "mean alpha ${a:-none}"
fi

# -- formats: 16-bit linear, 32-bit float, grayscale with alpha ----------
works u16-linear "(gimp-image-convert-precision img PRECISION-U16-LINEAR)" \
  "(first-drawable img)" "#:style-file \"$work/style.png\"" \
  "(check (= (gimp-image-get-precision img) PRECISION-U16-LINEAR) \"16-bit linear kept\")"
works float "(gimp-image-convert-precision img PRECISION-FLOAT-NON-LINEAR)" \
  "(first-drawable img)" "#:style-file \"$work/style.png\"" \
  "(check (= (gimp-image-get-precision img) PRECISION-FLOAT-NON-LINEAR) \"float kept\")"
works gray-alpha "(gimp-image-convert-grayscale img) (gimp-layer-add-alpha (first-drawable img))" \
  "(first-drawable img)" "#:style-file \"$work/style.png\"" \
  "(check (and (gimp-drawable-is-gray layer) (gimp-drawable-has-alpha layer)) \"gray with alpha\")"

# -- kinds: a layer group and a text layer as the content ----------------
works group-content "(let ((group (gimp-group-layer-new img \"group\")))
                       (gimp-image-insert-layer img group 0 0)
                       (gimp-image-reorder-item img (bottom-layer img) group 0))" \
  "(vector-ref (gimp-image-get-layers img) 0)" "#:style-file \"$work/style.png\"" \
  "(check (gimp-item-is-group src) \"a group was the source\")"
works text "(let ((text (gimp-text-layer-new img \"Neural\" (gimp-context-get-font) 40 UNIT-PIXEL)))
              (gimp-image-insert-layer img text 0 0))" \
  "(vector-ref (gimp-image-get-layers img) 0)" "#:style-file \"$work/style.png\"" \
  "(check (gimp-item-id-is-text-layer src) \"the text layer is still text\")"

# -- style images: 1 x 1, 20000 px wide, a layer of an image closed ------
# A one-pixel style is a flat colour: the result takes it on.
works style-one-pixel "" "(first-drawable img)" "#:style-file \"$work/style-1x1.png\""
works style-20000-wide "" "(first-drawable img)" "#:style-file \"$work/style-20000.png\""
failing_case style-image-closed "is not the ID of a layer" "" "#:style-layers (vector style-id)" \
  "(define style-id (let* ((other (open \"$work/style.png\")) (id (first-drawable other)))
                      (gimp-image-delete other)
                      id))"

echo "1..$n"
[ "$failed" -eq 0 ]
