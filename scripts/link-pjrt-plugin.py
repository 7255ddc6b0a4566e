"""Link an installed PJRT plugin wheel's shared library as .venv/pjrt/pjrt_c_api_<name>_plugin.so.

go-xla finds plugins by that file name; the PyPI wheels ship theirs under other names inside site-packages.
Usage: python link-pjrt-plugin.py NAME MODULE LIBRARY DEST_DIR
  e.g. python link-pjrt-plugin.py cpu xla_plugins.xla_cpu_pjrt xla_cpu_pjrt.so .venv/pjrt
"""
import importlib
import os
import sys


def main() -> int:
    name, module_name, library, dest_dir = sys.argv[1:5]
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        print(f"link-pjrt-plugin: {module_name} is not installed in {sys.prefix}: {err}", file=sys.stderr)
        return 1
    source = os.path.join(os.path.dirname(module.__file__), library)
    if not os.path.isfile(source):
        print(f"link-pjrt-plugin: {source}: no such file in the {module_name} wheel", file=sys.stderr)
        return 1
    os.makedirs(dest_dir, exist_ok=True)
    link = os.path.join(dest_dir, f"pjrt_c_api_{name}_plugin.so")
    tmp = link + ".tmp"
    if os.path.lexists(tmp):
        os.remove(tmp)
    os.symlink(os.path.relpath(source, dest_dir), tmp)
    os.replace(tmp, link)  # atomic: a concurrent reader sees the old link or the new one
    print(f"{link} -> {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
