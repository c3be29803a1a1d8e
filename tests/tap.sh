# tap.sh: TAP output for the shell tests, sourced by each.
#   check STATUS DESCRIPTION   one test: ok when STATUS is 0
#   tap_end                    the plan line; exit status 1 if any failed
n=0
failed=0

check () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else failed=$((failed + 1)); echo "not ok $n - $2"; fi
}

tap_end () {
  echo "1..$n"
  exit $((failed > 0))
}
