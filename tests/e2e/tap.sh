# tap.sh: TAP reporting shared by the end-to-end scripts (sourced).
n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
# not_ok DESCRIPTION [DETAIL…]: the details become TAP comments.
not_ok () {
  n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
  printf '%s\n' "$@" | sed 's/^/# /'
}
# lt A B: true when the float A < B.
lt () { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
