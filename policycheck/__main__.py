"""``python -m policycheck`` and the ``policycheck`` command."""

import sys


def main() -> None:
    """Run the command line; ``--version`` is answered before importing it (start-up)."""
    if sys.argv[1:] == ["--version"]:
        from policycheck import __version__

        sys.stdout.write(f"policycheck {__version__}\n")
        return
    from policycheck.cli import app

    app()


if __name__ == "__main__":
    main()
