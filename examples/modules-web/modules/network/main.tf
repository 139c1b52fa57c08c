variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "tiers" {
  type = map(object({
    newbits = number
    netnum  = number
    public  = bool
    az      = string
  }))
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "this" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.tier["public"].id
}

resource "aws_subnet" "tier" {
  for_each                = var.tiers
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(var.cidr, each.value.newbits, each.value.netnum)
  availability_zone       = each.value.az
  map_public_ip_on_launch = each.value.public
  tags                    = { Name = "${var.name}-${each.key}" }
}

resource "aws_route_table" "tier" {
  for_each = var.tiers
  vpc_id   = aws_vpc.this.id

  # Public tiers leave through the internet gateway, private ones through the NAT.
  route {
    cidr_block     = "0.0.0.0/0"
    gateway_id     = each.value.public ? aws_internet_gateway.this.id : null
    nat_gateway_id = each.value.public ? null : aws_nat_gateway.this.id
  }
}

resource "aws_route_table_association" "tier" {
  for_each       = var.tiers
  subnet_id      = aws_subnet.tier[each.key].id
  route_table_id = aws_route_table.tier[each.key].id
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "cidr" {
  value = aws_vpc.this.cidr_block
}

output "subnet_ids" {
  value = { for name, subnet in aws_subnet.tier : name => subnet.id }
}
