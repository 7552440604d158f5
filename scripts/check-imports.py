#!/usr/bin/env python3
"""Fails when a target imports a module it does not declare.

SwiftPM on Linux builds a target that imports a sibling or a transitive dependency without
declaring it (`--explicit-target-dependency-import-check` does not catch these), so this reads
the package as SwiftPM sees it (`swift package dump-package`) and every `import` line of every
target's sources, and checks that each imported module is one of:

- a target of this package named in the target's dependencies (by name or as `.target`);
- a product named in the target's dependencies (`.product(name:package:)`), whose module has the
  product's name;
- a module of the toolchain or the system (Foundation, Glibc, Testing, ...).

It also checks the layering the architecture promises (docs/architecture.md):
- the HTTP service's closure holds neither training, nor simulation, nor the demo, nor the
  model-operations jobs (a service links scoring, not training);
- no store adapter depends on a module that holds jobs or the demo (adapters implement the
  ports of LendingStorePorts, nothing more);
- no library target holds more than 15% of the lines under Sources/, and no source file is
  over 40 KB.

Usage: scripts/check-imports.py [PACKAGE_DIR]   (default: the repository root)
       scripts/check-imports.py --json DUMP.json PACKAGE_DIR   (a dump made beforehand)
Exit status 0 when every import is declared, 1 otherwise (each offence printed as
FILE:LINE: target T imports M, which it does not declare).
"""
import json
import os
import re
import subprocess
import sys

# Modules of the toolchain and of the operating system: no declaration needed.
SYSTEM_MODULES = {
    "Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking",
    "Dispatch", "Synchronization", "Testing", "XCTest", "Glibc", "Musl", "Darwin", "Android",
    "WinSDK", "CoreFoundation", "os", "_Concurrency", "_StringProcessing", "RegexBuilder",
    "Swift", "PackageDescription", "Observation", "Distributed",
}

IMPORT = re.compile(
    r"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*import\s+"
    r"(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)"
)


def dependency_names(target):
    """The module names a target may import: its declared targets and products."""
    names = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names


def source_directory(package_dir, target):
    if target.get("path"):
        return os.path.join(package_dir, target["path"])
    folder = "Tests" if target["type"] == "test" else "Sources"
    return os.path.join(package_dir, folder, target["name"])


def check(package_dir, package):
    own = {target["name"] for target in package["targets"]}
    problems = []
    for target in package["targets"]:
        if target["type"] in ("binary", "system", "plugin", "macro"):
            continue
        allowed = dependency_names(target) | {target["name"]}
        root = source_directory(package_dir, target)
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith(".swift"):
                    continue
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as source:
                    for number, line in enumerate(source, start=1):
                        match = IMPORT.match(line)
                        if not match:
                            continue
                        module = match.group(1)
                        if module in allowed or module in SYSTEM_MODULES:
                            continue
                        where = "a target of this package" if module in own else "no declared product"
                        problems.append(f"{os.path.relpath(path, package_dir)}:{number}: target "
                                        f"{target['name']} imports {module} ({where}), which it does not declare")
    return problems


# Modules a closure must not reach, by target.
FORBIDDEN_CLOSURE = {
    "LendingHTTP": {"LendingTraining", "LendingSimulation", "LendingDemo", "LendingModelOps"},
    "LendingStore": {"LendingApplications", "LendingLoanBook", "LendingPostLoan", "LendingBatchScoring",
                     "LendingModelOps", "LendingDemo", "LendingHTTP"},
    "LendingMemoryStore": {"LendingApplications", "LendingLoanBook", "LendingPostLoan", "LendingBatchScoring",
                           "LendingModelOps", "LendingDemo", "LendingHTTP"},
    "LendingPostgres": {"LendingApplications", "LendingLoanBook", "LendingPostLoan", "LendingBatchScoring",
                        "LendingModelOps", "LendingDemo", "LendingHTTP", "LendingStore"},
}
MAX_TARGET_SHARE = 0.15
MAX_FILE_BYTES = 40 * 1024


def layering(package_dir, package):
    targets = {target["name"]: target for target in package["targets"]}
    problems = []

    def closure(name):
        seen, stack = set(), [name]
        while stack:
            for dependency in dependency_names(targets[stack.pop()]):
                if dependency in targets and dependency not in seen:
                    seen.add(dependency)
                    stack.append(dependency)
        return seen

    for name, forbidden in FORBIDDEN_CLOSURE.items():
        if name in targets:
            for reached in sorted(closure(name) & forbidden):
                problems.append(f"Package.swift: {name} reaches {reached}, which its layer must not depend on")

    lines, total = {}, 0
    for target in package["targets"]:
        if target["type"] not in ("regular", "executable"):
            continue
        count = 0
        for folder, _, files in os.walk(source_directory(package_dir, target)):
            for name in files:
                if name.endswith(".swift"):
                    path = os.path.join(folder, name)
                    if os.path.getsize(path) > MAX_FILE_BYTES:
                        problems.append(f"{os.path.relpath(path, package_dir)}: {os.path.getsize(path)} bytes, over {MAX_FILE_BYTES}")
                    with open(path, encoding="utf-8") as source:
                        count += sum(1 for _ in source)
        lines[target["name"]] = (count, target["type"])
        total += count
    for name, (count, kind) in sorted(lines.items()):
        if kind == "regular" and total and count / total > MAX_TARGET_SHARE:
            problems.append(f"Sources/{name}: {count} of {total} lines ({count / total:.0%}), over {MAX_TARGET_SHARE:.0%}")
    return problems


def main(argv):
    if len(argv) >= 3 and argv[1] == "--json":
        with open(argv[2], encoding="utf-8") as dump:
            package = json.load(dump)
        package_dir = argv[3] if len(argv) > 3 else "."
    else:
        package_dir = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
        output = subprocess.run(["swift", "package", "--package-path", package_dir, "dump-package"],
                                check=True, capture_output=True, text=True).stdout
        package = json.loads(output)
    package_dir = os.path.abspath(package_dir)
    problems = check(package_dir, package) + layering(package_dir, package)
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-imports: {len(problems)} problem(s)")
        return 1
    print(f"check-imports: every import of {len(package['targets'])} targets is declared; the layering holds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
