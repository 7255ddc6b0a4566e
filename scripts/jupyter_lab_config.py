# The configuration `make lab` passes with --config: Jupyter loads it after the user's own (~/.jupyter/...), so
# whatever those say, the server started by `make lab` requires the token and listens on loopback only.
# (JUPYTER_TOKEN alone is only Jupyter's default: a user config with {"IdentityProvider": {"token": ""}} would switch
# authentication off.)
import os
import signal

token = os.environ.get("JUPYTER_TOKEN", "").strip()
if not token:
    raise SystemExit("make lab: JUPYTER_TOKEN is empty; refusing to start a server without a token")

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
c.IdentityProvider.token = token
c.ServerApp.identity_provider_class = "jupyter_server.auth.identity.PasswordIdentityProvider"  # Jupyter's own, token-checking
c.PasswordIdentityProvider.password_required = False  # the token is the credential; no password is set up
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.allow_remote_access = False
c.ServerApp.disable_check_xsrf = False
c.ServerApp.open_browser = False

# Without a terminal Jupyter leaves SIGINT to Python, whose KeyboardInterrupt ends the server before it shuts its
# kernels down (a kernel, its gopls and a cell's program would outlive it). Here SIGINT stops it as SIGTERM does,
# cleanly; with a terminal Jupyter installs its own handler over this one (its "Shut down?" prompt, then a clean stop).
# scripts/reaper.py, which `make lab` runs the server under, ends whatever is left in any case.
signal.signal(signal.SIGINT, lambda signum, frame: os.kill(os.getpid(), signal.SIGTERM))
