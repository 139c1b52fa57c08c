#!/bin/sh
# Regenerate the Terraform oracle plans (needs terraform and the AWS provider mirror).
# Usage: tests/frontends/terraform/oracle/regenerate.sh [MIRROR]   (default /opt/tf-plugins)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mirror=${1:-/opt/tf-plugins}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
}
CFG
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
for fixture in "$here"/*/; do
  name=$(basename "$fixture")
  cp -r "$fixture" "$work/$name"
  rm -rf "$work/$name/.terraform" "$work/$name/.terraform.lock.hcl" "$work/$name/plan.json"
  (cd "$work/$name" && terraform init -input=false -backend=false >/dev/null \
    && terraform plan -input=false -refresh=false -lock=false -out=plan >/dev/null \
    && terraform show -json plan | python3 -m json.tool --sort-keys > "$fixture/plan.json")
  echo "regenerated $name/plan.json"
done
