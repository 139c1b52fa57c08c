resource "aws_security_group" "bastion" {
  name   = "${var.name}-bastion"
  vpc_id = aws_vpc.main.id

  ingress {
    description = "SSH from the operations office only"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }

  egress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
}

resource "aws_security_group" "app" {
  name   = "${var.name}-app"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "app_ssh_from_bastion" {
  security_group_id            = aws_security_group.app.id
  referenced_security_group_id = aws_security_group.bastion.id
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
}

resource "aws_vpc_security_group_ingress_rule" "app_http_from_vpc" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
}

resource "aws_security_group" "db" {
  name   = "${var.name}-db"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_instance" "bastion" {
  ami                         = "ami-0a8e758f5e873d1c1"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.tier["public-0"].id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.bastion.id]
  tags = {
    Name                    = "${var.name}-bastion"
    "policycheck:listeners" = "tcp/22"
  }
}

resource "aws_instance" "app" {
  for_each               = { for index, az in var.azs : az => index }
  ami                    = "ami-0a8e758f5e873d1c1"
  instance_type          = "m6i.large"
  subnet_id              = aws_subnet.tier["private-${each.value}"].id
  vpc_security_group_ids = [aws_security_group.app.id]
  tags = {
    Name                    = "${var.name}-app-${each.key}"
    "policycheck:listeners" = "tcp/8080"
  }
}

resource "aws_instance" "db" {
  ami                    = "ami-0a8e758f5e873d1c1"
  instance_type          = "r6i.large"
  subnet_id              = aws_subnet.tier["isolated-0"].id
  vpc_security_group_ids = [aws_security_group.db.id]
  tags = {
    Name                    = "${var.name}-db"
    "policycheck:listeners" = "tcp/5432"
  }
}
