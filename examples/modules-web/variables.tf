variable "services" {
  description = "One service module instance per entry; optional attributes are read with try()."
  type        = any
  default = {
    web = {
      tier          = "public"
      ports         = [80, 443]
      ingress_cidrs = ["0.0.0.0/0"]
      public_ip     = true
    }
    worker = {
      tier          = "private"
      instance_type = "t3.small"
      ports         = [8080]
    }
  }
}
