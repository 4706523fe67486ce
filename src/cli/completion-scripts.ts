/**
 * The shell side of completion: each script asks `oauthctl __complete WORDS... CURRENT` (src/cli/complete.ts)
 * for the candidates, so the shells agree on what completes and the user's own providers and profiles are
 * always current. When there is no candidate, the shell completes file names (for `--data @FILE` and the like).
 */
export const COMPLETION_SCRIPTS: Record<'bash' | 'zsh' | 'fish', string> = {
  bash: `# oauthctl completion for bash. Install: echo 'eval "$(oauthctl completion bash)"' >> ~/.bashrc
_oauthctl_complete() {
  local IFS=$'\\n'
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  COMPREPLY=($(oauthctl __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null))
}
complete -o default -F _oauthctl_complete oauthctl
`,
  zsh: `#compdef oauthctl
# oauthctl completion for zsh. Install: echo 'eval "$(oauthctl completion zsh)"' >> ~/.zshrc (after compinit)
_oauthctl() {
  local -a candidates
  candidates=(\${(f)"$(oauthctl __complete "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null)"})
  if (( \${#candidates} )); then
    compadd -a candidates
  else
    _files
  fi
}
compdef _oauthctl oauthctl
`,
  fish: `# oauthctl completion for fish. Install: oauthctl completion fish > ~/.config/fish/completions/oauthctl.fish
function __oauthctl_complete
    set -l words (commandline -opc)
    set -e words[1]
    oauthctl __complete $words (commandline -ct) 2>/dev/null
end
complete -c oauthctl -f -a '(__oauthctl_complete)'
`,
}
