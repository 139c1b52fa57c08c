variable "name" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "security_group_ids" {
  type = list(string)
}

variable "instance_type" {
  type = string
}

variable "public_ip" {
  type = bool
}

variable "instance_profile" {
  type = string
}

variable "listener_ports" {
  type = list(number)
}

resource "aws_instance" "this" {
  ami                         = "ami-0c1bc246476a5572b"
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = var.security_group_ids
  associate_public_ip_address = var.public_ip
  iam_instance_profile        = var.instance_profile

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    encrypted = true
  }

  tags = {
    Name                    = var.name
    "policycheck:listeners" = join(",", [for port in var.listener_ports : "tcp/${port}"])
  }
}

output "instance_id" {
  value = aws_instance.this.id
}
