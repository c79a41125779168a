"""Demo data from fixtures/: reference lists, the Qianhai warehouse, sellers, products, users, stock.

Records go through the same schemas as the API (so fixtures are validated like user input); locations are
generated from compact patterns; opening stock goes through the ledger like any other receipt.
"""
from __future__ import annotations

import itertools
import random
import string
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
import yaml

from wms.auth.service import create_user
from wms.extensions import db
from wms.inventory import service as inventory
from wms.masterdata import schemas
from wms.printing.models import PrinterProfile
from wms.printing.schemas import PrinterProfileSchema
from wms.masterdata.models import (Carrier, Channel, Country, Currency, ExchangeRate, Location, PackagingMaterial,
                                   Product, ProductBarcode, Seller, Warehouse, Zone)

ORDER = ("aisle", "bay", "level", "bin", "n")


def _read(folder: Path, name: str):
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


def expand(spec: dict) -> list[dict]:
    """Location rows of one pattern: every combination of its ranges, serpentine by aisle."""
    names = [n for n in ORDER if n in spec]
    ranges = []
    for name in names:
        value = spec[name]
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
            ranges.append(list(range(value[0], value[1] + 1)))
        else:
            ranges.append(list(value))
    rows = []
    for combo in itertools.product(*ranges):
        parts = dict(zip(names, combo))
        rows.append(parts)
    if "aisle" in names and "bay" in names:     # walk odd aisles up, even aisles down
        aisles = list(dict.fromkeys(r["aisle"] for r in rows))
        ordered = []
        for i, aisle in enumerate(aisles):
            in_aisle = [r for r in rows if r["aisle"] == aisle]
            ordered += in_aisle if i % 2 == 0 else sorted(in_aisle, key=lambda r: -ranges[1].index(r["bay"]))
        rows = ordered
    formats = {name: spec_ for _, name, spec_, _ in string.Formatter().parse(spec["pattern"]) if name}
    # the parts keep the code's own formatting (aisle "01" for A01-…), so filters match what is printed
    return [{"code": spec["pattern"].format(**r), **{k: format(v, formats.get(k, "")) for k, v in r.items() if k != "n"}}
            for r in rows]


def load_demo(folder: Path, *, stock: bool = True) -> dict[str, int]:
    counts: dict[str, int] = {}
    session = db.session

    countries = {}
    for row in _read(folder, "countries.yaml"):
        data = schemas.CountrySchema().load(row)
        countries[data["code"]] = Country(**data)
    session.add_all(countries.values())

    currencies = {}
    for row in _read(folder, "currencies.yaml"):
        rates = row.pop("rates", [])
        data = schemas.CurrencySchema().load(row)
        data.pop("rates", None)
        currency = Currency(**data)
        currency.rates = [ExchangeRate(rate_date=schemas.ExchangeRateSchema().load(
            {"rate_date": r["date"], "rate": r["rate"]})["rate_date"], rate=Decimal(r["rate"])) for r in rates]
        currencies[data["code"]] = currency
    session.add_all(currencies.values())
    counts |= {"countries": len(countries), "currencies": len(currencies)}

    layout = _read(folder, "warehouse.yaml")
    warehouse = Warehouse(**schemas.WarehouseSchema().load(layout["warehouse"]))
    session.add(warehouse)
    session.flush()
    sequence, location_rows = 0, []
    zones = {}
    for zone_row in layout["zones"]:
        patterns = zone_row.pop("locations")
        zone = Zone(**schemas.ZoneSchema().load({**zone_row, "warehouse_id": warehouse.id}))
        session.add(zone)
        session.flush()
        zones[zone.kind] = zone
        for spec in patterns:
            for loc in expand(spec):
                sequence += 1
                location_rows.append({
                    "warehouse_id": warehouse.id, "zone_id": zone.id, "pick_sequence": sequence,
                    "capacity": spec.get("capacity", 0),
                    "max_weight_kg": Decimal(spec["max_weight_kg"]) if spec.get("max_weight_kg") else None,
                    "aisle": loc.get("aisle", ""), "bay": loc.get("bay", ""), "level": loc.get("level", ""),
                    "bin": loc.get("bin", ""), "code": loc["code"], "active": True})
    session.execute(sa.insert(Location), location_rows)
    counts |= {"warehouses": 1, "zones": len(zones), "locations": len(location_rows)}

    sellers = {}
    for row in _read(folder, "sellers.yaml"):
        status = row.pop("filing_status", "draft")
        seller = Seller(**schemas.SellerSchema().load(row), filing_status=status)
        sellers[seller.code] = seller
    session.add_all(sellers.values())
    session.flush()
    counts["sellers"] = len(sellers)

    products = []
    for row in _read(folder, "products.yaml"):
        seller = sellers[row.pop("seller")]
        status = row.pop("filing_status", "draft")
        origin, currency = countries[row.pop("origin")], currencies[row.pop("currency")]
        data = schemas.ProductSchema().load({**row, "origin_country_id": origin.id, "currency_id": currency.id,
                                             "seller_id": seller.id})
        codes = data.pop("barcode_codes")
        product = Product(**data, filing_status=status)
        product.barcodes = [ProductBarcode(code=c, seller_id=seller.id) for c in codes]
        products.append(product)
    session.add_all(products)
    counts["products"] = len(products)

    for row in _read(folder, "carriers.yaml"):
        channels = row.pop("channels", [])
        carrier = Carrier(**schemas.CarrierSchema().load(row))
        session.add(carrier)
        session.flush()
        for ch in channels:
            session.add(Channel(**schemas.ChannelSchema().load(
                {**ch, "carrier_id": carrier.id})))
    session.add_all(PackagingMaterial(**schemas.PackagingMaterialSchema().load(row))
                    for row in _read(folder, "packaging.yaml"))
    session.add_all(PrinterProfile(**PrinterProfileSchema().load(row)) for row in _read(folder, "printers.yaml"))

    for row in _read(folder, "users.yaml"):
        seller = sellers.get(row.get("seller"))
        create_user(row["username"], row["password"], row["role"], seller_id=seller.id if seller else None,
                    display_name=row.get("display_name", ""))
    session.flush()
    counts["users"] = len(_read(folder, "users.yaml"))

    from wms.customs.book import open_item
    items = {p.id: open_item(p) for p in products if p.filing_status == "approved"}
    counts["account-book lines"] = len(items)
    if stock:
        counts["stock movements"] = _opening_stock(products, zones, items)
        counts["inbound forecasts"] = _inbound_demo(products)
        counts["orders"] = _orders_demo(products)
    return counts


def _opening_stock(products: list[Product], zones: dict[str, Zone], book_items: dict) -> int:
    """Some stock in every state a demo needs: stored, awaiting declaration, on hold, awaiting QC.

    Bonded opening stock is posted to the account book too, so the book reconciles from the start.
    """
    rng = random.Random(2026)
    locations = {kind: db.session.scalars(sa.select(Location).where(Location.zone_id == zone.id)
                                          .order_by(Location.pick_sequence)).all()
                 for kind, zone in zones.items()}
    approved = [p for p in products if p.filing_status == "approved"]
    movements = 0
    for i, product in enumerate(approved[:120]):
        location = locations["storage"][i * 7 % len(locations["storage"])]
        inventory.receive(product, location, rng.randint(20, 180), status="available",
                          lpn=f"LPN{900000 + i:06d}", doc_type="opening_balance", doc_ref="DEMO-OPEN")
        movements += 1
    for i, product in enumerate(approved[120:140]):
        inventory.receive(product, locations["temp_storage"][i], rng.randint(10, 60), status="temp_stored",
                          lpn=f"LPN{901000 + i:06d}", doc_type="opening_balance", doc_ref="DEMO-OPEN")
        movements += 1
    for i, product in enumerate(approved[140:145]):
        inventory.receive(product, locations["temp_storage"][40 + i], rng.randint(5, 20), status="customs_hold",
                          lpn=f"LPN{902000 + i:06d}", doc_type="opening_balance", doc_ref="DEMO-OPEN")
        movements += 1
    for i, product in enumerate(approved[145:155]):
        inventory.receive(product, locations["qc"][i], rng.randint(5, 30), status="qc_pending",
                          lpn=f"LPN{903000 + i:06d}", doc_type="opening_balance", doc_ref="DEMO-OPEN")
        movements += 1
    for product in approved[:155]:
        product.first_received_at = product.created_at
    from wms.customs.book import physical_bonded_stock, post
    for product_id, units in physical_bonded_stock().items():
        post(book_items[product_id], units, doc_type="opening", doc_no="DEMO-OPEN")
    return movements


def _inbound_demo(products: list[Product]) -> int:
    """Forecasts of the first two sellers in every inbound state, driven through the inbound services and a
    sandbox customs gateway that answers at once: submitted; arrived; received and declared with one line
    spot-checked (海关抽查), goods released into QC and putaway; a draft; and a parcel forecast."""
    from wms.customs.gateway import SandboxGateway
    from wms.customs.service import run_once
    from wms.inbound import asn as asns, declarations, receiving
    from wms.inbound import disposal
    from wms.inventory.models import StockBalance
    from wms.inbound.models import FixedLocation, PutawayRule, QcRule, TempDeclaration
    sellers = sorted({p.seller_id for p in products})[:2]
    warehouse_id = db.session.scalar(sa.select(Warehouse.id))
    storage = db.session.scalar(sa.select(Zone.id).where(Zone.kind == "storage"))
    db.session.add_all([PutawayRule(warehouse_id=warehouse_id, sequence=10, strategy="fixed", zone_id=storage),
                        PutawayRule(warehouse_id=warehouse_id, sequence=20, strategy="consolidate", zone_id=storage),
                        PutawayRule(warehouse_id=warehouse_id, sequence=30, strategy="empty", zone_id=storage)])
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0)
    count = 0
    for n, seller_id in enumerate(sellers):
        own = [p for p in products if p.seller_id == seller_id and p.filing_status == "approved"]
        fresh = own[-4:]
        db.session.add(QcRule(warehouse_id=warehouse_id, seller_id=seller_id, product_id=fresh[0].id,
                              sample_percent=10, min_sample=2, note="入库抽检 10% sampled"))

        def lines(chosen, qty=24):
            return [{"product_id": p.id, "expected_qty": qty, "cartons": 2} for p in chosen]

        submitted = asns.create({"seller_id": seller_id, "reference": f"PO-DEMO-{n}01", "lines": lines(own[:2]),
                                 "vehicle_no": "粤B·D1234"})
        asns.fire(submitted, "submit")
        db.session.flush()
        arrived = asns.create({"seller_id": seller_id, "reference": f"PO-DEMO-{n}02", "lines": lines(own[2:4])})
        asns.fire(arrived, "submit")
        asns.gate_in({"vehicle_no": f"粤B·{n}8866", "asns": [{"asn": arrived.number, "cartons": 4}]})
        received = asns.create({"seller_id": seller_id, "reference": f"PO-DEMO-{n}03", "lines": lines(fresh[:3], 20)})
        asns.fire(received, "submit")
        asns.gate_in({"vehicle_no": f"粤B·{n}9977", "asns": [{"asn": received.number}]})
        receiving.open_asn(received.number)
        for i, product in enumerate(fresh[:3]):
            receiving.receive(received.id, {"product_id": product.id, "qty": 18 if i == 0 else 20})
        receiving.receive(received.id, {"product_id": fresh[0].id, "qty": 2, "condition": "damaged",
                                        "reason": "外箱破损 carton crushed"})
        receiving.finish(received)
        declaration = db.session.scalars(sa.select(TempDeclaration).where(TempDeclaration.asn_id == received.id)).one()
        declarations.select_spot_check(declaration, [declaration.lines[1].id], "海关布控抽查")
        declarations.declare(declaration)
        asns.create({"seller_id": seller_id, "reference": f"PO-DEMO-{n}04", "lines": lines(own[4:6], 60)})
        parcel = asns.create({"seller_id": seller_id, "reference": f"PCL-DEMO-{n}05", "mode": "parcel",
                              "parcels": [{"waybill_no": f"SF{n}{7000000000 + k}", "order_no": f"SO-DEMO-{n}{k:03d}"}
                                          for k in range(6)]})
        asns.fire(parcel, "submit")
        count += 5
    db.session.flush()
    for _ in range(4):                       # the sandbox answers: declared, approved, posted
        run_once(gateway)
    for seller_id in sellers:                # damaged units found at receiving, waiting to be destroyed
        damaged = db.session.scalars(sa.select(StockBalance).where(StockBalance.seller_id == seller_id,
                                                                   StockBalance.status == "defective",
                                                                   StockBalance.qty > 0)).first()
        if damaged is not None:
            disposal.create({"seller_id": seller_id, "kind": "destroy", "reason": "外箱破损 damaged in transit",
                             "lines": [{"product_id": damaged.product_id, "location": damaged.location.code,
                                        "lpn": damaged.lpn, "lot": damaged.lot, "qty": damaged.qty}]})
        first = next(p for p in products if p.seller_id == seller_id and p.filing_status == "approved")
        face = db.session.scalars(sa.select(Location).where(Location.zone_id == storage,
                                                            ~Location.id.in_(sa.select(StockBalance.location_id)),
                                                            ~Location.id.in_(sa.select(FixedLocation.location_id)))
                                  .order_by(Location.pick_sequence.desc())).first()
        db.session.add(FixedLocation(product_id=first.id, location_id=face.id))
        db.session.flush()
    db.session.flush()
    return count


BUYERS = [  # (country, state, city, address, postal code, phone, name)
    ("US", "CA", "San Francisco", "500 Howard St, Apt 1204", "94105", "+1 415 555 0132", "Emily Carter"),
    ("GB", "", "London", "221B Baker Street", "NW1 6XE", "020 7946 0958", "Oliver Smith"),
    ("DE", "BE", "Berlin", "Friedrichstraße 123", "10117", "+49 30 1234567", "Lukas Müller"),
    ("JP", "東京都", "千代田区", "丸の内1-9-1", "100-0005", "03-1234-5678", "佐藤 花子"),
    ("AU", "NSW", "Sydney", "1 Martin Place", "2000", "+61 2 9876 5432", "Jack Wilson"),
]


def _orders_demo(products: list[Product]) -> int:
    """A few platform orders per seller (buyers in five countries): channel and waybill by the demo channel
    rules, documents declared and matched, export lists released by the sandbox customs."""
    from wms.outbound import orders
    from wms.outbound.models import ChannelRule
    channels = {c.code: c.id for c in db.session.scalars(sa.select(Channel))}
    warehouse_id = db.session.scalar(sa.select(Warehouse.id))
    for sequence, (name, channel, extra) in enumerate([
            ("带电小包 battery parcels", "YT-GLB-BAT", {"battery": "yes", "max_weight_kg": Decimal("2")}),
            ("美国快线 US fast line", "YT-US-FAST", {"countries": "US", "max_weight_kg": Decimal("5")}),
            ("欧洲专线 Europe", "YT-EU-STD", {"countries": "GB,DE,FR,IT,ES,NL,BE,AT,PL,SE,IE",
                                            "battery": "no", "max_weight_kg": Decimal("2")}),
            ("轻小件 light parcels", "CP-EUB", {"battery": "no", "max_weight_kg": Decimal("2")}),
            ("其余 everything else", "SF-IE", {"battery": "no"})], start=1):
        db.session.add(ChannelRule(warehouse_id=warehouse_id, sequence=sequence * 10, name=name,
                                   channel_id=channels[channel], **extra))
    db.session.flush()
    sellers = sorted({p.seller_id for p in products})[:2]
    count = 0
    for n, seller_id in enumerate(sellers):
        stocked = [p for p in products if p.seller_id == seller_id and p.filing_status == "approved"][:10]
        for i, (country, state, city, street, postal, phone, name) in enumerate(BUYERS):
            items = [stocked[(i + k) % len(stocked)] for k in range(1 + i % 2)]
            lines = [{"product_id": p.id, "qty": 1 + k, "price": str(p.declared_price or Decimal("9.90"))}
                     for k, p in enumerate(items)]
            value = sum(Decimal(l["price"]) * l["qty"] for l in lines)
            orders.receive({"seller_id": seller_id, "platform": "AMAZON" if i % 2 else "SHOPIFY",
                            "order_no": f"DEMO-{n}{i:04d}", "buyer_name": name, "buyer_phone": phone,
                            "country": country, "state": state, "city": city, "address1": street,
                            "postal_code": postal, "currency": "USD", "goods_value": value, "freight": Decimal("4.50"),
                            "charge": value + Decimal("4.50"), "pay_name": "PayPal", "pay_no": f"PAY-DEMO-{n}{i:04d}",
                            "lines": lines})
            count += 1
    from wms.customs.gateway import SandboxGateway
    from wms.customs.service import run_once
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0)
    for _ in range(4):                       # customs answers the documents and releases the lists
        run_once(gateway)
    from wms.outbound.allocation import allocate_open
    from wms.outbound.waves import Plan, plan_waves, release
    allocate_open()
    waves = plan_waves(Plan(warehouse_id=warehouse_id, max_orders=4, cart_slots=4))
    from wms.masterdata.models import PackagingMaterial
    from wms.outbound import packing
    for material in db.session.scalars(sa.select(PackagingMaterial)):
        packing.receive_material(warehouse_id, material, 500, "DEMO-OPEN")
    if waves:
        from wms.outbound import picking
        from wms.outbound.models import Order, Parcel
        release(waves[0])
        _pick_and_pack(waves[0])
        for wave in waves[2:]:               # and one wave of each seller packed, so both have parcels
            owners = set(db.session.scalars(sa.select(Order.seller_id).where(Order.wave_id == wave.id)))
            packed = set(db.session.scalars(sa.select(Order.seller_id).where(Order.status == "packed")))
            if owners - packed:
                release(wave)
                _pick_and_pack(wave)
        from wms.outbound import bagging
        parcel = db.session.scalars(sa.select(Parcel).order_by(Parcel.id)).first()
        if parcel is not None:               # one bag sealed with a parcel, ready for loading
            bag = bagging.open_bag(None)
            bagging.add_parcel(bag, parcel.logistics_no)
            bagging.seal(bag, 1, parcel.weight_kg + Decimal("0.05"))
            from wms.outbound import loading
            manifest = loading.open_manifest(bag.channel.carrier.code, "粤B·D8888", "陈师傅")
            loading.load(manifest, bag.sscc)     # a vehicle loading, not yet gone
        first = picking.next_task(waves[1] if len(waves) > 1 else waves[0])
        if len(waves) > 1:                   # a second released wave where the first pick came up short
            release(waves[1])
            picking.short(first.id, first.qty - 1, "short")
    db.session.flush()
    return count


def _pick_and_pack(wave) -> None:
    """The first demo wave picked and its orders packed (cartons by weight), ready for bagging."""
    from wms.masterdata.models import PackagingMaterial
    from wms.outbound import packing
    from wms.outbound.models import Order, PickTask
    from wms.outbound.picking import pick, slot_code
    for task in db.session.scalars(sa.select(PickTask).where(PickTask.wave_id == wave.id, PickTask.status == "open")
                                   .order_by(PickTask.sequence)).all():
        pick(task.id, task.qty, slot_code(task) if wave.kind == "multi" else None)
    carton = db.session.scalars(sa.select(PackagingMaterial).where(PackagingMaterial.code == "CTN-M")).one()
    for order in db.session.scalars(sa.select(Order).where(Order.wave_id == wave.id, Order.status == "picked")).all():
        checked = {line.product_id: line.qty for line in order.lines}
        packing.close(order, checked, carton.code, packing.expected_weight(order, carton))
