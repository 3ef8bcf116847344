"""Where everything lives in a vault: the one place that names its folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coffeechat.model.config import Config


@dataclass(frozen=True)
class Layout:
    root: Path
    people: Path  # person notes (a setting)
    companies: Path  # company notes (a setting)
    prep: Path  # saved prep sheets
    plans: Path  # each chat's kept questions
    invites: Path  # calendar invitations
    templates: Path  # the vault's own draft templates
    question_banks: Path  # the vault's own question banks
    state: Path  # the index cache; safe to delete
    merged: Path  # conflict copies once merged, by the time of the merge

    @property
    def outputs(self) -> tuple[Path, ...]:
        """The folders the tool writes its own files into."""
        return (self.prep, self.plans, self.invites)

    @classmethod
    def of(cls, root: Path, config: Config) -> Layout:
        return cls(
            root=root,
            people=root / config.people_dir,
            companies=root / config.companies_dir,
            prep=root / "prep",
            plans=root / "prep" / "plans",
            invites=root / "invites",
            templates=root / "templates",
            question_banks=root / "question_banks",
            state=root / ".coffeechat",
            merged=root / ".coffeechat" / "merged",
        )
