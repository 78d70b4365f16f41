"""The objection period's last day, extended under the Algemene termijnenwet (Atw)."""

import datetime

import pytest

from grants.terms import banking_day_on_or_after, objection_period_end, recognised_holidays

D = datetime.date


@pytest.mark.parametrize(
    ("letter_date", "last_day"),
    [
        (D(2026, 11, 19), D(2026, 12, 31)),  # a Thursday, no holiday: six weeks to the day
        (D(2026, 11, 13), D(2026, 12, 28)),  # Christmas Day, Boxing Day, the weekend
        (D(2026, 4, 2), D(2026, 5, 15)),  # Ascension Day 2026 (Easter is on 5 April)
        (D(2026, 3, 24), D(2026, 5, 6)),  # 5 May, a holiday in every year under the Atw
        (D(2026, 4, 14), D(2026, 5, 26)),  # Whit Monday
        (D(2026, 2, 20), D(2026, 4, 3)),  # Good Friday is no holiday under the Atw
        (D(2026, 11, 14), D(2026, 12, 28)),  # a letter dated on a Saturday ends on a Saturday, then Monday
    ],
)
def test_the_last_day_of_the_objection_period(letter_date, last_day):
    assert objection_period_end(letter_date) == last_day


def test_kings_day_moves_to_the_26th_when_the_27th_is_a_sunday():
    assert D(2025, 4, 26) in recognised_holidays(2025)  # 27 April 2025 was a Sunday
    assert D(2026, 4, 27) in recognised_holidays(2026)
    assert D(2026, 4, 26) not in recognised_holidays(2026)


@pytest.mark.parametrize(
    ("day", "banking_day"),
    [
        (D(2027, 3, 24), D(2027, 3, 24)),  # a Wednesday
        (D(2027, 3, 26), D(2027, 3, 30)),  # Good Friday, the weekend, Easter Monday (Easter: 28 March 2027)
        (D(2026, 4, 27), D(2026, 4, 27)),  # King's Day: a Dutch holiday, but TARGET2 is open
        (D(2026, 5, 1), D(2026, 5, 4)),  # 1 May (a Friday), then the weekend
        (D(2026, 5, 14), D(2026, 5, 14)),  # Ascension Day: open too
        (D(2026, 12, 24), D(2026, 12, 24)),
        (D(2026, 12, 25), D(2026, 12, 28)),  # Christmas Day, Boxing Day, Sunday
        (D(2027, 1, 1), D(2027, 1, 4)),  # New Year's Day (a Friday) and the weekend
    ],
)
def test_the_first_banking_day_skips_the_target2_closing_days_only(day, banking_day):
    assert banking_day_on_or_after(day) == banking_day
