"""The paste-a-reply classifier on its labelled corpus: per-class precision and recall and the
confusion table, on the tuning two thirds and on the third kept apart (issue 18).

    python bench/classifier_report.py [--errors]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "web" / "py"))

from followup.classify_reply import LABELS, classify_reply  # noqa: E402

CORPUS = ROOT / "tests" / "core" / "corpus" / "replies.jsonl"


def load() -> list[dict[str, str]]:
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


def report(rows: list[dict[str, str]], title: str, errors: bool) -> float:
    pairs = [(r["label"], classify_reply(r["text"])["label"], r) for r in rows]
    right = sum(1 for want, got, _ in pairs if want == got)
    accuracy = right / len(pairs)
    print(f"\n## {title}: {len(pairs)} replies, accuracy {accuracy:.1%}\n")
    print(f"| {'class':<13} | precision | recall | n   |")
    print("|---------------|-----------|--------|-----|")
    for label in LABELS:
        said = sum(1 for _, got, _ in pairs if got == label)
        truly = sum(1 for want, _, _ in pairs if want == label)
        hit = sum(1 for want, got, _ in pairs if want == got == label)
        precision = hit / said if said else 0.0
        recall = hit / truly if truly else 0.0
        print(f"| {label:<13} | {precision:9.1%} | {recall:6.1%} | {truly:<3} |")
    print("\nConfusion (rows: true label, columns: classified as)\n")
    print("| true \\ said    | " + " | ".join(f"{c[:7]:>7}" for c in LABELS) + " |")
    print("|---------------|" + "|".join("---------" for _ in LABELS) + "|")
    for want in LABELS:
        cells = [sum(1 for w, g, _ in pairs if w == want and g == got) for got in LABELS]
        print(f"| {want:<13} | " + " | ".join(f"{n:>7}" for n in cells) + " |")
    if errors:
        for want, got, row in pairs:
            if want != got:
                print(f"- {row['id']} {want} -> {got}: {row['text'][:100]!r}")
    return accuracy


def main() -> None:
    rows = load()
    errors = "--errors" in sys.argv
    report([r for r in rows if r["split"] == "tune"], "Tuning set (two thirds)", errors)
    report([r for r in rows if r["split"] == "held_out"], "Held-out third", errors)


if __name__ == "__main__":
    main()
