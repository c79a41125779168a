"""Every model, imported once so that Alembic's autogenerate sees the whole schema."""
from wms.auth.models import ApiToken, LoginAttempt, User  # noqa: F401
from wms.core.audit import AuditLog  # noqa: F401
from wms.customs.models import BookEntry, BookItem  # noqa: F401
from wms.core.idempotency import IdempotencyRecord  # noqa: F401
from wms.core.numbering import NumberSeries  # noqa: F401
from wms.scanning.models import ScanException  # noqa: F401
from wms.inventory.models import Movement, MovementLine, StockBalance  # noqa: F401
from wms.masterdata.models import (Carrier, Channel, Country, Currency, ExchangeRate, Location,  # noqa: F401
                                   PackagingMaterial, Product, ProductBarcode, Seller, Warehouse, Zone)
from wms.printing.models import PrinterProfile  # noqa: F401
from wms.customs.models import CustomsEvent, CustomsMessage, CustomsRecord, MatchException  # noqa: F401
from wms.inbound.models import (Asn, AsnCarton, AsnLine, AsnParcel, Disposal, DisposalLine,  # noqa: F401
                                FixedLocation, GatePass, PutawayRule, PutawayTask, QcRule, QcTask, Receipt,
                                TempDeclaration, TempDeclarationLine)
from wms.outbound.models import Allocation, Bag, ChannelRule, Manifest, Order, OrderLine, PackagingMovement, PackagingStock, Parcel, PickDiscrepancy, PickTask, Wave  # noqa: F401
from wms.outbound.packing_list import PackingListTemplate  # noqa: F401
