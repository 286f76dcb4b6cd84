#!/usr/bin/env bash
# Checks the deployment files offline, as CI runs it (`bash deploy/validate.sh`):
#   1. deploy/k8s/base/production.yaml is byte-identical to config/production.yaml;
#   2. `kustomize build` of every overlay;
#   3. schema validation of the built objects: kubernetes-validate --strict against the bundled
#      Kubernetes schemas (every version in KUBERNETES_VERSIONS), CRD objects (ServiceMonitor)
#      against the committed schemas in deploy/k8s/schemas/;
#   4. checkov on the built manifests and the Dockerfile (skips and their reasons: deploy/.checkov.yaml);
#   5. hadolint on the Dockerfile;
#   6. deploy/compose/docker-compose.yml loaded as `docker compose config` would (compose-go,
#      deploy/tools/composecheck), since no compose plugin or engine runs here.
# Tools go to ${MEDIATOR_TOOLS_CACHE:-$HOME/.cache/mediator-tools}: the first run installs them
# (Go module proxy, PyPI), later runs reuse them. Exits non-zero on the first failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MEDIATOR_TOOLS_CACHE:-$HOME/.cache/mediator-tools}"
KUSTOMIZE_VERSION=v5.8.2 # v5.8.3 needs Go 1.27; this machine has 1.26
KUBERNETES_VERSIONS="${KUBERNETES_VERSIONS:-1.30.0 1.37.0}"
OVERLAYS=(dev production)
REQUIREMENTS="$ROOT/deploy/requirements-tools.txt"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'validate.sh: FAILED: %s\n' "$*" >&2; exit 1; }
started=$SECONDS

# --- tools -----------------------------------------------------------------------------------
install_kustomize() {
  KUSTOMIZE="$CACHE/kustomize-$KUSTOMIZE_VERSION/kustomize"
  if [[ -x "$KUSTOMIZE" ]]; then return; fi
  command -v go >/dev/null || fail "go is needed to install kustomize"
  step "installing kustomize $KUSTOMIZE_VERSION (go install)"
  mkdir -p "$(dirname "$KUSTOMIZE")"
  (cd "$CACHE" && GOBIN="$(dirname "$KUSTOMIZE")" GOTOOLCHAIN=local GOFLAGS=-mod=mod \
    go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION")
}

install_python_tools() {
  VENV="$CACHE/venv"
  local stamp want
  want="$(python3 --version 2>&1) $(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
  stamp="$VENV/.mediator-requirements"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
  step "installing $(grep -v '^#' "$REQUIREMENTS" | xargs) into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$want" >"$stamp"
}

install_composecheck() {
  local src="$ROOT/deploy/tools/composecheck" hash
  hash="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-16)"
  COMPOSECHECK="$CACHE/composecheck-$hash/composecheck"
  if [[ -x "$COMPOSECHECK" ]]; then return; fi
  command -v go >/dev/null || fail "go is needed to build deploy/tools/composecheck"
  step "building deploy/tools/composecheck (compose-go)"
  mkdir -p "$(dirname "$COMPOSECHECK")"
  (cd "$src" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -o "$COMPOSECHECK" .)
}

mkdir -p "$CACHE"
install_kustomize
install_python_tools
install_composecheck
PY="$VENV/bin/python"
step "tools: kustomize $("$KUSTOMIZE" version), kubernetes-validate $("$VENV/bin/kubernetes-validate" --version 2>&1 | tail -1)," \
  "checkov $("$VENV/bin/checkov" --version 2>/dev/null), $("$VENV/bin/hadolint" --version)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# --- 1. the ConfigMap's copy of config/production.yaml ------------------------------------------
step "config: deploy/k8s/base/production.yaml == config/production.yaml"
if ! cmp -s "$ROOT/config/production.yaml" "$ROOT/deploy/k8s/base/production.yaml"; then
  diff -u "$ROOT/config/production.yaml" "$ROOT/deploy/k8s/base/production.yaml" >&2 || true
  fail "deploy/k8s/base/production.yaml differs from config/production.yaml" \
    "(sync it: cp config/production.yaml deploy/k8s/base/production.yaml)"
fi
echo "identical"

# --- 2. kustomize build ----------------------------------------------------------------------
mkdir -p "$WORK/built" "$WORK/core" "$WORK/crd"
for overlay in "${OVERLAYS[@]}"; do
  step "kustomize build deploy/k8s/overlays/$overlay"
  "$KUSTOMIZE" build "$ROOT/deploy/k8s/overlays/$overlay" >"$WORK/built/$overlay.yaml" \
    || fail "kustomize build of overlay $overlay"
  grep -E '^kind: ' "$WORK/built/$overlay.yaml" | sort | uniq -c | sed 's/^/  /'
done

# --- 3. schemas ------------------------------------------------------------------------------
# Split: objects of Kubernetes' own API groups go to kubernetes-validate; CRD objects are checked
# here against deploy/k8s/schemas/<kind>-<group>-<version>.json. A CRD kind without a committed
# schema fails: nothing passes unchecked.
step "schemas of CRD objects (deploy/k8s/schemas/)"
"$PY" - "$ROOT/deploy/k8s/schemas" "$WORK" "${OVERLAYS[@]}" <<'PYEOF' || fail "CRD schema validation"
import json, pathlib, sys
import jsonschema, yaml

schemas, work, overlays = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]
# Groups whose schemas kubernetes-validate bundles (the API server's own).
def builtin(api_version):
    group = api_version.split("/")[0] if "/" in api_version else ""
    return group == "" or "." not in group or group.endswith(".k8s.io")

failed = False
for overlay in overlays:
    docs = [d for d in yaml.safe_load_all((work / "built" / f"{overlay}.yaml").read_text()) if d]
    core = [d for d in docs if builtin(d.get("apiVersion", ""))]
    (work / "core" / f"{overlay}.yaml").write_text(yaml.safe_dump_all(core, sort_keys=False))
    for doc in docs:
        if builtin(doc.get("apiVersion", "")):
            continue
        group, version = doc["apiVersion"].split("/")
        name = f"{doc['kind'].lower()}-{group}-{version}.json"
        what = f"{overlay}: {doc['kind']}/{doc['metadata']['name']} ({doc['apiVersion']})"
        path = schemas / name
        if not path.exists():
            print(f"  FAIL {what}: no schema deploy/k8s/schemas/{name} (kubernetes-validate has no CRD schemas)")
            failed = True
            continue
        validator = jsonschema.Draft7Validator(json.loads(path.read_text()))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors:
            print(f"  FAIL {what}: {'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}")
        failed |= bool(errors)
        if not errors:
            print(f"  ok   {what} against deploy/k8s/schemas/{name}")
sys.exit(1 if failed else 0)
PYEOF

for version in $KUBERNETES_VERSIONS; do
  for overlay in "${OVERLAYS[@]}"; do
    step "kubernetes-validate --strict -k $version ($overlay)"
    out="$WORK/kv-$overlay-$version.log"
    status=0
    "$VENV/bin/kubernetes-validate" --strict -k "$version" "$WORK/core/$overlay.yaml" >"$out" 2>&1 || status=$?
    sed "s|$WORK/core/||" "$out"
    [[ $status -eq 0 ]] || fail "kubernetes-validate ($overlay, Kubernetes $version)"
    # An unknown apiVersion/kind is only a warning there: a typo in either must not pass.
    if grep -qiE "^WARN|couldn't find schema" "$out"; then
      fail "kubernetes-validate found no schema for an object ($overlay, Kubernetes $version)"
    fi
  done
done

# --- 4. checkov ------------------------------------------------------------------------------
step "checkov: skipped checks and why (deploy/.checkov.yaml)"
sed -n '/^skip-check:/,$p' "$ROOT/deploy/.checkov.yaml" | sed 's/^/  /'
export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false
step "checkov --framework kubernetes (built overlays)"
"$VENV/bin/checkov" --config-file "$ROOT/deploy/.checkov.yaml" --framework kubernetes \
  -d "$WORK/built" 2>"$WORK/checkov-k8s.err" || { cat "$WORK/checkov-k8s.err" >&2; fail "checkov (kubernetes)"; }
step "checkov --framework dockerfile (Dockerfile)"
(cd "$ROOT" && "$VENV/bin/checkov" --config-file "$ROOT/deploy/.checkov.yaml" --framework dockerfile \
  -f Dockerfile 2>"$WORK/checkov-docker.err") || { cat "$WORK/checkov-docker.err" >&2; fail "checkov (dockerfile)"; }

# --- 5. hadolint -----------------------------------------------------------------------------
step "hadolint Dockerfile"
(cd "$ROOT" && "$VENV/bin/hadolint" --no-color --failure-threshold info Dockerfile) || fail "hadolint"
echo "no findings"

# --- 6. compose --------------------------------------------------------------------------------
step "compose: deploy/compose/docker-compose.yml (schema, interpolation, depends_on)"
# JWT_SECRET is required (no default) by the file: give a placeholder for this check only.
(cd "$ROOT" && JWT_SECRET=validate-only-placeholder "$COMPOSECHECK" deploy/compose/docker-compose.yml) \
  || fail "deploy/compose/docker-compose.yml"

printf '\nvalidate.sh: all checks passed (%ss): %s overlays built and validated, Dockerfile linted, compose file valid\n' \
  "$((SECONDS - started))" "${#OVERLAYS[@]}"
