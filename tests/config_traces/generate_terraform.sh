#!/bin/bash
# Regenerates the terraform fixtures: real output of `terraform validate`.
set -u
export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1
out="$(cd "$(dirname "$0")" && pwd)"
gen() {
  name=$1; d=$(mktemp -d); cat > $d/main.tf
  (cd $d && terraform init -no-color >/dev/null 2>&1
   terraform validate > $out/terraform-$name.txt 2>&1
   terraform validate -no-color > $out/terraform-$name.nocolor.txt 2>&1
   terraform validate -json > $out/terraform-$name.json.txt 2>/dev/null)
  cp $d/main.tf $out/terraform-$name.source.txt
  rm -rf $d
}
gen references <<'TF'
terraform {
  required_version = ">= 1.0"
}

variable "name" {
  type = string
}

locals {
  greeting = "hello ${var.nmae}"
}

output "x" {
  value = local.greting
}

resource "terraform_data" "r" {
  input = var.name
  inptu = 1
}
TF
gen invalid-expression <<'TF'
resource "terraform_data" "r" {
  input =
}
TF
gen unclosed-block <<'TF'
resource "terraform_data" "r" {
  input = "x"
TF
gen missing-newline <<'TF'
resource "terraform_data" "r" {
  input = "x" triggers_replace = 1
}
TF
gen duplicates <<'TF'
resource "terraform_data" "r" {}
resource "terraform_data" "r" {}
variable "a" {}
variable "a" {}
TF
gen functions-blocks <<'TF'
locals {
  n = lenght([1])
  m = unknown_thing.x
}

resource "terraform_data" "r" {
  bogus {
  }
}
TF
gen schema <<'TF'
variable "a" {
  type = strng
}

output "o" {
}

module "m" {
}
TF
