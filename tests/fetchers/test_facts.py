"""Shared helpers that turn upstream JSON into facts."""
from fetchers.facts import ranked


def test_participants_are_stripped_ranked_by_weight_and_blanks_dropped():
    names = ["  bob ", "alice", "", "   ", None, "bob", "carol"]
    assert ranked(names) == ["bob", "alice", "carol"]
    assert ranked(["a", " b "], [1, 5]) == ["b", "a"]


def test_no_name_left_is_unknown_not_an_empty_list():
    assert ranked(["", "  ", None]) is None
