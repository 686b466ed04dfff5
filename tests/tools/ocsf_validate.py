"""Validates OCSF Detection Findings (one JSON object per line on stdin) against the OCSF
models of the `ocsf-pydantic` package. Prints one line per finding; exits 1 on the first
invalid one. Used by tests/forward.rs."""
import json
import sys

from ocsf.events.findings.detection import DetectionFinding

n = 0
for line in sys.stdin:
    if not line.strip():
        continue
    finding = json.loads(line)
    try:
        DetectionFinding.model_validate(finding)
    except Exception as e:  # pydantic.ValidationError names every bad field
        print(f"invalid finding {n + 1}: {e}")
        sys.exit(1)
    if finding.get("class_uid") != 2004:
        print(f"finding {n + 1}: class_uid {finding.get('class_uid')} is not 2004")
        sys.exit(1)
    n += 1
print(f"{n} valid OCSF Detection Findings")
