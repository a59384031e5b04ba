#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
Expected MRENCLAVE values for the enclave descriptions beside this script,
computed independently of confmem (standard library only) from the records
the SDM defines for ECREATE, EADD and EEXTEND. tests/unit/test_sgx_measure.c
holds the printed values; rerun after changing a description:

    python3 tests/data/sgx/make_vectors.py
"""
import glob
import hashlib
import json
import os
import struct
import sys

PAGE = 4096
CHUNK = 256


def number(value):
    """A JSON integer or a "0x..." string (the only forms the vectors use)."""
    if isinstance(value, bool):
        raise ValueError("boolean where a number is expected")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lower().startswith("0x"):
        return int(value, 16)
    raise ValueError("unsupported number %r" % (value,))


def ecreate(ssa_frame_size, size):
    # "ECREATE\0", u32 SSAFRAMESIZE, u64 SIZE, 44 zero bytes.
    return struct.pack("<8sIQ44x", b"ECREATE\0", ssa_frame_size, size)


def eadd(offset, flags):
    # "EADD\0\0\0\0", u64 enclave offset, the first 48 bytes of SECINFO (u64 FLAGS, zeros).
    return struct.pack("<8sQQ40x", b"EADD\0\0\0\0", offset, flags)


def eextend(offset):
    # "EEXTEND\0", u64 enclave offset, 48 zero bytes; the 256 data bytes follow.
    return struct.pack("<8sQ48x", b"EEXTEND\0", offset)


def measured_chunks(measure):
    if measure is True:
        return list(range(0, PAGE, CHUNK))
    if measure is False:
        return []
    return sorted(number(c) for c in measure)


def page_bytes(data_hex):
    if data_hex is None:
        return bytes(PAGE)
    pattern = bytes.fromhex(data_hex)
    return (pattern * (PAGE // len(pattern) + 1))[:PAGE]


def measure(desc):
    records = [ecreate(desc.get("ssa_frame_size", 1), number(desc["size"]))]
    nr_eextend = 0
    for page in desc["pages"]:
        offset = number(page["offset"])
        records.append(eadd(offset, number(page["secinfo_flags"])))
        content = page_bytes(page.get("data"))
        for chunk in measured_chunks(page["measure"]):
            records.append(eextend(offset + chunk))
            records.append(content[chunk:chunk + CHUNK])
            nr_eextend += 1
    for record in records:
        assert len(record) in (64, CHUNK)
    return hashlib.sha256(b"".join(records)).hexdigest(), len(desc["pages"]), nr_eextend


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "*.json"))):
        with open(path) as f:
            desc = json.load(f)
        digest, nr_pages, nr_eextend = measure(desc)
        name = os.path.basename(path)
        print('\t{ "%s", "%s", %d, %d },' % (name, digest, nr_pages, nr_eextend))
    return 0


if __name__ == "__main__":
    sys.exit(main())
