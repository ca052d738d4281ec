# bash completion for deployphase; installed as
# share/bash-completion/completions/deployphase by `cmake --install`.
_deployphase() {
    local cur prev words cword
    _init_completion || return
    local commands="validate show plan facts run resume confirm rollback status report unlock"
    local global="--help --version --color --log-level --log-file"
    local command="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *) if [[ " $commands " == *" ${words[i]} "* ]]; then command=${words[i]}; break; fi ;;
        esac
    done
    case $prev in
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --log-level) COMPREPLY=($(compgen -W "trace debug info warn error off" -- "$cur")); return ;;
        -o | --output) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
        --format) COMPREPLY=($(compgen -W "md json" -- "$cur")); return ;;
        --on-failure) COMPREPLY=($(compgen -W "stop rollback" -- "$cur")); return ;;
        --interrupted) COMPREPLY=($(compgen -W "rerun done fail" -- "$cur")); return ;;
        --state-dir | --workdir) _filedir -d; return ;;
        -c | --context | --plan | --out | --events | --junit | --log-file) _filedir; return ;;
    esac
    local flags
    case $command in
        "") COMPREPLY=($(compgen -W "$commands $global" -- "$cur")); return ;;
        validate) flags="--help" ;;
        show | facts) flags="--output --help" ;;
        plan) flags="--context --set --output --strict --out --help" ;;
        run) flags="--context --set --state-dir --state-url --state-key --state-schema --workdir --kill-after --yes --allow-changed
                    --on-failure --plan --resume --interrupted --restart --dry-run --output
                    --events --junit --quiet --verbose --help" ;;
        resume) flags="--context --set --state-dir --state-url --state-key --state-schema --workdir --kill-after --yes --allow-changed
                       --on-failure --interrupted --output --events --junit --quiet --verbose
                       --help" ;;
        rollback) flags="--state-dir --state-url --state-key --state-schema --workdir --kill-after --allow-changed --dry-run --output
                         --events --junit --quiet --verbose --help" ;;
        confirm) flags="--state-dir --state-url --state-key --state-schema --help" ;;
        status) flags="--state-dir --state-url --state-key --state-schema --output --help" ;;
        report) flags="--state-dir --state-url --state-key --state-schema --format --help" ;;
        unlock) flags="--state-dir --state-url --state-key --state-schema --yes --help" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    else
        _filedir
    fi
}
complete -F _deployphase deployphase
