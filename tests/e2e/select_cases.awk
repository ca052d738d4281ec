# A suite with only the cases whose names match `pattern` (CASE=REGEX, tests/e2e/lib.sh):
# every line is printed, blank when it belongs to a case left out, so line numbers stay.
# Kept: what comes before the first case, the cases that match, suite_done, and what a suite
# sets up between its cases for later ones: helper functions, and files written with
# `cat >FILE <<WORD`. Here-document bodies are text, not shell.
function show(line) { print (!started || keep || in_function || in_setup) ? line : "" }

heredoc != "" {
    show($0)
    if ($0 == heredoc) heredoc = in_setup = ""
    next
}
/^cat >.*<</ { in_setup = 1 }
/^case_ / {
    started = 1
    name = $0
    sub(/^case_ +"?/, "", name)
    sub(/"?[[:space:]]*$/, "", name)
    keep = name ~ pattern
}
/^suite_done/ { keep = 1 }
/^[A-Za-z_][A-Za-z0-9_]*\(\) *\{/ {
    in_function = 1
    one_line = $0 ~ /\}[[:space:]]*(#.*)?$/
}
{
    show($0)
    if (in_function && (one_line || $0 ~ /^\}/)) in_function = 0
    if (match($0, /<<-?[[:space:]]*['"]?[A-Za-z_]+/)) {
        heredoc = substr($0, RSTART, RLENGTH)
        sub(/^<<-?[[:space:]]*['"]?/, "", heredoc)
    }
}
