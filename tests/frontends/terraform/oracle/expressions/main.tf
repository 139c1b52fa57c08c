# Expression fixture for the Terraform oracle: every value lands in a resource attribute.
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  default_tags {
    tags = { Owner = "platform" }
  }
}

variable "services" {
  type = map(object({
    port   = number
    public = optional(bool, false)
    cidrs  = optional(list(string), [])
  }))
  default = {
    web = { port = 443, public = true, cidrs = ["0.0.0.0/0"] }
    api = { port = 8080 }
  }
}

locals {
  base     = "10.20.0.0/16"
  subnets  = cidrsubnets(local.base, 8, 8, 4)
  public   = { for k, v in var.services : k => v if v.public }
  ports    = sort([for s in values(var.services) : tostring(s.port)])
  grouped  = { for k, v in var.services : (v.public ? "public" : "private") => k... }
  encoded  = jsonencode({ b = [1, 2], a = "x" })
  yaml     = yamldecode("a: 1\nb: [x, y]\n")
  template = <<-EOT
    %{~ for name in keys(var.services) ~}
    ${name}:${var.services[name].port}
    %{~ endfor ~}
  EOT
  tagged = merge({ Name = "oracle" }, { Ports = join(",", local.ports) })
}

resource "aws_vpc" "main" {
  cidr_block           = local.base
  enable_dns_hostnames = length(local.public) > 0
  tags                 = local.tagged
}

resource "aws_subnet" "tier" {
  for_each                = { for i, name in ["a", "b", "c"] : name => local.subnets[i] }
  vpc_id                  = aws_vpc.main.id
  cidr_block              = each.value
  map_public_ip_on_launch = each.key == "a"
  tags = {
    Name     = upper("tier-${each.key}")
    Host     = cidrhost(each.value, 5)
    Mask     = cidrnetmask(each.value)
    Grouped  = join("/", local.grouped["public"])
    Encoded  = local.encoded
    Yaml     = "${local.yaml.a}-${join("", local.yaml.b)}"
    Template = trimspace(local.template)
    Regex    = regex("^([a-z]+)-(\\d+)$", "web-42")[1]
    Replace  = replace("a.b.c", ".", "-")
    Format   = format("%s=%03d", each.key, 7)
    Try      = try(var.services["missing"].port, "none")
    Coalesce = coalesce("", "x")
    Product  = length(setproduct(["a", "b"], [1, 2, 3]))
    Title    = title("hello world")
  }
}

resource "aws_security_group" "svc" {
  for_each = var.services
  name     = "svc-${each.key}"
  vpc_id   = aws_vpc.main.id
  dynamic "ingress" {
    for_each = length(each.value.cidrs) > 0 ? [each.value.port] : []
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = each.value.cidrs
    }
  }
}

resource "aws_instance" "web" {
  count                  = 2
  ami                    = "ami-0123456789abcdef0"
  instance_type          = count.index == 0 ? "t3.micro" : "t3.small"
  subnet_id              = aws_subnet.tier["a"].id
  vpc_security_group_ids = [aws_security_group.svc["web"].id]
  user_data              = base64encode("#!/bin/sh\necho ${count.index}\n")
  tags                   = { Name = "web-${count.index}" }
}
