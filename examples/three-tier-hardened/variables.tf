variable "name" {
  type    = string
  default = "orders"
}

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "azs" {
  description = "Availability zones, one subnet of each tier per zone."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b"]
}

variable "admin_cidr" {
  description = "The operations team's office range, the only source allowed to SSH to the bastion."
  type        = string
  default     = "198.51.100.0/28"
}
