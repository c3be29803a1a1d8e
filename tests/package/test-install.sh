#!/bin/sh
# The .deb in a clean copy of the Debian 13 root (GIMP, no build of ours):
# installed with dpkg, which checks its dependencies; the plug-in runs from
# GIMP's system plug-in folder through Script-Fu with a fresh profile, in
# English and in German; neural-style-model and its manual page answer;
# removing the package removes the plug-in.  TAP output.
#
#   test-install.sh NEURAL-STYLE.deb     (run as root inside the copy)
set -u
deb=$1
n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
work=$(mktemp -d)
export HOME=$work/home
mkdir -p "$HOME"

if dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
  ok "dpkg -i $(basename "$deb"): dependencies met"
else
  not_ok "dpkg -i" "$(tail -n 5 "$work/dpkg.log")"
fi
plugin=$(dpkg -L neural-style 2>/dev/null | grep '/gimp/3.0/plug-ins/neural-style/neural-style$')
styles=$(dirname "${plugin:-/none}")/styles
if [ -x "${plugin:-/none}" ] && [ -f "$styles/starry-night.jpg" ] &&
   [ -f "$(dirname "$plugin")/locale/de/LC_MESSAGES/neural-style.mo" ]; then
  ok "the plug-in, its presets and catalogs are in GIMP's system folder ($plugin)"
else
  not_ok "plug-in files" "$(dpkg -L neural-style 2>/dev/null | head -n 20)"
fi

# gimp_run LANG SCRIPT: GIMP with a fresh profile (no plug-in of its own)
gimp_run () {
  LANG=$1 LANGUAGE= LC_ALL= gimp-console-3.0 -i -n --batch-interpreter=plug-in-script-fu-eval \
    -b "(script-fu-use-v3) $2" --quit
}
gimp_run C.UTF-8 "
  (let* ((img (gimp-file-load RUN-NONINTERACTIVE \"$styles/water-lilies.jpg\"))
         (drw (vector-ref (gimp-image-get-selected-drawables img) 0)))
    (plug-in-neural-style #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector drw)
                          #:style-preset \"great-wave\" #:max-size 128 #:iterations 10)
    (gimp-message (string-append \"layers: \" (number->string (vector-length (gimp-image-get-layers img)))))
    (gimp-file-save RUN-NONINTERACTIVE img \"$work/out.png\" -1))" >"$work/run.log" 2>&1
if grep -q "layers: 2" "$work/run.log" && [ -s "$work/out.png" ] &&
   grep -rq "plug-ins/neural-style/neural-style" "$HOME/.config/GIMP/3.0/pluginrc" 2>/dev/null; then
  ok "Script-Fu runs plug-in-neural-style from the system folder: a new layer"
else
  not_ok "Script-Fu run" "$(grep -iE 'error|neural' "$work/run.log" | head -n 5)"
fi

gimp_run de_DE.UTF-8 "
  (let* ((img (gimp-image-new 64 64 RGB))
         (layer (gimp-layer-new img \"x\" 64 64 RGB-IMAGE 100 LAYER-MODE-NORMAL)))
    (gimp-image-insert-layer img layer 0 0)
    (plug-in-neural-style #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector layer)
                          #:style-preset \"no-such-preset\"))" >"$work/de.log" 2>&1
if grep -q "Es gibt keine verwendbare Stilvorlage" "$work/de.log"; then
  ok "the plug-in speaks German from the installed catalog"
else
  not_ok "German message" "$(grep -i 'preset\|stil' "$work/de.log" | head -n 3)"
fi

status=$(neural-style-model status 2>&1)
if [ "$status" = "not installed" ] && neural-style-model default | grep -q '^sha256 11aea017' &&
   man -w neural-style-model >/dev/null 2>&1; then
  ok "neural-style-model answers ($status) and has a manual page ($(man -w neural-style-model))"
else
  not_ok "neural-style-model" "$status" "$(man -w neural-style-model 2>&1)"
fi

dpkg -r neural-style >"$work/remove.log" 2>&1
if [ ! -e "$plugin" ] && ! command -v neural-style-model >/dev/null; then
  ok "dpkg -r removes the plug-in and the tool"
else
  not_ok "dpkg -r" "$(tail -n 3 "$work/remove.log")"
fi
rm -rf "$work"
echo "1..$n"
[ "$failed" -eq 0 ]
