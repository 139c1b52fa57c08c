# SSH from the whole office range: any on-premises host can log in.
resource "aws_security_group" "app" {
  name        = "app"
  description = "Application servers"
  vpc_id      = aws_vpc.app.id

  ingress {
    description = "SSH from on-premises"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["192.168.0.0/16"]
  }

  egress {
    description = "Anywhere"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# PostgreSQL from the whole analytics VPC, across the peering connection.
resource "aws_security_group" "database" {
  name        = "database"
  description = "PostgreSQL"
  vpc_id      = aws_vpc.app.id

  ingress {
    description = "PostgreSQL from the analytics VPC"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.60.0.0/16"]
  }

  egress {
    description = "Anywhere"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "app" }

  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_instance" "database" {
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "r6g.large"
  subnet_id              = aws_subnet.data.id
  vpc_security_group_ids = [aws_security_group.database.id]
  tags = {
    Name                    = "database"
    "policycheck:listeners" = "tcp/5432"
  }

  metadata_options {
    http_tokens = "required"
  }
}
