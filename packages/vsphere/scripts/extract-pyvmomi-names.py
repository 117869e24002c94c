#!/usr/bin/python3
# Writes scripts/pyvmomi-names.json: the names pyVmomi gives vim25 types and methods where they differ from
# the WSDL's (vim.vm.ConfigSpec for VirtualMachineConfigSpec, VirtualMachine.CreateSnapshot for
# CreateSnapshot_Task), read from pyVmomi's own type table. Names only. Run with Debian's python3-pyvmomi:
#   apt-get install python3-pyvmomi && /usr/bin/python3 scripts/extract-pyvmomi-names.py
import json
import os

from pyVmomi import VmomiSupport as support

version = getattr(support, "__version__", None)
try:
    from importlib.metadata import version as dist_version
    version = dist_version("pyvmomi")
except Exception:
    pass

types = {}
for table in (support._dataDefMap, support._managedDefMap, support._enumDefMap):
    for vmodl_name, definition in table.items():
        if vmodl_name.startswith("vim."):
            types[vmodl_name] = definition[1]

methods = {}
for vmodl_name, definition in support._managedDefMap.items():
    wsdl_type = definition[1]
    for method in definition[5] or ():
        short = method[0][0].upper() + method[0][1:]
        if short.endswith("_Task"):
            short = short[: -len("_Task")]
        if short != method[1]:
            methods.setdefault(wsdl_type, {})[short] = method[1]

out = {
    "about": [
        "The names pyVmomi gives vim25 types (its dotted vmodl names) and managed object methods (the "
        "capitalized vmodl name, without _Task), with the WSDL name each stands for. Names only, read by "
        "scripts/extract-pyvmomi-names.py from the type table of Debian's python3-pyvmomi "
        + str(version)
        + "; scripts/generate.mjs turns them into the `vim` value's nested names and the methods' aliases."
    ],
    "types": dict(sorted(types.items())),
    "methods": {k: dict(sorted(v.items())) for k, v in sorted(methods.items())},
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pyvmomi-names.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"{len(types)} type names, {sum(len(v) for v in methods.values())} method names -> {path}")
