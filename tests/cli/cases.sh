# cases.sh - command-line behaviour of `vortex`; sourced by tests/run.sh.
#
#   cli NAME EXPECTED_RC EXPECTED_TEXT ARGS...     (from run.sh: the output,
#       stdout and stderr together, must contain EXPECTED_TEXT)
#   cli_lacks NAME EXPECTED_RC UNWANTED_TEXT ARGS... (the output must NOT
#       contain UNWANTED_TEXT)
#   tty_cli ...                                     the same on a terminal
#
# Exit codes: 0 success, 1 errors in the user's program or an unreadable
# file, 2 command-line misuse.

ESC=$(printf '\033')
ok_file="$tmp/cli_ok.vx"
printf 'fn main() {\n    let x = 1 + 2\n    println(x)\n}\n' >"$ok_file"
err_file=tests/errors/05_let_without_name.vx

# Fixtures that are not worth a file in the tree.
fx="$tmp/cli_fixtures"
mkdir -p "$fx/a_directory.vx"
: >"$fx/empty.vx"
printf '// only comments here\n/* a block comment\n   /* nested */ over lines */\n' >"$fx/comments.vx"
printf '\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe\x00\x01\x02\x03\x9f\x88\xc0\xc1garbage\x00\x00}{)(\n' >"$fx/garbage.vx"

cli_lacks() {
  local name=$1 want_rc=$2 unwanted=$3; shift 3
  local rc=0
  timeout 20 "$VX" "$@" >"$tmp/out" 2>&1 </dev/null || rc=$?
  if [ "$rc" -ne "$want_rc" ]; then fail "cli: $name" "  exit $rc, expected $want_rc: $(head -5 "$tmp/out")"; return; fi
  if grep -qF -- "$unwanted" "$tmp/out"; then fail "cli: $name" "  output has '$unwanted':
$(head -10 "$tmp/out" | cat -v)"; return; fi
  pass
}

# tty_cli NAME EXPECTED_RC present|absent TEXT ARGS...: run with stdout and
# stderr on a pseudo-terminal (via script(1)); skipped where script is missing.
tty_cli() {
  local name=$1 want_rc=$2 mode=$3 text=$4; shift 4
  command -v script >/dev/null 2>&1 || { pass; return; }
  local rc=0
  timeout 20 script -qec "$VX $*" /dev/null >"$tmp/out" 2>&1 </dev/null || rc=$?
  if [ "$rc" -ne "$want_rc" ]; then fail "cli: $name" "  exit $rc, expected $want_rc: $(head -5 "$tmp/out")"; return; fi
  local found=0
  grep -qF -- "$text" "$tmp/out" && found=1
  if [ "$mode" = present ] && [ $found = 0 ]; then fail "cli: $name" "  terminal output lacks '$text'"; return; fi
  if [ "$mode" = absent ] && [ $found = 1 ]; then fail "cli: $name" "  terminal output has '$text'"; return; fi
  pass
}

# ---- version and help ---------------------------------------------------------
cli "--version"                   0 "vortex 0."                 --version
cli "-V"                          0 "vortex 0."                 -V
cli "--help lists commands"       0 "Usage: vortex COMMAND"     --help
cli "--help mentions check"       0 "check"                     --help
cli "-h"                          0 "Usage: vortex COMMAND"     -h
cli "help"                        0 "Commands:"                 help
cli "help parse shows its flags"  0 "--tokens"                  help parse
cli "help check"                  0 "vortex check FILE"         help check
cli "help run"                    0 "vortex run FILE"           help run
cli "help unknown command"        2 "unknown command \`frobnicate\`" help frobnicate
cli "help too many topics"        2 "at most one COMMAND"       help check run

# ---- misuse: exit 2 -------------------------------------------------------------
cli "no arguments prints usage"   2 "Usage: vortex COMMAND"
cli "unknown command"             2 "unknown command \`frobnicate\`" frobnicate "$ok_file"
cli "did you mean check"          2 "did you mean \`check\`?"   chek "$ok_file"
cli "did you mean parse"          2 "did you mean \`parse\`?"   pars "$ok_file"
cli_lacks "no suggestion when far" 2 "did you mean"             zzzzzzzz "$ok_file"
cli "flag before command"         2 "a command comes first"     --dump "$ok_file"
cli "unknown flag"                2 "unknown flag \`--bogus\` for \`vortex check\`" check --bogus "$ok_file"
cli "parse flag on check"         2 "unknown flag \`--dump\` for \`vortex check\`"  check --dump "$ok_file"
cli "bad --error-format value"    2 "invalid value \`xml\`"       check --error-format=xml "$ok_file"
cli "bad --color value"           2 "invalid value \`sometimes\`"        check --color=sometimes "$ok_file"
cli "missing FILE"                2 "\`vortex check\` needs a FILE" check
cli "missing FILE shows usage"    2 "Usage: vortex parse FILE"  parse --dump
cli "two FILEs"                   2 "only one FILE is accepted" check "$ok_file" "$err_file"

# ---- unreadable input: exit 1 ---------------------------------------------------
cli "nonexistent file"            1 "cannot read \`no/such/file.vx\`: No such file or directory" check no/such/file.vx
cli "directory as FILE"           1 "Is a directory"            check "$fx/a_directory.vx"
cli "directory names the path"    1 "a_directory.vx"            parse "$fx/a_directory.vx"
cli "binary garbage"              1 "this file is not text"            check --color=never "$fx/garbage.vx"

# ---- parse ---------------------------------------------------------------------
cli_lacks "parse ok is silent"    0 "error"                     parse "$ok_file"
cli_lacks "check ok"              0 "error"                     check "$ok_file"
cli "parse --dump"                0 "File"                      parse --dump "$ok_file"
cli "parse --dump shows a fn"     0 "Fn main"                   parse --dump "$ok_file"
cli "parse --dump --spans"        0 "File @1:1-"                     parse --dump --spans "$ok_file"
cli "parse --tokens"              0 "1:1 \`fn\`"            parse --tokens "$ok_file"
cli "parse --tokens values"       0 "integer literal 2 = 2"   parse --tokens "$ok_file"
cli "flags after FILE"            0 "File"                      parse "$ok_file" --dump
cli_lacks "empty file parses"     0 "error"                     parse "$fx/empty.vx"
cli "empty file --dump"           0 "File"                      parse --dump "$fx/empty.vx"
cli_lacks "empty file no errors"  0 "error"                     check "$fx/empty.vx"
cli "comments-only --tokens"      0 "end of file"               parse --tokens "$fx/comments.vx"
cli_lacks "comments-only no errors" 0 "error"                   check "$fx/comments.vx"

# ---- diagnostics -------------------------------------------------------------------
cli "check with errors"           1 "error: expected a name or pattern to bind" check --color=never "$err_file"
cli "check names file:line:col"   1 " --> $err_file:2:9"        check --color=never "$err_file"
cli "check summary line"          1 "error: aborting due to 1 previous error" check --color=never "$err_file"
cli "parse with errors"           1 "expected a name or pattern" parse --color=never "$err_file"
cli "parse --dump with errors"    1 "expected a name or pattern" parse --dump --color=never "$err_file"
cli "json has line"               1 "\"line\":2"                check --error-format=json "$err_file"
cli "json has severity"           1 "{\"severity\":\"error\",\"message\":" check --error-format=json "$err_file"
cli "json has file"               1 "\"file\":\"$err_file\""    check --error-format=json "$err_file"
cli_lacks "json has no summary"   1 "aborting"                  check --error-format=json "$err_file"
cli_lacks "json has no caret art" 1 " --> "                     check --error-format=json "$err_file"
cli "json then human wins"        1 " --> "                     check --error-format=json --error-format=human "$err_file"
cli "--color=always colours"      1 "$ESC["                     check --color=always "$err_file"
cli_lacks "--color=never plain"   1 "$ESC"                      check --color=never "$err_file"
cli_lacks "auto off a terminal"   1 "$ESC"                      check "$err_file"
cli_lacks "json never coloured"   1 "$ESC"                      check --error-format=json --color=always "$err_file"
NO_COLOR=1 cli_lacks "NO_COLOR, auto" 1 "$ESC"                  check "$err_file"
NO_COLOR=1 cli "--color=always beats NO_COLOR" 1 "$ESC["        check --color=always "$err_file"
tty_cli "auto on a terminal colours"   1 present "$ESC[" check "$err_file"
NO_COLOR=1 tty_cli "NO_COLOR on a terminal" 1 absent "$ESC" check "$err_file"
tty_cli "--color=never on a terminal"  1 absent "$ESC" check --color=never "$err_file"

# ---- run ---------------------------------------------------------------------------
cli "run executes the program"    0 "3"                         run "$ok_file"
cli "run dumps bytecode"          0 "fn main"                   run --dump-bytecode "$ok_file"
cli "run with program args"       0 "3"                         run "$ok_file" --epochs 3
cli "run reports syntax errors"   1 "expected a name or pattern" run --color=never "$err_file"
cli_lacks "run stops at errors"   1 "fn main"                   run --color=never "$err_file"
printf 'fn main() {\n    let mut count = 0\n    let bump = || { count += 1 }\n    bump()\n    println(count)\n}\n' >"$fx/capture_assign.vx"
cli "run refuses changing a captured variable" 1 "changing a variable captured by a closure" run --color=never "$fx/capture_assign.vx"
cli "run names the refused capture's line" 1 "capture_assign.vx:3:21" run --color=never "$fx/capture_assign.vx"
printf 'fn main() {\n    let id = |x| x\n    let g = |y| id(y)\n    println(g(1), g("s"))\n}\n' >"$fx/poly_closure.vx"
cli "run runs a generalised closure inside another" 0 "1 s" run --color=never "$fx/poly_closure.vx"
printf 'fn sw(a: &mut i64, b: &mut i64) { let t = *a; *a = *b; *b = t }\nfn main() {\n    var x = [1, 2]\n    sw(&mut x[0], &mut x[1])\n}\n' >"$fx/double_borrow.vx"
cli "run refuses two &mut borrows of one variable" 1 "cannot borrow the same variable as mutable twice" run --color=never "$fx/double_borrow.vx"
cli "run names the second &mut borrow" 1 "double_borrow.vx:4:19" run --color=never "$fx/double_borrow.vx"
printf 'fn inc(a: &mut i64) { *a += 1 }\nfn main() {\n    var x = 1\n    let f = || inc(&mut x)\n    f()\n}\n' >"$fx/capture_mut_arg.vx"
cli "run refuses &mut of a captured variable" 1 "changing a variable captured by a closure" run --color=never "$fx/capture_mut_arg.vx"

# ---- modules: $VORTEX_STD replaces the embedded standard library ------------------
mkdir -p "$fx/std"
printf 'pub fn hello() -> str { "from VORTEX_STD" }\n' >"$fx/std/greet.vx"
printf 'import std.greet\nfn main() { println(greet.hello()) }\n' >"$fx/use_std.vx"
VORTEX_STD="$fx/std" cli "VORTEX_STD supplies std modules" 0 "from VORTEX_STD" run "$fx/use_std.vx"
cli "std modules are embedded, not read from disk" 1 "the standard library has no \`greet.vx\`" check --color=never "$fx/use_std.vx"
VORTEX_STD="$fx/std" cli "VORTEX_STD: the paths tried" 1 "std/math.vx" check --color=never tests/run/201_std_math_strings.vx
cp lib/std/prelude.vx "$fx/std/prelude.vx"
VORTEX_STD="$fx/std" cli "VORTEX_STD may hold the prelude" 0 "from VORTEX_STD" run "$fx/use_std.vx"

# ---- exit codes and arguments of the running program ------------------------------
printf 'fn main() {\n    print("partial ")\n    println(args())\n    exit(3)\n    println("never")\n}\n' >"$fx/exit3.vx"
cli "exit(3) sets the exit code" 3 "partial" run "$fx/exit3.vx"
cli "exit(3) flushes output and passes ARGS" 3 'partial ["a", "b c"]' run "$fx/exit3.vx" a "b c"
cli_lacks "code after exit does not run" 3 "never" run "$fx/exit3.vx"
