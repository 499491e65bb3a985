"""The suite flushes only the Redis databases it owns (``TEST_REDIS_DBS``), never another's data."""
import pytest
import redis

from tests.pipeline.conftest import BROKER_DB, OWNER_KEY, REDIS, claim_redis_database


@pytest.fixture
def broker_db():
    """A client of the suite's broker database; skips, saying why, when Redis does not answer."""
    client = redis.Redis.from_url(f"{REDIS}/{BROKER_DB}")
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"these tests need Redis at {REDIS} (TEST_REDIS_URL), which is not reachable: {error}")
    yield client
    client.delete("someone-else:key")


def test_a_database_holding_data_the_suite_did_not_write_is_left_alone(broker_db):
    claim_redis_database(BROKER_DB)
    broker_db.delete(OWNER_KEY)
    broker_db.set("someone-else:key", "theirs")
    with pytest.raises(pytest.fail.Exception, match=f"Redis database {BROKER_DB} .* holds 1 key"):
        claim_redis_database(BROKER_DB)
    assert broker_db.get("someone-else:key") == b"theirs"


def test_an_empty_database_and_one_the_suite_marked_are_emptied_and_marked(broker_db):
    broker_db.flushdb()
    claim_redis_database(BROKER_DB)
    assert broker_db.keys() == [OWNER_KEY.encode()]
    broker_db.set("leftover-of-an-earlier-run", 1)
    claim_redis_database(BROKER_DB)
    assert broker_db.keys() == [OWNER_KEY.encode()]
