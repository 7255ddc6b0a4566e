"""Who may come into the class: sign-up on the hub's page with the teacher's approval (NativeAuthenticator), and,
on one machine, a Unix account made for each learner at their first login (LocalAuthenticator's
create_system_users)."""
import os

import nativeauthenticator
from jupyterhub.auth import LocalAuthenticator
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator import handlers


class _Timer:
    def start(self):
        return self

    def stop(self, send=True):  # noqa: ARG002 (statsd's signature)
        pass


class _NoStatsd:
    """JupyterHub 6 has no statsd client any more; NativeAuthenticator 1.3's login page still times itself with it."""

    def timer(self, name):  # noqa: ARG002
        return _Timer()


class LoginHandler(handlers.LoginHandler):
    statsd = _NoStatsd()


class NativeClassAuthenticator(NativeAuthenticator):
    """NativeAuthenticator, its login page working on JupyterHub 6 (docker-compose's hub: no Unix accounts)."""

    def get_handlers(self, app):
        return [(path, LoginHandler if path == r"/login" else handler)
                for path, handler in super().get_handlers(app)]


class ClassAuthenticator(NativeClassAuthenticator, LocalAuthenticator):
    """The same, with a Unix account for each learner (make hub)."""


def templates() -> str:
    """NativeAuthenticator's sign-up and approval pages (JupyterHub's template_paths)."""
    return os.path.join(os.path.dirname(nativeauthenticator.__file__), "templates")
