"""Generate synthetic Terraform estates for the benchmarks: one VPC, public and private
subnets, NACLs, security groups with many rules, and N instances spread over them."""

from __future__ import annotations

from pathlib import Path


def terraform_estate(folder: Path, instances: int, subnets: int = 20,
                     groups: int = 50) -> Path:
    """Write one root module with the given size; return its folder."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = ['''
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/8"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
  route {
    cidr_block = "198.51.100.0/24"
    gateway_id = "local"
  }
}
''']
    for s in range(subnets):
        public = s % 2 == 0
        parts.append(f'''
resource "aws_subnet" "s{s}" {{
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet("10.0.0.0/8", 8, {s})
  map_public_ip_on_launch = {"true" if public else "false"}
}}
''')
        if public:
            parts.append(f'''
resource "aws_route_table_association" "s{s}" {{
  subnet_id      = aws_subnet.s{s}.id
  route_table_id = aws_route_table.public.id
}}
''')
        if s % 4 == 0:
            parts.append(f'''
resource "aws_network_acl" "n{s}" {{
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.s{s}.id]
  ingress {{
    rule_no    = 50
    action     = "deny"
    protocol   = "tcp"
    cidr_block = "203.0.113.0/24"
    from_port  = 0
    to_port    = 65535
  }}
  ingress {{
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }}
  egress {{
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }}
}}
''')
    for g in range(groups):
        ports = [22, 80, 443, 3306, 5432, 8000 + g]
        rules = "".join(f'''
  ingress {{
    from_port   = {p}
    to_port     = {p}
    protocol    = "tcp"
    cidr_blocks = ["{'0.0.0.0/0' if (g + p) % 3 else '10.0.0.0/8'}"]
  }}''' for p in ports)
        parts.append(f'''
resource "aws_security_group" "g{g}" {{
  vpc_id = aws_vpc.main.id{rules}
}}
''')
    for i in range(instances):
        first, second = i % groups, (i * 7) % groups
        parts.append(f'''
resource "aws_instance" "i{i}" {{
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.s{i % subnets}.id
  vpc_security_group_ids = [aws_security_group.g{first}.id, aws_security_group.g{second}.id]
}}
''')
    (folder / "main.tf").write_text("".join(parts), encoding="utf-8")
    return folder
