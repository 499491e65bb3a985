"""Reading queries: cleaning, words, phrases, exclusions, limits (no database)."""
from search.query import MAX_LENGTH, MAX_TERMS, clean, parse


def test_cleaning_turns_control_characters_into_spaces_and_trims():
    assert clean(" django\x00hstore\n ") == "django hstore"


def test_cleaning_keeps_only_the_first_200_characters():
    assert len(clean("x" * 10_000)) == MAX_LENGTH


def test_words_are_runs_of_letters_and_digits():
    assert parse("django-hstore v2_beta café").include == ["django", "hstore", "v2", "beta", "café"]


def test_quoted_phrases_and_exclusions_are_kept_apart():
    parsed = parse('"rest framework" -cms -"old stuff" api')
    assert parsed.include == ["rest framework", "api"]
    assert parsed.exclude == ["cms", "old stuff"]
    assert not parsed.plain and not parsed.is_short


def test_an_unbalanced_quote_runs_to_the_end():
    assert parse('django "rest framework').include == ["django", "rest framework"]


def test_operators_and_punctuation_leave_no_words():
    parsed = parse("& | ! :* ' () <-> %_")
    assert parsed.include == [] and parsed.exclude == []


def test_plain_queries_of_up_to_three_words_are_short():
    assert parse("django rest api").is_short
    assert not parse("django rest api tools").is_short


def test_only_the_first_terms_are_looked_at():
    assert len(parse(" ".join(f"w{i}" for i in range(50))).include) == MAX_TERMS
    assert len(parse("-".join(f"w{i}" for i in range(50))).include) == MAX_TERMS
