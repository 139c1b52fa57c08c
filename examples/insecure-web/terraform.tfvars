environment = "staging"
web_count   = 2
web_ports   = [80, 443, 8443]
