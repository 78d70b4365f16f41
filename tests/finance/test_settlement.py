"""The settlement calculation for the awkward cases, to the cent."""

from decimal import Decimal

import pytest

from finance.settlement import CostLine, SettlementInputError, calculate_settlement

D = Decimal


def settle(*, eligible, actual=None, realised, paid="0", awarded="10000.00", budget="20000.00", ratio="1.00"):
    lines = [CostLine("Personeel", D(budget), D(actual or eligible), D(eligible))]
    return calculate_settlement(
        awarded=D(awarded),
        budget_total=D(budget),
        lines=lines,
        cofunding_ratio=D(ratio),
        realised_cofunding=D(realised),
        paid=D(paid),
    )


def test_everything_as_planned_settles_at_the_award():
    result = settle(eligible="20000.00", realised="10000.00", paid="8000.00")
    assert result.settled == D("10000.00")
    assert result.limited_by == "awarded"
    assert (result.remainder, result.recovery) == (D("2000.00"), D("0.00"))


def test_cofunding_shortfall_lowers_the_grant_and_recovers_the_advance_above_it():
    # Ratio 1.0, award 10,000, realised co-funding 6,000: the grant is at most 6,000.
    result = settle(eligible="20000.00", realised="6000.00", paid="8000.00")
    assert result.cofunding_cap == D("6000.00")
    assert result.settled == D("6000.00")
    assert result.limited_by == "cofunding_cap"
    assert (result.remainder, result.recovery) == (D("0.00"), D("2000.00"))


def test_underspend_lowers_the_grant_to_its_share_of_the_eligible_costs():
    result = settle(eligible="15000.00", realised="10000.00", paid="8000.00")
    assert result.cost_share_cap == D("7500.00")
    assert result.settled == D("7500.00")
    assert result.limited_by == "cost_share_cap"
    assert result.recovery == D("500.00")


def test_ineligible_costs_count_as_underspend():
    result = settle(actual="20000.00", eligible="18000.00", realised="10000.00", paid="0")
    assert result.settled == D("9000.00")
    assert result.remainder == D("9000.00")


def test_overspend_never_raises_the_grant_above_the_award():
    result = settle(actual="26000.00", eligible="26000.00", realised="13000.00", paid="8000.00")
    assert result.cost_share_cap == D("13000.00")
    assert result.settled == D("10000.00")
    assert result.limited_by == "awarded"
    assert result.remainder == D("2000.00")


def test_advance_above_the_settled_amount_is_recovered_to_the_cent():
    # Both caps bite; the lowest wins: costs 11,111.11 → 5,555.56 (half up), co-funding 5,000.01 → 5,000.01.
    result = settle(eligible="11111.11", realised="5000.01", paid="8000.00")
    assert result.cost_share_cap == D("5555.56")
    assert result.settled == D("5000.01")
    assert result.recovery == D("2999.99")


def test_rounding_half_up_on_an_uneven_share():
    # 12,345.67 x 9,999.99 / 30,000 = 4,115.2192... → 4,115.22
    result = settle(eligible="12345.67", realised="20000.00", awarded="9999.99", budget="30000.00")
    assert result.settled == D("4115.22")


def test_a_lower_ratio_allows_more_grant_per_euro_of_cofunding():
    result = settle(eligible="20000.00", realised="4000.00", ratio="0.50", paid="8000.00")
    assert result.settled == D("8000.00")
    assert (result.remainder, result.recovery) == (D("0.00"), D("0.00"))


def test_no_cofunding_required_sets_no_cap():
    result = settle(eligible="20000.00", realised="0", ratio="0.00")
    assert result.cofunding_cap is None
    assert result.settled == D("10000.00")


def test_steps_and_letter_data_show_every_figure():
    result = settle(eligible="20000.00", realised="6000.00", paid="8000.00")
    keys = [step.key for step in result.steps]
    assert keys == [
        "awarded",
        "budget_total",
        "eligible_costs",
        "cost_share_cap",
        "realised_cofunding",
        "cofunding_cap",
        "settled",
        "paid",
        "remainder",
        "recovery",
    ]
    assert [step.key for step in result.steps if step.limiting] == ["cofunding_cap"]
    data = result.as_data()
    assert data["settled"] == "6000.00"
    assert data["recovery"] == "2000.00"
    assert data["limited_by"] == "cofunding_cap"
    assert data["lines"][0] == {
        "description": "Personeel",
        "budgeted": "20000.00",
        "actual": "20000.00",
        "eligible": "20000.00",
    }


def test_eligible_above_actual_is_refused():
    with pytest.raises(SettlementInputError):
        settle(actual="1000.00", eligible="2000.00", realised="0")
