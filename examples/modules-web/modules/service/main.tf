variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "instance_type" {
  type = string
}

variable "ports" {
  type = list(number)
}

variable "ingress_cidrs" {
  type = list(string)
}

variable "public_ip" {
  type = bool
}

variable "bucket" {
  type = string
}

resource "aws_security_group" "this" {
  name        = "${var.name}-sg"
  description = "Ingress for ${var.name}"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = toset(var.ports)
    content {
      description = "${var.name} port ${ingress.value}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.ingress_cidrs
    }
  }

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "artifacts" {
  statement {
    sid       = "ReadArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.bucket}/${var.name}/*"]
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-role"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "artifacts" {
  name   = "artifacts"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.artifacts.json
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}-profile"
  role = aws_iam_role.this.name
}

module "host" {
  source             = "../host"
  name               = var.name
  subnet_id          = var.subnet_id
  security_group_ids = [aws_security_group.this.id]
  instance_type      = var.instance_type
  public_ip          = var.public_ip
  instance_profile   = aws_iam_instance_profile.this.name
  listener_ports     = var.ports
}

output "instance_id" {
  value = module.host.instance_id
}
