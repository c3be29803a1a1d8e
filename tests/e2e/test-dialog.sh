#!/usr/bin/env bash
# The interactive dialog under a virtual X server: GIMP 3 with a private
# profile opens a generated image, a Script-Fu batch starts the plug-in
# interactively (so its dialog opens), and xdotool drives the dialog by its
# mnemonics.  Runs: Preview then Apply (a new layer), Apply then Cancel
# (image unchanged), Apply then Stop (a layer with the result so far), More
# iterations on a result, style sources added to the list, Install…, a
# style layer whose image is closed while the dialog is open, a region
# chosen for a style.  The
# batch checks the image after each; screenshots of the dialog mid-run are
# kept as artefacts in ARTEFACT-DIR.  TAP output.
#
#   test-dialog.sh PLUG-IN-BINARY NS-IMAGE-TOOL CATALOG-DIR ARTEFACT-DIR WEIGHTS
set -u

plugin=$1
tool=$2
catalogs=$3
artefacts=$4
weights=$5          # a small VGG19-shaped safetensors file, served for step 5
for cmd in gimp-3.0 Xvfb xdotool xwd xwdtopnm pnmtopng; do
  command -v "$cmd" >/dev/null || { echo "1..0 # SKIP $cmd not installed"; exit 0; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ns-dialog.XXXXXX")
mkdir -p "$artefacts"
mkdir -p "$work/home"
"$tool" gen content 1024 768 "$work/content.png"
"$tool" gen style 96 96 "$work/style.png"

# A display of our own: the first free number from 90.
display=90
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
start_x () {
  Xvfb ":$display" -screen 0 1280x1024x24 -nolisten tcp >>"$work/xvfb.log" 2>&1 &
  xvfb=$!
  for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && return 0; sleep 0.1; done
}
gimp_pid=
cleanup () {
  [ -n "$gimp_pid" ] && kill "$gimp_pid" 2>/dev/null
  kill "$xvfb" 2>/dev/null
  wait 2>/dev/null
  [ -n "${NS_E2E_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
export DISPLAY=":$display"
start_x

. "$(dirname "$0")/tap.sh"

# One GIMP session per step, each with a fresh profile: a successful
# interactive run stores its settings as the next one's (GIMP's last
# values), which would override the arguments the next step passes.
new_profile () {
  profile=$work/profile-$1
  mkdir -p "$profile/plug-ins/neural-style"
  ln -s "$(realpath "$plugin")" "$profile/plug-ins/neural-style/neural-style"
  ln -s "$(realpath "$catalogs")" "$profile/plug-ins/neural-style/locale"
}

# start_session STEP SIZE ITERATIONS LAYERS-AFTER [PREP]: GIMP opens the
# content, evaluates PREP (which may set target, the layer to run on: the
# content by default), shows the content, evaluates $after_display if set,
# runs the plug-in interactively on target with those arguments, checks the image has LAYERS-AFTER layers, saves the top
# layer as STEP-top.png, its name as STEP-name.txt and its Neural Style
# record (if any) as STEP-record.txt, and quits.  The dialog's status lines
# go to STEP.log (G_MESSAGES_DEBUG).
start_session () {
  local step=$1 size=$2 iterations=$3 layers=$4 prep=${5:-}
  new_profile "$step"
  # Once in about ten runs Xvfb was gone after step 7 ("Cannot open
  # display" at step 8): start a new one, and say so.
  if ! xdotool getdisplaygeometry >/dev/null 2>&1; then
    echo "# $step: the X server had gone ($(tail -n 2 "$work/xvfb.log" | tr '\n' ' ')); restarting it"
    kill "$xvfb" 2>/dev/null
    start_x
  fi
  GIMP3_DIRECTORY=$profile HOME=$work/home LANG=C.UTF-8 LC_ALL= LANGUAGE= G_MESSAGES_DEBUG=neural-style \
    timeout 300 gimp-3.0 -n --no-splash --batch-interpreter=plug-in-script-fu-eval -b "(script-fu-use-v3)
(define img (gimp-file-load RUN-NONINTERACTIVE \"$work/content.png\"))
(define src (vector-ref (gimp-image-get-selected-drawables img) 0))
(define target src)
$prep
(gimp-display-new img)
${after_display:-}
(catch #f (plug-in-neural-style #:run-mode RUN-INTERACTIVE #:image img #:drawables (vector target)
                                #:style-preset \"mosaic\" #:max-size $size #:iterations $iterations))
(if (= (vector-length (gimp-image-get-layers img)) $layers)
  (let* ((layer (vector-ref (gimp-image-get-layers img) 0))
         (out (gimp-image-new (gimp-drawable-get-width layer) (gimp-drawable-get-height layer) RGB))
         (copy (gimp-layer-new-from-drawable layer out)))
    (gimp-image-insert-layer out copy 0 0)
    (gimp-file-save RUN-NONINTERACTIVE out \"$work/$step-top.png\" -1)
    (let ((port (open-output-file \"$work/$step-name.txt\")))
      (display (gimp-item-get-name layer) port)
      (close-output-port port))
    (catch #f
      (let* ((p (gimp-item-get-parasite layer \"neural-style-result\"))
             (port (open-output-file \"$work/$step-record.txt\")))
        (display (if (list? (car p)) (caddar p) (caddr p)) port)
        (close-output-port port)))))
(gimp-quit TRUE)" >"$work/$step.log" 2>&1 &
  gimp_pid=$!
}
end_session () { wait "$gimp_pid" 2>/dev/null; gimp_pid=; cp "$work/$1.log" "$artefacts/" 2>/dev/null; }

# Waits for the dialog, focuses it; prints its window id.
dialog_window () {
  local id
  for _ in $(seq 600); do
    id=$(xdotool search --name '^Neural Style$' 2>/dev/null | tail -n 1)
    # Keys sent while the new window is still settling (mapping, focus, the
    # estimate's measurement starting) can go to GIMP's image window.
    [ -n "$id" ] && { sleep 2; xdotool windowfocus --sync "$id" 2>/dev/null; echo "$id"; return 0; }
    kill -0 "$gimp_pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}
window_named () {   # waits up to 10 s for a window titled $1; prints its id
  local id
  for _ in $(seq 50); do
    id=$(xdotool search --name "^$1\$" 2>/dev/null | tail -n 1)
    [ -n "$id" ] && { echo "$id"; return 0; }
    sleep 0.2
  done
  return 1
}
gone () {   # waits (up to $2 seconds, default 120) until window $1 has closed
  for _ in $(seq $((${2:-120} * 5))); do
    xdotool getwindowname "$1" >/dev/null 2>&1 || return 0
    sleep 0.2
  done
  return 1
}
screenshot () { xwd -silent -id "$1" 2>/dev/null | xwdtopnm 2>/dev/null | pnmtopng >"$artefacts/$2.png" 2>/dev/null; }
key () { xdotool key --clearmodifiers "$@"; }

log_tail () { grep -iE 'error|check failed|critical' "$work/$1.log" | head -n 8; }
differs () { lt 0.01 "$("$tool" diff "$work/$1-top.png" "$work/content.png")"; }

# 1: Preview, then Apply (processing size 128, 15 iterations: quick).
start_session apply 128 15 2
if win=$(dialog_window); then
  screenshot "$win" dialog-opened
  sleep 3; screenshot "$win" dialog-estimate     # the measurement has ended
  key alt+v; sleep 5
  screenshot "$win" dialog-preview
  key alt+a
  gone "$win"
fi
end_session apply
if [ -e "$work/apply-top.png" ] && differs apply; then
  ok "dialog: Preview, then Apply adds the result as a new layer"
else
  not_ok "dialog: Preview and Apply" "$(log_tail apply)"
fi
# The bundled presets the dialog listed (its debug lines): each painting
# with a thumbnail and its artist in the description.
missing=
for painting in "starry-night:Vincent van Gogh" "great-wave:Katsushika Hokusai" \
                "composition-vii:Wassily Kandinsky" "udnie:Francis Picabia" \
                "water-lilies:Claude Monet" "flowering-cherry:Sakai Hōitsu"; do
  grep -q "preset ${painting%%:*}: .*: ${painting#*:}, .*(thumbnail [1-9][0-9]* x [1-9][0-9]*)" \
    "$work/apply.log" || missing="$missing ${painting%%:*}"
done
if [ -z "$missing" ]; then
  ok "dialog: the six painting presets are listed with thumbnails and credits ($(grep -c 'DEBUG.*preset [a-z-]*: ' "$work/apply.log") presets)"
else
  not_ok "dialog: painting presets listed" "missing:$missing" "$(grep 'preset ' "$work/apply.log" | head -n 12)"
fi

# 2: Apply at full size (1024 x 768) with 5000 iterations per scale, which
# only the Cancel can end in time; the content stays the top layer.
start_session cancel 0 5000 1
cancelled=no    # the dialog opened, ran, and Escape closed it in time
if win=$(dialog_window); then
  key alt+a; sleep 4
  screenshot "$win" dialog-before-cancel
  key Escape
  gone "$win" 30 && cancelled=yes
fi
end_session cancel
if [ "$cancelled" = yes ] && [ -e "$work/cancel-top.png" ] && ! differs cancel; then
  ok "dialog: Cancel during a run closes the dialog and leaves the image as it was"
else
  not_ok "dialog: Cancel during a run" "dialog opened and closed by Escape within 30 s: $cancelled" \
    "$(log_tail cancel)"
fi

# 3: the same long run, stopped: its result so far becomes the layer.
start_session stop 0 5000 2
if win=$(dialog_window); then
  key alt+a; sleep 8
  screenshot "$win" dialog-before-stop
  key alt+p
  gone "$win" 30 || not_ok "dialog: Stop closes the dialog within 30 s"
fi
end_session stop
if [ -e "$work/stop-top.png" ] && differs stop; then
  ok "dialog: Stop keeps the result so far as a new layer (differs from the content by $("$tool" diff "$work/stop-top.png" "$work/content.png"))"
else
  not_ok "dialog: Stop" "$(log_tail stop)"
fi

# 4: on a result layer the dialog shows its settings (its 5 iterations
# replace the 10 passed) and offers More iterations, which continues it
# into a new layer above it: 5 + 5 iterations.
start_session more 128 10 3 "(set! target (plug-in-neural-style #:run-mode RUN-NONINTERACTIVE
  #:image img #:drawables (vector src) #:style-preset \"mosaic\" #:max-size 128 #:iterations 5))"
if win=$(dialog_window); then
  sleep 1; screenshot "$win" dialog-on-result
  key alt+m
  gone "$win"
fi
end_session more
name=$(cat "$work/more-name.txt" 2>/dev/null)
if [ "$name" = "Neural Style (Mosaic), 10 iterations" ] && differs more; then
  ok "dialog: More iterations on a result adds \"$name\" above it"
else
  not_ok "dialog: More iterations" "top layer: \"$name\"" "$(log_tail more)"
fi

# 5: two more style sources added in the dialog: an image file through
# the file chooser (typed into its location bar) and the preset chooser's
# first preset, next to the Mosaic passed in; Apply blends all three.
start_session sources 128 10 2
if win=$(dialog_window); then
  key alt+f
  if chooser=$(window_named 'Add Style Images'); then
    sleep 1
    xdotool windowfocus --sync "$chooser" 2>/dev/null
    key ctrl+l
    xdotool type --delay 20 "$work/style.png"
    sleep 0.5; key Return
    gone "$chooser" 10
  fi
  xdotool windowfocus --sync "$win" 2>/dev/null
  key alt+b; sleep 1
  screenshot "$win" dialog-sources
  key alt+a
  gone "$win"
fi
end_session sources
name=$(cat "$work/sources-name.txt" 2>/dev/null)
if [ "$name" = "Neural Style (style + Mosaic + Brush strokes)" ] &&
   grep -qx "StyleFiles=file://$work/style.png;" "$work/sources-record.txt" &&
   grep -qx 'StylePresets=mosaic;brush-strokes;' "$work/sources-record.txt" && differs sources; then
  ok "dialog: a file and a preset added to the list are blended with the preset given: \"$name\""
else
  not_ok "dialog: adding style sources" "file chooser: ${chooser:-none}, top layer: \"$name\"" \
    "record: $(grep '^Style[FP]' "$work/sources-record.txt" 2>/dev/null | tr '\n' ' ')" "$(log_tail sources)"
fi

# 6: VGG19 is missing, so Install… shows.  Its dialog opens with the
# published default (timm's vgg19.tv_in1k and its SHA-256) filled in.  A
# loopback copy with one byte changed, under the good file's checksum
# (computed here), is refused and nothing is installed; the good copy is
# downloaded with a progress bar, checked and installed; then Cancel
# closes all.
mkdir -p "$work/www"
cp "$weights" "$work/www/vgg19.safetensors"
cp "$weights" "$work/www/corrupted.safetensors"
printf '\x5a' | dd of="$work/www/corrupted.safetensors" bs=1 seek=$(( $(stat -c %s "$weights") - 5 )) \
  conv=notrunc status=none
sha=$(sha256sum "$work/www/vgg19.safetensors" | cut -d' ' -f1)
coproc SERVER { exec python3 "$(dirname "$0")/../http_server.py" "$work/www" "$work/server.log"; }
read -r port <&"${SERVER[0]}"
model=$work/home/.local/share/neural-style/models/vgg19.safetensors
start_session install 128 5 1
refused=no
if win=$(dialog_window); then
  key alt+9
  if inst=$(window_named 'Install VGG19'); then
    xdotool windowfocus --sync "$inst" 2>/dev/null
    screenshot "$inst" install-dialog-default
    key alt+a ctrl+a
    xdotool type --delay 20 "http://127.0.0.1:$port/corrupted.safetensors"
    key alt+s ctrl+a
    xdotool type --delay 10 "$sha"
    key alt+i
    for _ in $(seq 100); do
      grep -q "install status: The downloaded file is not the published one" "$work/install.log" &&
        { refused=yes; break; }
      sleep 0.3
    done
    [ -e "$model" ] && refused="no: installed anyway"
    screenshot "$inst" install-dialog-refused
    key alt+a ctrl+a
    xdotool type --delay 20 "http://127.0.0.1:$port/vgg19.safetensors"
    key alt+i
    gone "$inst" 60
  fi
  sleep 1; screenshot "$win" dialog-after-install
  xdotool windowfocus --sync "$win" 2>/dev/null
  key Escape
  gone "$win" 30
fi
end_session install
kill "$SERVER_PID" 2>/dev/null
if grep -q "install: address https://huggingface.co/timm/vgg19.tv_in1k/resolve/main/model.safetensors sha256 11aea017b543ff59233749d8f1cf544cda749378f5790d2fedab841fb86b7669$" \
     "$work/install.log"; then
  ok "dialog: Install… opens with timm's vgg19.tv_in1k and its published SHA-256 filled in"
else
  not_ok "dialog: Install… default address" "install window: ${inst:-none}" "$(grep 'install:' "$work/install.log")"
fi
if [ "$refused" = yes ]; then
  ok "dialog: a corrupted copy under the good SHA-256 is refused, nothing installed"
else
  not_ok "dialog: corrupted copy" "refused: $refused" "$(grep 'install' "$work/install.log" | tail -n 4)"
fi
if [ -s "$model" ] && [ -n "${inst:-}" ] && grep -q "install: full http://127.0.0.1:$port/vgg19.safetensors sha256 $sha" "$work/install.log"; then
  ok "dialog: Install… downloads VGG19 checked against its SHA-256 ($(stat -c %s "$model") bytes kept)"
else
  not_ok "dialog: Install…" "install window: ${inst:-none}" "$(log_tail install)"
fi

# 7: a style layer added in the dialog whose image the user closes while
# the dialog is open: Apply says so in the status line and leaves the
# dialog open; Cancel then leaves the content as it was.  The style image
# is shown last, so it is the main window's active image (GIMP 3 shows
# images as tabs of one window) and the first in the layer chooser, and
# clean, so Ctrl+W closes it at once.  (With the layer passed as an
# argument instead, GIMP 3.0.4 itself crashed after the call in about one
# run in five, while the plug-in had ended cleanly.)
after_display='(define sky (gimp-image-new 64 64 RGB))
(define sky-layer (gimp-layer-new sky "Sky" 64 64 RGB-IMAGE 100 LAYER-MODE-NORMAL))
(gimp-image-insert-layer sky sky-layer 0 0)
(gimp-drawable-fill sky-layer FILL-WHITE)
(gimp-display-new sky)
(gimp-image-clean-all sky)' \
  start_session closed 128 10 1
closed=no applied_open=no
if win=$(dialog_window); then
  key alt+y; sleep 1
  screenshot "$win" dialog-style-layer-added
  if sky=$(window_named '\[Untitled\]-2\.0 .*GIMP'); then
    xdotool windowfocus --sync "$sky" 2>/dev/null
    key ctrl+w
    for _ in $(seq 50); do
      xdotool search --name '^\[Untitled\]-2\.0 ' >/dev/null 2>&1 || { closed=yes; break; }
      sleep 0.2
    done
  fi
  xdotool windowfocus --sync "$win" 2>/dev/null
  key alt+a; sleep 3
  screenshot "$win" dialog-style-image-closed
  xdotool getwindowname "$win" >/dev/null 2>&1 && applied_open=yes
  key Escape
  gone "$win" 30
fi
end_session closed
status=$(grep -o 'status: A style layer is gone.*' "$work/closed.log" | head -n 1)
if [ "$closed" = yes ] && [ "$applied_open" = yes ] && [ -n "$status" ] &&
   [ -e "$work/closed-top.png" ] && ! differs closed; then
  ok "dialog: a style image closed while the dialog is open is refused at Apply (\"${status#status: }\"), the content unchanged"
else
  not_ok "dialog: style image closed during the dialog" "style window: ${sky:-none}, closed: $closed," \
    "dialog open after Apply: $applied_open, status: ${status:-none}" "$(log_tail closed)"
fi

# 8: a region for the style in its row: the channel "left" (the left
# half), chosen with the keyboard in the row's Apply to list (Everywhere,
# Selection, Outside the selection, then the channels); Apply styles the
# left half and leaves the right close to the photo.
start_session regions 128 15 2 "(gimp-image-select-rectangle img CHANNEL-OP-REPLACE 0 0 512 768)
(gimp-item-set-name (gimp-selection-save img) \"left\")
(gimp-selection-none img)"
if win=$(dialog_window); then
  key alt+l; sleep 0.5
  key Down Down Down; sleep 1
  screenshot "$win" dialog-regions
  key alt+a
  gone "$win"
fi
end_session regions
half_diff () {   # how far a half of the result is from the photo's
  "$tool" crop "$work/regions-top.png" "$1" 0 256 768 "$work/regions-half.png" >/dev/null &&
    "$tool" crop "$work/content.png" "$1" 0 256 768 "$work/content-half.png" >/dev/null &&
    "$tool" diff "$work/regions-half.png" "$work/content-half.png"
}
if [ -e "$work/regions-top.png" ]; then
  inside=$(half_diff 0) outside=$(half_diff 768)
fi
if grep -qx 'StyleRegions=channel:[0-9]*;' "$work/regions-record.txt" 2>/dev/null &&
   lt "$(awk -v a="${outside:-1}" 'BEGIN { print 3 * a }')" "${inside:-0}"; then
  ok "dialog: the style limited to the channel \"left\" in its row (left quarter differs from the photo by $inside, right quarter by $outside)"
else
  not_ok "dialog: a region chosen in the style's row" \
    "record: $(grep '^StyleRegions' "$work/regions-record.txt" 2>/dev/null)" \
    "left quarter differs by ${inside:-?}, right by ${outside:-?}" "$(log_tail regions)"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
