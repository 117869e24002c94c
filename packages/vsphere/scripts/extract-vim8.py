#!/usr/bin/python3
# Writes scripts/vim8-types.json: the vim25 types, members, enum values, managed types, properties,
# methods and parameters that appeared after 7.0.3.0 (the WSDL set beside the repository), each with the
# version it appeared in, read from pyVmomi's type table (facts only: names, types, flags, versions).
# No public vSphere 8 WSDL is known; pyVmomi's table is the machine-readable description it ships.
#
#   python3 scripts/extract-vim8.py PYVMOMI_CHECKOUT [SPECS_DIR]
#
# SPECS_DIR (default ../../../shared/specs/vsphere) holds the WSDL set: what it has is left out.
# PYVMOMI_CHECKOUT is a clone of github.com/vmware/pyvmomi (its pyVmomi/_typeinfo_{core,query,vim}.py are
# read as data: each Create*/AddVersion call is recorded, nothing of pyVmomi is imported).
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

# Versions up to this one are the WSDL's; what is newer goes into the JSON.
WSDL_VERSION = (7, 0, 3, 0)

checkout = sys.argv[1] if len(sys.argv) > 1 else None
if not checkout:
    sys.exit("usage: extract-vim8.py PYVMOMI_CHECKOUT [SPECS_DIR]")
specs = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/specs/vsphere")


def read(name):
    path = os.path.join(checkout, "pyVmomi", name)
    if os.path.exists(path):
        return open(path).read()
    # A bare git directory (a mirror) has no work tree.
    return subprocess.run(["git", "-C", checkout, "show", "HEAD:pyVmomi/" + name], check=True,
                          capture_output=True, text=True).stdout


def commit():
    try:
        return subprocess.run(["git", "-C", checkout, "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
    except Exception:
        return "unknown"


versions = {}
data, managed, enums = {}, {}, {}
F_LINK, F_LINKABLE, F_OPTIONAL, F_SECRET = 4, 8, 1, 16

def AddVersion(name, ns, version, *rest):
    versions[name] = version


def record(table):
    def create(vmodl_name, wsdl_name, *rest):
        table[vmodl_name] = (wsdl_name,) + rest
    return create


scope = {
    "AddVersion": AddVersion,
    "AddVersionParent": lambda *a: None,
    "AddBreakingChangesInfo": lambda *a: None,
    "CreateDataType": record(data),
    "CreateManagedType": record(managed),
    "CreateEnumType": record(enums),
    # The version lists pyVmomi keeps (newest, LTS, oldest): not needed here.
    **{n: type("Versions", (), {"Add": staticmethod(lambda v: None)}) for n in ("newestVersions", "ltsVersions", "oldestVersions")},
    "F_LINK": F_LINK, "F_LINKABLE": F_LINKABLE, "F_OPTIONAL": F_OPTIONAL, "F_SECRET": F_SECRET,
}
for name in ("_typeinfo_core.py", "_typeinfo_query.py", "_typeinfo_vim.py"):
    text = re.sub(r"^from .*$", "", read(name), flags=re.M)
    exec(compile(text, name, "exec"), scope)


def version_tuple(v):
    text = versions.get(v, "")
    return tuple(int(x) for x in text.split(".")) if re.fullmatch(r"\d+(\.\d+)+", text) else (0,)


def newer(v):
    return version_tuple(v) > WSDL_VERSION


def label(v):
    return versions[v]


PRIMITIVES = {
    "string": "string", "int": "int", "long": "long", "short": "short", "byte": "byte",
    "boolean": "boolean", "float": "float", "double": "double", "anyType": "anyType",
    "vmodl.Binary": "base64Binary", "vmodl.DateTime": "dateTime", "vmodl.URI": "anyURI",
    "vmodl.MethodName": "string", "vmodl.PropertyPath": "string", "vmodl.TypeName": "string",
}
wsdl_of = {k: v[0] for table in (data, enums) for k, v in table.items()}
managed_of = {k: v[0] for k, v in managed.items()}
managed_of["vmodl.ManagedObject"] = ""
# Defined inside pyVmomi's VmomiSupport rather than its tables; their WSDL names are their last segment.
for builtin in ("vmodl.MethodFault", "vmodl.RuntimeFault"):
    wsdl_of.setdefault(builtin, builtin.rsplit(".", 1)[1])


def type_spec(t, flags):
    """pyVmomi's type name as the JSON's: string, Foo, @HostSystem (a reference), [] array, ? optional."""
    array = t.endswith("[]")
    base = t[:-2] if array else t
    if base in PRIMITIVES:
        out = PRIMITIVES[base]
    elif base in managed_of:
        out = "@" + managed_of[base]
    elif base in wsdl_of:
        out = wsdl_of[base]
    else:
        raise SystemExit("unknown type " + t)
    return out + ("[]" if array else "") + ("?" if flags & F_OPTIONAL else "")


def members(items, known):
    """The members missing from `known` (names), as [name, type, version, after]: `after` is the member
    before it in pyVmomi's order, which is the wire's."""
    out = []
    previous = None
    for m in items or ():
        name, t, v, flags = m[0], m[1], m[2], m[3]
        if name not in known:
            out.append([name, type_spec(t, flags), label(v), previous])
        previous = name
    return out


# What the WSDL set has: complex types with their sequence's element names, enums with their values, and
# the operations with their parameters.
XSD = "{http://www.w3.org/2001/XMLSchema}"
schema_types, schema_enums, schema_ops = {}, {}, {}
for file in ("core-types.xsd", "query-types.xsd", "vim-types.xsd"):
    for node in ET.parse(os.path.join(specs, file)).getroot():
        if node.tag == XSD + "complexType":
            schema_types[node.get("name")] = {e.get("name") for e in node.iter(XSD + "element")}
        elif node.tag == XSD + "simpleType":
            schema_enums[node.get("name")] = {e.get("value") for e in node.iter(XSD + "enumeration")}
for file in ("query-messagetypes.xsd", "vim-messagetypes.xsd"):
    for node in ET.parse(os.path.join(specs, file)).getroot():
        if node.tag == XSD + "complexType" and node.get("name").endswith("RequestType"):
            schema_ops[node.get("name")[: -len("RequestType")]] = {e.get("name") for e in node.iter(XSD + "element")}

out_data = {}
for vmodl_name, (wsdl, parent, v, items) in data.items():
    # pyVmomi's own members of every data object (dynamicType, dynamicProperty): not in the WSDL's.
    if wsdl == "DynamicData":
        continue
    known = schema_types.get(wsdl)
    fields = members(items, known or set())
    if known is None:
        out_data[wsdl] = {"base": wsdl_of[parent], "version": label(v), "fields": fields}
    elif fields:
        out_data[wsdl] = {"fields": fields}

out_enums = {}
for vmodl_name, (wsdl, v, values) in enums.items():
    known = schema_enums.get(wsdl)
    if known is None:
        out_enums[wsdl] = {"version": label(v), "values": list(values)}
    elif set(values) - known:
        out_enums[wsdl] = {"values": [x for x in values if x not in known]}

# Managed types are not in the WSDL (scripts/managed-types.json holds them): their properties newer than
# it are listed; every operation missing from the WSDL, or with parameters missing from it, in full.
out_managed = {}
for vmodl_name, (wsdl, parent, v, props, methods) in managed.items():
    fresh = newer(v)
    entry = {}
    if fresh:
        entry["base"] = managed_of[parent] if parent != "vmodl.ManagedObject" else "ManagedObject"
        entry["version"] = label(v)
    new_props = {p[0]: [type_spec(p[1], p[3]), label(p[2])] for p in props or () if fresh or newer(p[2])}
    if new_props:
        entry["properties"] = new_props
    new_methods = {}
    for m in methods or ():
        short, op, mv, params, result, privilege, faults = m
        known = schema_ops.get(op, schema_ops.get(op[: -len("_Task")] if op.endswith("_Task") else None))
        if known is not None and not members(params, known):
            continue
        flags, rtype, actual = result
        spec = {"version": label(mv), "params": members(params, known or set())}
        if known is None:
            if rtype != "void":
                spec["result"] = type_spec(rtype, flags)
                if rtype == "vim.Task" and actual not in ("void", "vim.Task"):
                    spec["taskResult"] = type_spec(actual, 0).replace("@", "")
            spec["faults"] = [wsdl_of[f] for f in faults or ()]
        new_methods[op] = spec
    if new_methods:
        entry["methods"] = new_methods
    if entry:
        out_managed[wsdl] = entry

# pyVmomi's names (dotted type names, short method names) that scripts/pyvmomi-names.json, read from pyVmomi
# 6.7.1, lacks: the types and methods added since. Same rules as scripts/extract-pyvmomi-names.py.
known_names = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pyvmomi-names.json")))
new_type_names = {}
for table in (data, managed, enums):
    for vmodl_name, definition in table.items():
        if vmodl_name.startswith("vim.") and vmodl_name not in known_names["types"]:
            new_type_names[vmodl_name] = definition[0]
new_method_names = {}
for vmodl_name, (wsdl, parent, v, props, methods) in managed.items():
    for m in methods or ():
        short = m[0][0].upper() + m[0][1:]
        if short.endswith("_Task"):
            short = short[: -len("_Task")]
        if short != m[1] and short not in known_names["methods"].get(wsdl, {}):
            new_method_names.setdefault(wsdl, {})[short] = m[1]

api_version = max((versions[v] for v in versions if versions[v]), key=lambda s: tuple(int(x) for x in s.split(".")) if re.fullmatch(r"\d+(\.\d+)+", s) else (0,))
out = {
    "about": [
        "What pyVmomi's vim25 type table has and the 7.0 U3 WSDL set beside the repository lacks, with the "
        "version each item appeared in: data types and members (wire order: `after` names the member before), "
        "enum values, managed types and properties newer than 7.0.3.0, and operations or their parameters. Types: a primitive, a data or enum type, "
        "@ManagedType for a reference (@ alone: any), [] array, ? may be absent. Facts only, read by "
        "scripts/extract-vim8.py from pyVmomi's type table (github.com/vmware/pyvmomi " + commit() + ")."
    ],
    "apiVersion": api_version,
    "dataTypes": dict(sorted(out_data.items())),
    "enums": dict(sorted(out_enums.items())),
    "managedTypes": dict(sorted(out_managed.items())),
    "pyvmomiNames": {
        "types": dict(sorted(new_type_names.items())),
        "methods": {k: dict(sorted(v.items())) for k, v in sorted(new_method_names.items())},
    },
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vim8-types.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"API {api_version}: {sum('base' in d for d in out_data.values())} new data types, "
      f"{sum(len(d['fields']) for d in out_data.values() if 'base' not in d)} new members of older types, "
      f"{sum('version' in e for e in out_enums.values())} new enums, "
      f"{sum('base' in m for m in out_managed.values())} new managed types, "
      f"{sum(len(m.get('methods', {})) for m in out_managed.values())} methods with news, "
      f"{len(new_type_names)} pyVmomi type names and {sum(len(v) for v in new_method_names.values())} method names newer than 6.7.1 -> {path}")
