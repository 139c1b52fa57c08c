"""Host configuration: what a template says about a host (the pre-deploy stand-in for
Inspector's agent)."""
