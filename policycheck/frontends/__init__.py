"""Front-ends: each turns one input unit (Terraform root module, CloudFormation template)
into the one typed model."""
