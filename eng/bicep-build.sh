#!/usr/bin/env bash
# Compiles every infra/**/*.bicep with the Bicep compiler of the NuGet package Azure.Bicep.CommandLine.linux-x64
# (version pinned in tools/bicep/Bicep.csproj, restored into tools/bicep/packages/) and fails on any error or warning:
# `bicep build` exits 0 with warnings, so any diagnostic it prints fails the step. Then checks each parameter file
# (infra/**/*.parameters.json) against the compiled template. The compiled ARM JSON goes to a temporary folder only.
# Run alone: bash eng/bicep-build.sh (.ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet restore tools/bicep/Bicep.csproj --packages tools/bicep/packages --verbosity quiet
bicep="$(dotnet msbuild tools/bicep/Bicep.csproj -getProperty:BicepPath)"
if [ -z "$bicep" ] || [ ! -f "$bicep" ]; then
  echo "bicep-build: the Bicep compiler was not restored (BicepPath='$bicep')" >&2
  exit 1
fi
[ -x "$bicep" ] || chmod +x "$bicep"
echo "bicep-build: $("$bicep" --version)"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

mapfile -t templates < <(find infra -type f -name '*.bicep' | sort)
if [ "${#templates[@]}" -eq 0 ]; then
  echo "bicep-build: no .bicep file under infra/" >&2
  exit 1
fi

status=0
for template in "${templates[@]}"; do
  compiled="$out/${template%.bicep}.json"
  mkdir -p "$(dirname "$compiled")"
  set +e
  "$bicep" build "$template" --outfile "$compiled" >"$out/log" 2>&1
  code=$?
  set -e
  if [ "$code" -ne 0 ] || [ -s "$out/log" ]; then
    cat "$out/log" >&2
    echo "bicep-build: $template: FAILED (exit $code; every warning counts as an error)" >&2
    status=1
  else
    echo "bicep-build: $template: no error, no warning"
  fi
done
[ "$status" -eq 0 ] || exit "$status"

# Each parameter file against its template: <name>.bicep beside it if there is one, main.bicep otherwise.
mapfile -t parameterFiles < <(find infra -type f -name '*.parameters.json' | sort)
for parameters in "${parameterFiles[@]}"; do
  folder="$(dirname "$parameters")"
  base="$(basename "$parameters" .parameters.json)"
  if [ -f "$folder/$base.bicep" ]; then template="$folder/$base.bicep"; else template="$folder/main.bicep"; fi
  if [ ! -f "$template" ]; then
    echo "bicep-build: $parameters: no template ($folder/$base.bicep or $folder/main.bicep)" >&2
    status=1
    continue
  fi
  if node eng/check-bicep-parameters.mjs "$out/${template%.bicep}.json" "$parameters"; then
    echo "bicep-build: $parameters: matches $template"
  else
    status=1
  fi
done
exit "$status"
