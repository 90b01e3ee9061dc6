"""The bundle's one program (PyInstaller): ``sozo`` (a link to it) is the command line,
``sozo-studio`` the window."""

import os
import sys

if __name__ == "__main__":
    if os.path.basename(sys.argv[0]) == "sozo":
        from studio.cli import main as cli_main

        raise SystemExit(cli_main())
    from studio.app import main as app_main

    raise SystemExit(app_main())
