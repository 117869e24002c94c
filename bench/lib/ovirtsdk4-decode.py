# ovirtsdk4's decode of the VM list beside ours, for bench/scenarios/ovirt-decode.mjs: its C XML reader
# (libxml2) reading the body as a stream and feeding the generated VmReader, as its services read an answer.
# Settings come as JSON in argv[1]: { file }. The document is read into bytes first (as an HTTP body would
# be), then the clock runs around the decode alone. Prints one JSON line as bench/lib/ovirt-decode-child.mjs does.
import gc
import io
import json
import sys

from measured_call import measure
from ovirtsdk4 import readers, xml

settings = json.loads(sys.argv[1])
with open(settings["file"], "rb") as document:
    body = document.read()
gc.collect()


def decode():
    reader = xml.XmlReader(io.BytesIO(body))
    try:
        return readers.VmReader.read_many(reader)
    finally:
        reader.close()


measure(decode, lambda vms: {"items": len(vms)})
