variable "vpc_cidr" {
  description = "Address space of the VPC."
  type        = string
  default     = "10.20.0.0/16"
}

variable "web_ports" {
  description = "Ports the web instances open to everyone."
  type        = list(number)
  default     = [80, 443]
}

variable "web_count" {
  type    = number
  default = 1
}

variable "environment" {
  type = string
}
