# The application VPC: no internet gateway; reached from the office over a site-to-site
# VPN and from the analytics VPC over a peering connection.
resource "aws_vpc" "app" {
  cidr_block = "10.50.0.0/16"
  tags       = { Name = "app" }
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.50.1.0/24"
  tags       = { Name = "app" }
}

resource "aws_subnet" "data" {
  vpc_id     = aws_vpc.app.id
  cidr_block = "10.50.2.0/24"
  tags       = { Name = "data" }
}

# --- Site-to-site VPN to the office (on-premises 192.168.0.0/16) ---

resource "aws_vpn_gateway" "office" {
  tags = { Name = "office" }
}

resource "aws_vpn_gateway_attachment" "office" {
  vpc_id         = aws_vpc.app.id
  vpn_gateway_id = aws_vpn_gateway.office.id
}

resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "198.51.100.10"
  type       = "ipsec.1"
  tags       = { Name = "office-router" }
}

resource "aws_vpn_connection" "office" {
  vpn_gateway_id      = aws_vpn_gateway.office.id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
  static_routes_only  = true
  tags                = { Name = "office" }
}

resource "aws_vpn_connection_route" "office" {
  destination_cidr_block = "192.168.0.0/16"
  vpn_connection_id      = aws_vpn_connection.office.id
}

# --- Peering with the analytics VPC (10.60.0.0/16) ---

resource "aws_vpc" "analytics" {
  cidr_block = "10.60.0.0/16"
  tags       = { Name = "analytics" }
}

resource "aws_subnet" "analytics" {
  vpc_id     = aws_vpc.analytics.id
  cidr_block = "10.60.1.0/24"
  tags       = { Name = "analytics" }
}

resource "aws_vpc_peering_connection" "analytics" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.analytics.id
  auto_accept = true
  tags        = { Name = "app-analytics" }
}

# --- Routes ---

# The app subnet: on-premises through the VPN gateway (a static route, not propagation).
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id

  route {
    cidr_block = "192.168.0.0/16"
    gateway_id = aws_vpn_gateway.office.id
  }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

# The data subnet: the analytics VPC through the peering connection.
resource "aws_route_table" "data" {
  vpc_id = aws_vpc.app.id

  route {
    cidr_block                = "10.60.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.analytics.id
  }
}

resource "aws_route_table_association" "data" {
  subnet_id      = aws_subnet.data.id
  route_table_id = aws_route_table.data.id
}

# The peer's side: back to the application VPC's data subnet.
resource "aws_route_table" "analytics" {
  vpc_id = aws_vpc.analytics.id

  route {
    cidr_block                = "10.50.2.0/24"
    vpc_peering_connection_id = aws_vpc_peering_connection.analytics.id
  }
}

resource "aws_route_table_association" "analytics" {
  subnet_id      = aws_subnet.analytics.id
  route_table_id = aws_route_table.analytics.id
}
