#!/usr/bin/env bash
# Installs the policy pack's locked dependencies (policy/node_modules) when they are missing or stale (as
# scripts/run.sh does for the program): `npm test` works on a fresh clone. The pack has its own lockfile because
# `pulumi preview --policy-pack policy` and `pulumi policy publish` load this folder on its own.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$(../scripts/node-toolchain.sh):$PATH"
../scripts/ensure-deps.sh .
