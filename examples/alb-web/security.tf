# The load balancer: HTTP and HTTPS from anywhere, as intended.
resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Public web entry point"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTP from anywhere (redirected to HTTPS)"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTPS from anywhere"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "To the application instances"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.30.0.0/16"]
  }
}

# The application instances: 8080 from the load balancer's group only.
resource "aws_security_group" "app" {
  name        = "${local.name}-app"
  description = "Application instances behind the ALB"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "Application port from the ALB"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }

  egress {
    description = "Outbound through the NAT gateway"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# The mistake: a "temporary" debug box with the application port open to the world.
resource "aws_security_group" "debug" {
  name        = "${local.name}-debug"
  description = "Debug instance"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "Application port, for testing without the ALB"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "Anywhere"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
