"""Who may see and retry letters: staff of the funder and the team; retry and correct: officers."""

import rules

from grants.rules import is_officer, is_staff_of_funder, is_team_member


def _application(letter):
    return letter.decision.application


@rules.predicate
def letter_for_team(user, letter) -> bool:
    return letter is not None and is_team_member(user, _application(letter))


@rules.predicate
def letter_for_staff(user, letter) -> bool:
    return letter is not None and is_staff_of_funder(user, _application(letter))


@rules.predicate
def letter_for_officer(user, letter) -> bool:
    return letter is not None and is_officer(user, _application(letter))


rules.add_perm("documents.see_letter", letter_for_team | letter_for_staff)
rules.add_perm("documents.retry_letter", letter_for_officer)
rules.add_perm("documents.correct_letter", letter_for_officer)
