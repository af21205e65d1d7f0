#!/usr/bin/env bash
# Packs the repository as a `dotnet new` template package (README, "Start your own service from it"):
# template/GinoDemo.Templates.csproj takes the repository as content, .template.config/template.json says how a new
# project is renamed. Prints the package's path.
#   scripts/pack-template.sh              artifacts/GinoDemo.Templates.<version>.nupkg
#   scripts/pack-template.sh <folder>     the package in <folder> instead
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

output=${1:-$REPO_ROOT/artifacts}
mkdir -p "$output"
output=$(cd "$output" && pwd)
step "Packing the template package into $output"
rm -f "$output"/GinoDemo.Templates.*.nupkg
quietly() {
  local log
  log=$("$@" 2>&1) || { printf '%s\n' "$log" >&2; return 1; }
}
# The pack project has no packages, so nothing to lock or audit; -warnaserror as everywhere else.
quietly dotnet pack template/GinoDemo.Templates.csproj -c Release -o "$output" -warnaserror -nologo -tl:off \
  || die "dotnet pack template/GinoDemo.Templates.csproj failed (its output is above)"
packages=("$output"/GinoDemo.Templates.*.nupkg)
[[ -f "${packages[0]}" ]] || die "dotnet pack wrote no GinoDemo.Templates.*.nupkg in $output"
printf '%s\n' "${packages[0]}"
