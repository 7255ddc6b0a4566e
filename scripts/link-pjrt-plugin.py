"""Link an installed PJRT plugin wheel's shared library as DEST_DIR/pjrt_c_api_<name>_plugin.so.

go-xla finds plugins by that file name; the PyPI wheels ship theirs under other names inside site-packages.
Usage: python link-pjrt-plugin.py [--nvidia] NAME MODULE LIBRARY DEST_DIR
  e.g. python link-pjrt-plugin.py cpu xla_plugins.xla_cpu_pjrt xla_cpu_pjrt.so .venv/pjrt
       python link-pjrt-plugin.py --nvidia cuda jax_plugins.xla_cuda13 xla_cuda_plugin.so .venv/pjrt

The module is located, not imported (jax_plugins.xla_cuda13 imports jax, which the project does not install).

--nvidia (the CUDA plugin) also makes DEST_DIR/../nvidia, a folder of links to the CUDA libraries of the same Python's
`nvidia` pip packages (cu13/, cudnn/, nccl/, ...), plus bin/ (ptxas, nvlink) and nvvm/ (libdevice). The plugin is
loaded through the link in DEST_DIR, and for a library loaded through a link, glibc takes $ORIGIN (and dladdr's
file name) from the link's folder, not the target's. So the plugin's RPATH, $ORIGIN/../nvidia/cu13/lib,
$ORIGIN/../nvidia/cudnn/lib and $ORIGIN/../nvidia/nccl/lib, finds them there, and so does XLA's own search for
ptxas and libdevice ($ORIGIN/../nvidia/cu13). go-xla (pjrt/cuda_linux.go, cudaNVidiaPath) also finds that folder
beside the plugin's and passes it to XLA as --xla_gpu_cuda_data_dir, where XLA looks for bin/ptxas and
nvvm/libdevice. It prints `LD_LIBRARY_PATH=...` (the lib/ folders), for scripts that want that fallback too.
"""
import importlib.util
import os
import shutil
import sys


def module_dir(module_name: str) -> str:
    """The folder of a package, found without running its __init__ (which may import what is not installed)."""
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError) as err:
        raise LookupError(f"{module_name} is not installed in {sys.prefix}: {err}") from err
    if spec is None:
        raise LookupError(f"{module_name} is not installed in {sys.prefix}")
    if spec.submodule_search_locations:
        return list(spec.submodule_search_locations)[0]
    return os.path.dirname(spec.origin)


def link(source: str, link_path: str) -> None:
    """A relative symlink link_path -> source, replaced atomically."""
    tmp = link_path + ".tmp"
    if os.path.lexists(tmp):
        os.remove(tmp)
    os.symlink(os.path.relpath(source, os.path.dirname(link_path)), tmp)
    os.replace(tmp, link_path)  # atomic: a concurrent reader sees the old link or the new one


def nvidia_package_dirs(plugin_dir: str) -> list[str]:
    """The `nvidia` package folders, the one beside the plugin's site-packages first (its RPATH's own choice)."""
    dirs = []
    beside = os.path.normpath(os.path.join(plugin_dir, "..", "..", "nvidia"))
    if os.path.isdir(beside):
        dirs.append(beside)
    try:
        spec = importlib.util.find_spec("nvidia")
    except (ImportError, ValueError):
        spec = None
    for d in (spec.submodule_search_locations or []) if spec else []:
        if os.path.isdir(d) and os.path.realpath(d) not in map(os.path.realpath, dirs):
            dirs.append(d)
    return dirs


def cuda_tools(nvidia_dir: str) -> tuple[str, str]:
    """The folders holding ptxas and libdevice (nvvm/): the cu13 pip packages', else a CUDA toolkit's."""
    roots = [os.path.join(nvidia_dir, "cu13")]
    roots += [os.environ[v] for v in ("CUDA_HOME", "CUDA_PATH") if os.environ.get(v)]
    ptxas = shutil.which("ptxas")
    if ptxas:
        roots.append(os.path.dirname(os.path.dirname(os.path.realpath(ptxas))))
    roots.append("/usr/local/cuda")
    bin_dir = next((os.path.join(r, "bin") for r in roots if os.path.isfile(os.path.join(r, "bin", "ptxas"))), "")
    nvvm = next((os.path.join(r, "nvvm") for r in roots
                 if os.path.isfile(os.path.join(r, "nvvm", "libdevice", "libdevice.10.bc"))), "")
    return bin_dir, nvvm


def make_nvidia_dir(plugin_dir: str, dest: str) -> int:
    sources = nvidia_package_dirs(plugin_dir)
    if not sources:
        print(f"link-pjrt-plugin: no `nvidia` pip packages (CUDA libraries) in {sys.prefix}", file=sys.stderr)
        return 1
    tmp = dest + ".tmp"
    if os.path.lexists(tmp):
        shutil.rmtree(tmp)  # links only: rmtree removes the links, never what they point to
    os.makedirs(tmp)
    for source in sources:
        for entry in sorted(os.listdir(source)):
            path = os.path.join(source, entry)
            if os.path.isdir(path) and not entry.startswith(("_", ".")) and not os.path.lexists(os.path.join(tmp, entry)):
                link(path, os.path.join(tmp, entry))
    bin_dir, nvvm = cuda_tools(tmp)
    for name, target in (("bin", bin_dir), ("nvvm", nvvm)):
        if target:
            link(os.path.realpath(target), os.path.join(tmp, name))
    old = dest + ".old"
    if os.path.lexists(old):
        shutil.rmtree(old)
    if os.path.lexists(dest):
        os.rename(dest, old)
    os.rename(tmp, dest)
    if os.path.lexists(old):
        shutil.rmtree(old)
    libs = sorted(os.path.join(os.path.abspath(dest), e, "lib") for e in os.listdir(dest)
                  if os.path.isdir(os.path.join(dest, e, "lib")))
    print(f"{dest}: {', '.join(sorted(os.listdir(dest)))} (from {', '.join(sources)})")
    if not bin_dir:
        print("link-pjrt-plugin: no ptxas (nvidia-cuda-nvcc, or a CUDA toolkit): XLA will compile PTX with "
              "libnvjitlink or the driver", file=sys.stderr)
    if not nvvm:
        print("link-pjrt-plugin: no nvvm/libdevice/libdevice.10.bc (nvidia-nvvm, or a CUDA toolkit)", file=sys.stderr)
    print("LD_LIBRARY_PATH=" + ":".join(libs))
    return 0


def main() -> int:
    args = sys.argv[1:]
    nvidia = "--nvidia" in args
    args = [a for a in args if a != "--nvidia"]
    if len(args) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    name, module_name, library, dest_dir = args
    try:
        plugin_dir = module_dir(module_name)
    except LookupError as err:
        print(f"link-pjrt-plugin: {err}", file=sys.stderr)
        return 1
    source = os.path.join(plugin_dir, library)
    if not os.path.isfile(source):
        print(f"link-pjrt-plugin: {source}: no such file in the {module_name} wheel", file=sys.stderr)
        return 1
    os.makedirs(dest_dir, exist_ok=True)
    link_path = os.path.join(dest_dir, f"pjrt_c_api_{name}_plugin.so")
    link(source, link_path)
    print(f"{link_path} -> {source}")
    if nvidia:
        return make_nvidia_dir(plugin_dir, os.path.join(os.path.dirname(os.path.abspath(dest_dir)), "nvidia"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
