#!/bin/sh
# Regenerate the Terraform oracle plans (needs terraform and the AWS provider mirror).
# Usage: tests/frontends/terraform/oracle/regenerate.sh [MIRROR]   (default /opt/tf-plugins)
#
# A fixture folder holds its configuration (main.tf...) or a file CONFIG naming the
# configuration's folder relative to the fixture (the examples); plan.json is written
# into the fixture folder. Runs offline: fake credentials and skip_* flags come from
# an override file added to the copy, so the configurations stay realistic.
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
  config=$fixture
  if [ -f "$fixture/CONFIG" ]; then
    config=$(cd "$fixture/$(cat "$fixture/CONFIG")" && pwd)
  fi
  cp -r "$config" "$work/$name"
  rm -rf "$work/$name/.terraform" "$work/$name/.terraform.lock.hcl" "$work/$name/plan.json"
  if [ -f "$fixture/CONFIG" ]; then
    cat > "$work/$name/oracle_override.tf" <<TF
provider "aws" {
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
TF
  fi
  (cd "$work/$name" && terraform init -input=false -backend=false >/dev/null \
    && terraform plan -input=false -refresh=false -lock=false -out=plan >/dev/null \
    && terraform show -json plan | python3 -m json.tool --sort-keys > "$fixture/plan.json")
  echo "regenerated $name/plan.json"
done
