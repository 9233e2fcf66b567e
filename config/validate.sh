#!/usr/bin/env bash
# Checks the deployment configuration in config/ without a Kubernetes cluster or network:
#
#  1. kubectl decodes every manifest offline: `kubectl label --local --dry-run=client` reads each file
#     the way `kubectl apply -f` does (YAML syntax, multi-document files, kind of each object) and
#     needs no API server.
#  2. `kubectl apply --dry-run=client --validate=false -f` over all manifests. That command is not
#     offline (it asks the API server for the resource types and GETs every object), so it runs
#     against kubectl-discovery-stub.py, a read-only stand-in on 127.0.0.1 that knows the kinds used
#     here (FlinkDeployment as if the operator's CRD were installed) and holds no objects: kubectl maps
#     every object to its resource and reports it "created (dry run)". Needs python3; skipped without.
#     With VALIDATE_WITH_CLUSTER=1 it runs against the cluster of the current kubeconfig instead, with
#     --dry-run=server (the API server then also validates against its schemas and admission).
#  3. promtool checks both Prometheus configurations. Debian's promtool is built without Kubernetes
#     service discovery: when it lacks it, prometheus.yml is checked with its
#     kubernetes_sd_configs blocks swapped for file_sd_configs (everything else, relabelling included,
#     is still checked); an upstream promtool checks the file as it is. Both load alert-rules.yml
#     (rule_files), so this also checks the rules.
#  4. promtool check rules on the alert rules, and promtool test rules on their unit tests
#     (prometheus/alert-rules.test.yml: synthetic series, expected alerts).
#  5. The Grafana dashboards in grafana/ are valid JSON (python3 -m json.tool; skipped without python3).
#
# Field-by-field schema checks of the manifests (every field against the Kubernetes API types, the
# FlinkDeployment against the operator's CRD fields) are in sample-app's ConfigValidationTest.
#
# Tools: kubectl (Debian: apt-get install -y kubernetes-client) and promtool
# (Debian: apt-get install -y prometheus). Exit code 0 when every check passed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
work="$(mktemp -d)"
stub_pid=""
cleanup() {
  if [[ -n "$stub_pid" ]]; then kill "$stub_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

for tool in kubectl promtool; do
  command -v "$tool" >/dev/null || { echo "validate.sh: $tool not found (see the comments at the top)" >&2; exit 2; }
done

mapfile -t manifests < <(find kubernetes flink -name '*.yaml' | sort)
apply_args=()
for manifest in "${manifests[@]}"; do apply_args+=(-f "$manifest"); done

echo "== 1. kubectl decodes the manifests (offline)"
for manifest in "${manifests[@]}"; do
  kubectl label --local --dry-run=client -o name -f "$manifest" cloudflow-validate=true | sed "s|^|  $manifest: |"
done

echo "== 2. kubectl apply --dry-run=client --validate=false"
if [[ "${VALIDATE_WITH_CLUSTER:-0}" == "1" ]]; then
  kubectl apply --dry-run=server "${apply_args[@]}"
elif command -v python3 >/dev/null; then
  python3 kubectl-discovery-stub.py "$work/port" &
  stub_pid=$!
  for _ in $(seq 50); do [[ -s "$work/port" ]] && break; sleep 0.1; done
  [[ -s "$work/port" ]] || { echo "the discovery stub did not start" >&2; exit 1; }
  cat > "$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: discovery-stub
    cluster:
      server: http://127.0.0.1:$(cat "$work/port")
contexts:
  - name: discovery-stub
    context: {cluster: discovery-stub, namespace: default}
current-context: discovery-stub
users: []
EOF
  KUBECONFIG="$work/kubeconfig" kubectl apply --dry-run=client --validate=false \
    --cache-dir="$work/cache" "${apply_args[@]}" | sed 's/^/  /'
else
  echo "  skipped: python3 not found"
fi

echo "== 3. promtool check config"
printf 'scrape_configs:\n  - job_name: probe\n    kubernetes_sd_configs: [{role: pod}]\n' > "$work/probe.yml"
for config in prometheus/prometheus*.yml; do
  if grep -q kubernetes_sd_configs "$config" && ! promtool check config "$work/probe.yml" >/dev/null 2>&1; then
    echo "  ($config: this promtool has no Kubernetes service discovery; checking it with file_sd_configs in its place)"
    sed -E "s|^([[:space:]]*)kubernetes_sd_configs:|\1file_sd_configs: [{files: [$work/targets.json]}]\n\1x_was_kubernetes_sd_configs:|" "$config" \
      | sed -E '/x_was_kubernetes_sd_configs:/,/^[[:space:]]*relabel_configs:/{/x_was_kubernetes_sd_configs:|^[[:space:]]*- role: /d}' \
      > "$work/$(basename "$config")"
    echo '[]' > "$work/targets.json"
    cp prometheus/alert-rules.yml "$work/" # rule_files are relative to the configuration file
    promtool check config "$work/$(basename "$config")" | sed 's/^/  /'
  else
    promtool check config "$config" | sed 's/^/  /'
  fi
done

echo "== 4. promtool check rules, promtool test rules"
promtool check rules prometheus/alert-rules.yml | sed 's/^/  /'
(cd prometheus && promtool test rules alert-rules.test.yml) | sed 's/^/  /'

echo "== 5. Grafana dashboards are valid JSON"
if command -v python3 >/dev/null; then
  for dashboard in grafana/*.json; do
    python3 -m json.tool "$dashboard" >/dev/null
    echo "  $dashboard: valid JSON"
  done
else
  echo "  skipped: python3 not found"
fi

echo "config/ is valid"
