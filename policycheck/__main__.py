from policycheck.cli import app

app()
