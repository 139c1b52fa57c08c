# A web estate built from nested local modules: the network module lays out the
# tiers, the service module (once per entry of var.services) builds a security
# group, an instance role and, through the nested host module, the instance.
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Project = "modules-web" }
  }
}

module "network" {
  source = "./modules/network"
  name   = "shop"
  cidr   = "10.40.0.0/16"
  tiers = {
    public  = { newbits = 8, netnum = 0, public = true, az = "eu-west-1a" }
    private = { newbits = 8, netnum = 10, public = false, az = "eu-west-1b" }
  }
}

module "service" {
  source   = "./modules/service"
  for_each = var.services

  name          = each.key
  vpc_id        = module.network.vpc_id
  subnet_id     = module.network.subnet_ids[each.value.tier]
  instance_type = try(each.value.instance_type, "t3.micro")
  ports         = each.value.ports
  ingress_cidrs = try(each.value.ingress_cidrs, [module.network.cidr])
  public_ip     = try(each.value.public_ip, false)
  bucket        = "shop-artifacts"
}

output "web_instance" {
  value = module.service["web"].instance_id
}
