"""The bundle's one program (PyInstaller): ``sozo`` (a link to it) is the command line,
``sozo-studio`` the window, and ``sozo-studio -m MODULE ARGS`` runs a module as
``python -m`` would: the studio's child processes (the hardware probe, a voice's
seedable rewrite) start ``sys.executable -m ...``, which in a bundle is this program."""

import os
import sys

if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "-m":
        import runpy

        module = sys.argv[2]
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        raise SystemExit(0)
    if os.path.basename(sys.argv[0]) == "sozo":
        from studio.cli import main as cli_main

        raise SystemExit(cli_main())
    from studio.app import main as app_main

    raise SystemExit(app_main())
