"""Each table is declared once: its record type and its pyarrow schema agree."""
import pytest

from schemas import DERIVED_TABLES, RECORD_TYPES, SCHEMA_VERSION, TABLES


@pytest.mark.parametrize("name", sorted({**TABLES, **DERIVED_TABLES}))
def test_record_type_matches_schema(name):
    schema = {**TABLES, **DERIVED_TABLES}[name]
    assert list(RECORD_TYPES[name]._fields) == schema.names
    assert schema.metadata[b"newsevents.schema_version"] == SCHEMA_VERSION.encode()
