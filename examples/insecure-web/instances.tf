resource "aws_instance" "bastion" {
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public[0].id
  vpc_security_group_ids = [aws_security_group.bastion.id]
  tags                   = merge(local.tags, { Name = "bastion" })
}

resource "aws_instance" "legacy" {
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.public[0].id
  vpc_security_group_ids = [aws_security_group.legacy.id]
  tags = merge(local.tags, {
    Name                    = "legacy-ftp"
    "policycheck:listeners" = "tcp/21, tcp/23, tcp/9000"
  })
}

resource "aws_instance" "web" {
  count                  = var.web_count
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.public[1].id
  vpc_security_group_ids = [aws_security_group.web.id, aws_security_group.bastion.id]
  tags = merge(local.tags, {
    Name                    = "web-${count.index}"
    "policycheck:listeners" = "tcp/80, tcp/443, tcp/22"
  })
}

resource "aws_instance" "database" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "r6g.large"
  subnet_id                   = aws_subnet.public[0].id
  associate_public_ip_address = false
  ipv6_address_count          = 1
  vpc_security_group_ids      = [aws_security_group.database.id]
  tags                        = merge(local.tags, { Name = "database" })
}

resource "aws_eip" "database" {
  instance = aws_instance.database.id
  domain   = "vpc"
}

# Private subnet, no route from the internet: not reachable, whatever its SG says.
resource "aws_instance" "app" {
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "t3.medium"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = merge(local.tags, { Name = "app" })
}
