#!/usr/bin/env bash
# Regenerates k8s/base/hotpass.yaml from helm/hotpass (and the other generated files the deploy
# checks guard: docs/operations/configuration.md). The deploy module renders the chart with
# helm-java, the same Helm that CI lints and tests with, so the base never drifts from the chart.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"
exec flock "${HOTPASS_MAVEN_LOCK:-/tmp/hotpass-maven.lock}" \
  ./mvnw -B -q -f deploy/pom.xml verify -Dhotpass.deploy.regenerate=true "$@"
