#!/usr/bin/env bash
# Install Debian packages that are missing. Arguments: COMMAND_OR_PATH:PACKAGE ...
# As root it runs apt-get itself; otherwise it uses sudo when that needs no password, and else
# says exactly what to run.
set -euo pipefail
missing=()
for pair in "$@"; do
  probe=${pair%%:*}
  package=${pair#*:}
  if [[ $probe == /* ]]; then [[ -x $probe ]] && continue; else command -v "$probe" >/dev/null 2>&1 && continue; fi
  missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "Installing system packages: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "error: missing system packages ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq "${missing[@]}"
fi
