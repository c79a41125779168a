"""The official CEB schemas for the outbound tests that validate what orders declare."""
from tests.customs.conftest import export_schema, export_xsd  # noqa: F401  (fixtures)
from tests.printing.conftest import decode, rasterise, zxing  # noqa: F401,E402  (label decoding fixtures)
