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


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_TERRAFORM_TWINS = ("insecure-web", "three-tier-hardened")
_STORAGE = '''
resource "aws_s3_bucket" "data_{i}" {{
  bucket = "bench-data-{n}-{i}"
}}

resource "aws_s3_bucket_public_access_block" "data_{i}" {{
  bucket                  = aws_s3_bucket.data_{i}.id
  block_public_acls       = {flag}
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}
'''
_IAM = '''
resource "aws_iam_role" "app_{i}" {{
  name = "bench-app-{n}-{i}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole",
                    Principal = {{ Service = "ec2.amazonaws.com" }} }}]
  }})
}}
'''


def _copy_unit(source: Path, target: Path, number: int) -> int:
    """Copy one example's configuration files, varying names; return files written."""
    written = 0
    for path in sorted(source.rglob("*")):
        if path.is_dir() or path.suffix not in (".tf", ".tfvars", ".yaml", ".sh"):
            continue
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8").replace("shop", f"shop{number}")
        out.write_text(text, encoding="utf-8")
        written += 1
    return written


def repository(folder: Path, roots: int = 300, templates: int = 60) -> dict[str, int]:
    """A large repository: ``roots`` Terraform root modules (copies of the examples, some
    calling local modules, each with extra storage and IAM files) and ``templates``
    CloudFormation templates. Returns counts of what was written."""
    tf_files = 0
    for n in range(roots):
        root = folder / "terraform" / f"service-{n:04d}"
        if n % 10 == 9:  # a tenth call local modules (modules-web)
            tf_files += _copy_unit(EXAMPLES / "modules-web", root, n)
        else:
            tf_files += _copy_unit(EXAMPLES / _TERRAFORM_TWINS[n % 2], root, n)
        for i in range(3):
            (root / f"storage_{i}.tf").write_text(
                _STORAGE.format(i=i, n=n, flag="true" if (n + i) % 3 else "false"),
                encoding="utf-8")
            tf_files += 1
        (root / "iam.tf").write_text(_IAM.format(i=0, n=n), encoding="utf-8")
        tf_files += 1
    cfn = folder / "cloudformation"
    cfn.mkdir(parents=True, exist_ok=True)
    twins = ("insecure-web-cfn", "three-tier-hardened-cfn")
    for n in range(templates):
        text = (EXAMPLES / twins[n % 2] / "template.yaml").read_text(encoding="utf-8")
        (cfn / f"stack-{n:04d}.yaml").write_text(text.replace("shop", f"shop{n}"),
                                                 encoding="utf-8")
    return {"root_modules": roots, "tf_files": tf_files, "templates": templates}
