# gimp-batch.sh: GIMP batch runs for the end-to-end scripts, sourced after
# tap.sh with $plugin, $catalogs, $tool and $work set: a private profile
# with the plug-in in it, the Script-Fu prelude every case shares,
# gimp_case, log_tail and failing_case.
profile=$work/profile
mkdir -p "$profile/plug-ins/neural-style" "$work/home"
ln -s "$(realpath "$plugin")" "$profile/plug-ins/neural-style/neural-style"
ln -s "$(realpath "$catalogs")" "$profile/plug-ins/neural-style/locale"

# Script-Fu shared by every case: assertions that end the batch with an
# error (exit code 70) and a way to export one layer alone.
prelude='(script-fu-use-v3)
(define (check ok what) (if (not ok) (error (string-append "check failed: " what))))
(define (value r) (if (list? r) (car r) r))
(define (open path) (gimp-file-load RUN-NONINTERACTIVE path))
(define (first-drawable img) (vector-ref (gimp-image-get-selected-drawables img) 0))
(define (bottom-layer img) (vector-ref (gimp-image-get-layers img) (- (n-layers img) 1)))
(define (n-layers img) (vector-length (gimp-image-get-layers img)))
(define (export-layer layer path)
  (let* ((img (gimp-image-new (gimp-drawable-get-width layer) (gimp-drawable-get-height layer) RGB))
         (copy (gimp-layer-new-from-drawable layer img)))
    (gimp-image-insert-layer img copy 0 0)
    (gimp-layer-set-offsets copy 0 0)
    (gimp-file-save RUN-NONINTERACTIVE img path -1)
    (gimp-image-delete img)))
(define (stylise-layer img drawable . args)
  (value (apply plug-in-neural-style
                (append (list #:run-mode RUN-NONINTERACTIVE #:image img
                              #:drawables (vector drawable)
                              #:iterations 30 #:max-size 0)
                        args))))
(define (stylise img . args) (apply stylise-layer img (bottom-layer img) args))
(define (save-record layer path)
  (let* ((p (gimp-item-get-parasite layer "neural-style-result"))
         (data (if (list? (car p)) (caddar p) (caddr p)))
         (port (open-output-file path)))
    (display data port)
    (close-output-port port)))'

# gimp_case NAME SCHEME: runs one batch; its output goes to $work/NAME.log.
# $locale (default C.UTF-8) chooses the messages' language.
locale=C.UTF-8
gimp_case () {
  local name=$1 body=$2
  env ${extra_env:-} GIMP3_DIRECTORY="$profile" HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" \
    LANG="$locale" LANGUAGE= LC_ALL= \
    timeout 300 gimp-console-3.0 -i -n --batch-interpreter=plug-in-script-fu-eval \
    -b "$prelude $body" --quit >"$work/$name.log" 2>&1
}

# What GIMP said that matters: errors and failed checks, not its noise.
log_tail () { grep -A3 -E "Error|error:|check failed: [^\"]" "$work/$1.log" | grep -v "Broken pipe" | head -n 12; }

# failing_case NAME MESSAGE SETUP ARGS [TOP-LEVEL]: stylising content.png
# (after SETUP, with img bound; TOP-LEVEL Script-Fu runs before) with ARGS
# must fail with MESSAGE.  It first calls inside catch and checks the
# image, then calls again uncaught so that GIMP prints the error and the
# batch fails.
failing_case () {
  local name=$1 want=$2 setup=$3 args=$4 top=${5:-}
  gimp_case "$name" "
    $top
    (let* ((img (open \"$work/content.png\")))
      $setup
      (export-layer (bottom-layer img) \"$work/$name-before.png\")
      (catch #f (stylise img $args))
      (check (= (n-layers img) 1) \"still one layer\")
      (export-layer (bottom-layer img) \"$work/$name-after.png\")
      (stylise img $args))"
  local status=$?
  if [ "$status" -ne 0 ] && grep -q -- "$want" "$work/$name.log" &&
     ! grep -q 'check failed: [^"]' "$work/$name.log" &&
     [ "$("$tool" diff "$work/$name-before.png" "$work/$name-after.png")" = 0.000000 ]; then
    ok "$name: fails with \"$want\", image unchanged"
  else
    not_ok "$name: should fail with \"$want\"" "exit $status" "$(log_tail "$name")"
  fi
}

