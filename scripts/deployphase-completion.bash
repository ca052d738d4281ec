# bash completion for deployphase; installed as
# share/bash-completion/completions/deployphase by `cmake --install`.
# COMPREPLY: the words of $1 that start with the word being completed.
_deployphase_reply() {
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}

_deployphase() {
    local cur prev words cword
    _init_completion || return
    local commands="validate show plan facts run resume confirm rollback status report unlock help"
    local global="--help --version --color --log-level --log-file"
    local command="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *) if [[ " $commands " == *" ${words[i]} "* ]]; then command=${words[i]}; break; fi ;;
        esac
    done
    case $prev in
        --color) _deployphase_reply "auto always never"; return ;;
        --log-level) _deployphase_reply "trace debug info warn error off"; return ;;
        -o | --output)
            if [ "$command" = report ]; then _deployphase_reply "md text json"; else _deployphase_reply "text json"; fi
            return ;;
        --format) _deployphase_reply "md text json"; return ;;
        --on-failure) _deployphase_reply "stop rollback"; return ;;
        --interrupted) _deployphase_reply "rerun done fail"; return ;;
        --state-dir | --workdir) _filedir -d; return ;;
        -c | --context | --plan | --out | --events | --junit | --log-file) _filedir; return ;;
    esac
    local flags
    case $command in
        "") _deployphase_reply "$commands $global"; return ;;
        validate) flags="--help" ;;
        show | facts) flags="--output --help" ;;
        plan) flags="--context --set --set-string --output --strict --out --help" ;;
        run) flags="--context --set --set-string --state-dir --state-url --state-key --state-schema --workdir --kill-after --yes --allow-changed
                    --on-failure --plan --resume --interrupted --restart --dry-run --output
                    --events --junit --quiet --verbose --help" ;;
        resume) flags="--context --set --set-string --state-dir --state-url --state-key --state-schema --workdir --kill-after --yes --allow-changed
                       --on-failure --interrupted --output --events --junit --quiet --verbose
                       --help" ;;
        rollback) flags="--state-dir --state-url --state-key --state-schema --workdir --kill-after --allow-changed --dry-run --output
                         --events --junit --quiet --verbose --help" ;;
        confirm) flags="--state-dir --state-url --state-key --state-schema --help" ;;
        status) flags="--state-dir --state-url --state-key --state-schema --output --help" ;;
        report) flags="--state-dir --state-url --state-key --state-schema --output --format --help" ;;
        help) _deployphase_reply "$commands"; return ;;
        unlock) flags="--state-dir --state-url --state-key --state-schema --yes --help" ;;
    esac
    if [[ $cur == -* ]]; then
        _deployphase_reply "$flags"
    else
        _filedir
    fi
}
complete -F _deployphase deployphase
