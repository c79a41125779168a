"""The simulated day, phase by phase, each step a request made by the user who makes it in the warehouse."""
from __future__ import annotations

import http.client
import math
import random
import secrets
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable

import yaml

from wms.simulate.client import Api, Customs, CustomsTimeout, InProcess, OverHttp, Refused, Stats

FINAL_LIST_STATES = ("released", "closed", "rejected", "error", "send_failed")
RELEASED = ("released", "closed")

# Buyers where cross-border parcels go most: country → (weight, [(state, city, street, postal code, phone,
# currency)], names). Postal codes and phones have the shapes wms/outbound/address.py checks; {n} is a house
# number, {dN} N random digits. Prices are the products' declared prices, so orders are in USD, EUR or GBP.
DESTINATIONS: dict[str, tuple[int, list[tuple[str, ...]], list[str]]] = {
    "US": (30, [("CA", "San Francisco", "{n} Howard St", "94105", "+1 415 555 {d4}", "USD"),
                ("NY", "New York", "{n} W 34th St", "10001", "(212) 555-{d4}", "USD"),
                ("TX", "Austin", "{n} Congress Ave", "78701", "+1 512 555 {d4}", "USD"),
                ("WA", "Seattle", "{n} Pine St, Apt {d2}", "98101-1234", "206-555-{d4}", "USD")],
           ["Emily Carter", "James Miller", "Olivia Johnson", "Michael Brown", "Sophia Davis"]),
    "GB": (12, [("", "London", "{n} Baker Street", "NW1 6XE", "020 7946 {d4}", "GBP"),
                ("", "Manchester", "{n} Deansgate", "M3 4LQ", "0161 496 {d4}", "GBP")],
           ["Oliver Smith", "Amelia Jones", "Harry Taylor"]),
    "DE": (10, [("BE", "Berlin", "Friedrichstraße {n}", "10117", "+49 30 {d7}", "EUR"),
                ("BY", "München", "Marienplatz {n}", "80331", "+49 89 {d7}", "EUR")],
           ["Lukas Müller", "Anna Schmidt", "Jonas Weber"]),
    "FR": (8, [("", "Paris", "{n} Rue de Rivoli", "75001", "+33 1 42 {d2} {d2} {d2}", "EUR"),
               ("", "Lyon", "{n} Rue de la République", "69002", "04 78 {d2} {d2} {d2}", "EUR")],
           ["Camille Martin", "Louis Bernard", "Chloé Dubois"]),
    "ES": (5, [("M", "Madrid", "Calle Mayor {n}", "28013", "+34 91 {d3} {d4}", "EUR")],
           ["Lucía García", "Pablo Pérez"]),
    "IT": (5, [("RM", "Roma", "Via del Corso {n}", "00186", "+39 06 {d4} {d4}", "EUR")],
           ["Giulia Rossi", "Marco Bianchi"]),
    "NL": (4, [("NH", "Amsterdam", "Damrak {n}", "1012 LG", "+31 20 {d3} {d4}", "EUR")],
           ["Sanne de Vries", "Daan Bakker"]),
    "JP": (10, [("東京都", "千代田区", "丸の内{n}-9-1", "100-0005", "03-{d4}-{d4}", "USD"),
                ("大阪府", "大阪市北区", "梅田{n}-1-3", "530-0001", "06-{d4}-{d4}", "USD")],
           ["佐藤 花子", "鈴木 一郎", "高橋 美咲"]),
    "AU": (8, [("NSW", "Sydney", "{n} George St", "2000", "+61 2 {d4} {d4}", "USD"),
               ("VIC", "Melbourne", "{n} Collins St", "3000", "03 {d4} {d4}", "USD")],
           ["Jack Wilson", "Charlotte Brown", "Noah Thompson"]),
    "CA": (5, [("ON", "Toronto", "{n} King St W", "M5V 2T6", "+1 416 555 {d4}", "USD")],
           ["Liam Tremblay", "Emma Roy"]),
    "SG": (3, [("", "Singapore", "{n} Orchard Road", "238801", "+65 6{d3} {d4}", "USD")],
           ["Tan Wei Ling", "Lim Jun Jie"]),
}
PLATFORMS = [("AMAZON", 35), ("SHOPIFY", 20), ("ALIEXPRESS", 15), ("TEMU", 15), ("EBAY", 10), ("SHOPEE", 5)]
PAYMENTS = ["PayPal", "Stripe", "Adyen", "Amazon Pay", "Alipay+"]
MEASURES = ("weight_kg", "length_cm", "width_cm", "height_cm")
SINGLE_MATERIALS = ("ENV-BUB-M", "MLR-M", "CTN-S", "CTN-M")       # what a packer takes for one unit …
MULTI_MATERIALS = ("CTN-S", "CTN-M", "CTN-L")                     # … and for several
BAG_TARE_KG = Decimal("0.180")
BAG_SIZE = 30                                                     # parcels per bag


@dataclass
class Options:
    orders: int = 200
    seed: int = 1
    sellers: int = 3
    url: str | None = None
    customs_delay: float | None = None      # in-process: CUSTOMS_SANDBOX_DELAY for the run
    customs_worker: bool | None = None      # run worker rounds here (default: in-process yes, over HTTP no)
    customs_timeout: float = 300
    json_path: Path | None = None
    users_file: Path | None = None
    bad_rate: float = 0.03                  # invalid orders (refused with 422)
    cancel_rate: float = 0.02               # buyers cancelling before allocation (half as many after it)
    packed_cancel_rate: float = 0.01        # … and after packing
    short_picks: int = 1
    replay_rate: float = 0.02               # scans sent twice (same Idempotency-Key)


@dataclass
class Product:
    id: int
    seller_id: int
    sku: str
    scan: str                               # what the scanner reads: the first barcode, else the SKU
    price: Decimal
    weight: Decimal
    lot_tracked: bool
    measures: dict


class Day:
    """One simulated day: ``run()`` drives it; the attributes keep what it made, for checks and summary."""

    def __init__(self, app, options: Options, out: Callable[[str], None] = print):
        self.app, self.options, self.out = app, options, out
        self.plan_rng = random.Random(options.seed)            # the day's orders: the same for the same seed
        self.rng = random.Random(options.seed + 1)             # what happens on the floor
        self.tag = datetime.now(timezone.utc).strftime("%y%m%d%H%M%S") + secrets.token_hex(2).upper()
        self.prefix = f"SIM-{self.tag}"                        # order numbers and references unique per run
        self.stats = Stats()
        self.transport = OverHttp(options.url) if options.url else InProcess(app)
        self.api = Api(self.transport, self.stats, random.Random(options.seed + 2), options.replay_rate)
        drive = options.customs_worker if options.customs_worker is not None else not options.url
        self.customs = Customs(app, drive, options.customs_timeout, poll=0.2 if drive else 1.0)
        self.phases: list[dict] = []
        self.started_at = datetime.now(timezone.utc)
        self.seconds = self.cpu_seconds = 0.0
        self.aborted: str | None = None
        self.sellers: dict[int, str] = {}            # seller id → its user
        self.planned: list[dict] = []
        self.asns: dict[int, dict] = {}
        self.declarations: dict[int, dict] = {}
        self.lpns: set[str] = set()
        self.units_received = self.damaged = 0
        self.orders: dict[int, dict] = {}            # order id → {order_no, seller, status}
        self.refused_orders = self.duplicate_sends = self.tracking_lookups = 0
        self.cancelled: Counter = Counter()
        self.redeclared = 0                     # refused export lists declared again
        self.waves: dict[int, dict] = {}
        self.parcels: dict[int, dict] = {}           # order id → {logistics_no, channel, country, weight}
        self.discrepancies: list[dict] = []
        self.bags: dict[int, dict] = {}
        self.manifests: dict[int, dict] = {}

    @contextmanager
    def phase(self, name: str):
        self.stats.phase = name
        requests, customs, started = self.stats.requests, self.customs.seconds, time.monotonic()
        try:
            yield
        finally:
            self.phases.append({"phase": name, "seconds": round(time.monotonic() - started, 3),
                                "requests": self.stats.requests - requests,
                                "customs_seconds": round(self.customs.seconds - customs, 3)})

    def run(self) -> None:
        steps = [("setup", self.setup), ("inbound", self.inbound), ("inbound customs", self.inbound_customs),
                 ("putaway", self.putaway_all), ("orders", self.take_orders),
                 ("order customs", self.order_customs), ("allocation", self.allocate),
                 ("waves", self.work_waves), ("late cancellations", self.cancel_packed),
                 ("bagging", self.bagging), ("loading", self.loading)]
        started, cpu = time.monotonic(), time.process_time()
        delay = self.app.config.get("CUSTOMS_SANDBOX_DELAY")
        if self.options.customs_delay is not None and not self.options.url:
            self.app.config["CUSTOMS_SANDBOX_DELAY"] = self.options.customs_delay
        try:
            for name, step in steps:
                with self.phase(name):
                    step()
                done = self.phases[-1]
                self.out(f"  {name:<20} {done['seconds']:7.1f} s {done['requests']:6d} requests")
        except (Refused, CustomsTimeout, OSError, http.client.HTTPException) as exc:
            kind = f"{type(exc).__name__}: " if isinstance(exc, (OSError, http.client.HTTPException)) else ""
            self.aborted = f"{self.stats.phase}: {kind}{exc}"
            self.out(f"  ABORTED in {self.aborted}")
        finally:
            with self.phase("customs drain"):
                self.customs.pump()          # what the last steps queued (departures, cancellations) goes out
            self.app.config["CUSTOMS_SANDBOX_DELAY"] = delay
            self.transport.close()
        self.seconds, self.cpu_seconds = time.monotonic() - started, time.process_time() - cpu

    def operator(self, n: int) -> str:
        return self.operators[n % len(self.operators)]

    def survive(self, step: Callable, *args):
        """One item's step: an unexpected answer (recorded; it fails the run) skips that item only."""
        try:
            return step(*args)
        except Refused:
            return None

    # -- setup: who works today, what they sell, what they ship with --

    def setup(self) -> None:
        from wms.cli import FIXTURES
        path = Path(self.options.users_file or FIXTURES / "users.yaml")
        by_role = defaultdict(list)
        for user in yaml.safe_load(path.read_text(encoding="utf-8")):
            by_role[user["role"]].append(user)
        if not by_role["supervisor"] or not by_role["customs"] or not by_role["seller"]:
            raise SystemExit(f"{path} needs a supervisor, a customs liaison and at least one seller user.")
        operators = by_role["operator"][:2] or by_role["supervisor"][:1]
        sellers = by_role["seller"][:self.options.sellers]
        for user in [by_role["supervisor"][0], by_role["customs"][0], *operators, *sellers]:
            self.api.login(user["username"], user["password"])
        self.boss, self.broker = by_role["supervisor"][0]["username"], by_role["customs"][0]["username"]
        self.operators = [u["username"] for u in operators]
        for user in sellers:
            self.sellers[self.api.get(user["username"], "/auth/me")["seller_id"]] = user["username"]

        booked = {row["product_id"] for row in self.api.every(self.broker, "/book-items")}
        self.catalogue: dict[int, Product] = {}
        for row in self.api.every(self.boss, "/products", filing_status="approved"):
            if row["id"] not in booked:
                continue                   # a bonded (1210) order needs the product's account-book line
            self.catalogue[row["id"]] = Product(
                id=row["id"], seller_id=row["seller_id"], sku=row["sku"],
                scan=(row.get("barcodes") or [row["sku"]])[0],
                price=Decimal(row.get("declared_price") or "0") or Decimal("9.90"),
                weight=Decimal(row["weight_kg"]) if row.get("weight_kg") else Decimal("0.250"),
                lot_tracked=bool(row.get("lot_tracked")), measures={m: row.get(m) for m in MEASURES})
        self.by_sku = {p.sku: p for p in self.catalogue.values()}
        self.carrier_of = {c["code"]: c["carrier_code"] for c in self.api.every(self.boss, "/channels")}
        if not self.api.get(self.boss, "/channel-rules", per_page=1)["total"]:
            raise SystemExit("No channel rules: orders would get no carrier. Load the demo data "
                             "(flask wms seed).")
        self.materials = {m["code"]: m for m in self.api.every(self.boss, "/packaging-materials")}
        self.currencies = {c["code"] for c in self.api.every(self.boss, "/currencies")}
        selling = {p.seller_id for p in self.catalogue.values()}
        for seller_id in [s for s in self.sellers if s not in selling]:
            self.sellers.pop(seller_id)
        if not self.sellers:
            raise SystemExit("No seller has filed products with an account-book line to sell.")
        self.plan_orders()
        self.deliver_materials()

    def plan_orders(self) -> None:
        """Today's orders, decided up front from the seed, so the morning's forecasts bring what they need."""
        rng = self.plan_rng
        assortment: dict[int, list[Product]] = {}
        per_seller = min(40, 6 + self.options.orders // 10)
        for seller_id in self.sellers:
            own = sorted((p for p in self.catalogue.values() if p.seller_id == seller_id), key=lambda p: p.id)
            assortment[seller_id] = rng.sample(own, min(per_seller, len(own)))
        countries = list(DESTINATIONS)
        for n in range(self.options.orders):
            seller_id = rng.choice(list(self.sellers))
            shelf = assortment[seller_id]
            popularity = [1 / (rank + 1) ** 0.7 for rank in range(len(shelf))]          # a few best-sellers
            if rng.random() < 0.6:
                lines = [(rng.choices(shelf, popularity)[0], 1)]                         # 一票一件
            else:
                lines = []
                for _ in range(rng.choice((1, 2, 2, 3))):
                    product = rng.choices(shelf, popularity)[0]
                    if product not in [p for p, _ in lines]:
                        lines.append((product, rng.choice((1, 1, 2))))
                if len(lines) == 1 and lines[0][1] == 1:
                    lines[0] = (lines[0][0], 2)
            while len(lines) > 1 and sum(p.weight * q for p, q in lines) > Decimal("1.8"):
                lines.pop()                          # small parcels (≤ 2 kg): every channel rule takes them
            country = rng.choices(countries, [DESTINATIONS[c][0] for c in countries])[0]
            bad = rng.choice(("postal_code", "phone", "goods_value", "sku")) \
                if rng.random() < self.options.bad_rate else None
            order = {"n": n, "seller_id": seller_id, "lines": lines, "country": country, "bad": bad}
            order["body"] = self.order_body(order, rng)
            self.planned.append(order)

    def order_body(self, order: dict, rng: random.Random) -> dict:
        """The order as the platform sends it (with one wrong field when the order is meant to be refused)."""
        n = order["n"]
        _, addresses, names = DESTINATIONS[order["country"]]
        state, city, street, postal, phone, currency = rng.choice(addresses)
        value = sum(p.price * q for p, q in order["lines"])
        freight = Decimal(rng.choice(("3.50", "4.90", "5.50", "7.90")))
        body = {"platform": rng.choices([p for p, _ in PLATFORMS], [w for _, w in PLATFORMS])[0],
                "order_no": f"{self.prefix}-{n:05d}", "buyer_name": rng.choice(names),
                "buyer_phone": _digits(phone, rng), "buyer_email": f"buyer{n}@example.com",
                "country": order["country"], "state": state, "city": city,
                "address1": _digits(street.replace("{n}", str(rng.randrange(1, 400))), rng),
                "postal_code": postal,
                "currency": currency if currency in self.currencies else "USD", "goods_value": str(value),
                "freight": str(freight), "charge": str(value + freight), "pay_name": rng.choice(PAYMENTS),
                "pay_no": f"PAY-{self.tag}-{n:05d}",
                "paid_at": (datetime.now(timezone.utc) - timedelta(minutes=rng.randrange(5, 600)))
                .isoformat(),
                "lines": [{"sku": p.sku, "qty": q, "price": str(p.price)} for p, q in order["lines"]]}
        if order["bad"] == "postal_code":
            body["postal_code"] = "ABC"
        elif order["bad"] == "phone":
            body["buyer_phone"] = "12"
        elif order["bad"] == "goods_value":
            body["goods_value"] = str(value + Decimal("5"))
        elif order["bad"] == "sku":
            body["lines"][0]["sku"] = f"NO-SUCH-{self.tag}"
        return body

    def deliver_materials(self) -> None:
        """The morning's delivery of packing materials, enough for the day's parcels (booked by the
        supervisor)."""
        wanted: Counter = Counter()
        for order in self.planned:
            units = sum(q for _, q in order["lines"])
            weight = sum(p.weight * q for p, q in order["lines"])
            wanted[self.material(weight, units)["code"]] += 1
        for code, count in sorted(wanted.items()):
            self.api.post(self.boss, "/packaging-stock", {"material": code, "qty": count + 10,
                                                          "reference": f"{self.prefix}-DELIVERY"}, ok=(201,))

    def material(self, weight: Decimal, units: int) -> dict:
        """What a packer takes: a bubble envelope or a mailer for one unit, a carton for several."""
        for code in SINGLE_MATERIALS if units == 1 else MULTI_MATERIALS:
            material = self.materials.get(code)
            if material and Decimal(material.get("max_weight_kg") or "999") >= weight * Decimal("1.2"):
                return material
        return next(iter(self.materials.values()))

    # -- inbound: forecasts, gate-in, receiving, temp-storage declarations, QC, putaway --

    def inbound(self) -> None:
        """Each seller forecasts what the day's orders need (with a margin, in whole cartons); each truck
        passes the gate and is received carton by carton on the PDA."""
        need: dict[int, Counter] = defaultdict(Counter)
        for order in self.planned:
            for product, qty in order["lines"] if not order["bad"] else ():
                need[product.seller_id][product.id] += qty
        rng = self.rng
        for seller_id, wanted in sorted(need.items()):
            seller = self.sellers[seller_id]
            lines = []
            for product_id, qty in sorted(wanted.items()):
                per_carton = rng.choice((12, 20, 24, 30))
                units = math.ceil((qty * 1.15 + 3) / per_carton) * per_carton
                lines.append({"product_id": product_id, "expected_qty": units,
                              "cartons": units // per_carton})
            vehicle = f"粤B·{rng.choice('ACDFGHJKLM')}{rng.randrange(10000, 99999)}"
            asn = self.api.post(seller, "/asns", {
                "reference": f"{self.prefix}-{seller.upper()}", "vehicle_no": vehicle, "lines": lines,
                "driver": rng.choice(("张师傅", "李师傅", "王师傅", "陈师傅")), "note": "simulate: replenishment",
                "expected_at": (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()})
            asn = self.api.post(seller, f"/asns/{asn['id']}/submit")
            self.asns[asn["id"]] = {"number": asn["number"], "vehicle": vehicle, "lines": lines,
                                    "cartons": sum(line["cartons"] for line in lines)}
        for asn_id, asn in self.asns.items():
            op = self.operator(asn_id)
            self.api.post(op, "/gate-passes", {"vehicle_no": asn["vehicle"], "driver": "司机",
                                                "asns": [{"asn": asn["number"], "cartons": asn["cartons"]}]},
                          replay=True)
            self.receive(asn_id, asn, op)

    def receive(self, asn_id: int, asn: dict, op: str) -> None:
        self.api.post(op, "/receiving/open", {"scan": f"{asn['number']}-001"}, replay=True)   # a carton label
        for line in asn["lines"]:
            product = self.catalogue[line["product_id"]]
            per_carton = line["expected_qty"] // line["cartons"]
            for _ in range(line["cartons"]):
                found = self.api.post(op, "/receiving/identify", {"asn_id": asn_id, "barcode": product.scan},
                                      replay=True)
                body = {"asn_id": asn_id, "barcode": product.scan, "qty": per_carton}
                if found["step"] == "measure":          # 首次到货: one unit weighed and measured
                    body |= {m: product.measures[m] or default
                             for m, default in zip(MEASURES, (str(product.weight), "12", "9", "5"))}
                if product.lot_tracked:
                    body["lot"] = f"L{datetime.now():%y%m%d}"
                if self.rng.random() < 0.03:           # a unit damaged in transit: its own LPN, defective
                    body["qty"] = per_carton - 1
                    damaged = {k: v for k, v in body.items() if k in ("asn_id", "barcode", "lot")}
                    got = self.api.post(op, "/receiving/receipts", damaged | {
                        "qty": 1, "condition": "damaged", "reason": "外箱破损 carton crushed in transit"},
                        replay=True)
                    self.units_received += 1
                    self.damaged += 1
                    self.lpns.add(got["receipt"]["lpn"])
                got = self.api.post(op, "/receiving/receipts", body, replay=True)
                self.units_received += body["qty"]
                self.lpns.add(got["receipt"]["lpn"])
        self.api.post(op, f"/asns/{asn_id}/finish", replay=True)

    def inbound_customs(self) -> None:
        """The customs liaison declares each forecast's temporary storage (a few lines picked for a spot
        check); customs answers through the gateway; a rejected declaration is declared again; held lines are
        inspected on the PDA; QC tasks are done."""
        for asn_id in self.asns:
            found = self.api.get(self.broker, "/temp-declarations", asn_id=asn_id)["items"]
            if not found:
                raise Refused("GET", "/temp-declarations", 404,
                              {"message": f"no declaration for ASN {asn_id}"})
            declaration = found[0]
            if declaration["status"] == "draft":
                if self.rng.random() < 0.3:          # customs' notice: a line picked for inspection (海关抽查)
                    line = self.rng.choice(declaration["lines"])
                    self.api.post(self.broker, f"/temp-declarations/{declaration['id']}/spot-checks",
                                  {"line_ids": [line["id"]], "note": "布控查验 selected for inspection"})
                declaration = self.api.post(self.broker, f"/temp-declarations/{declaration['id']}/declare")
            self.declarations[declaration["id"]] = {"number": declaration["number"], "declared": 1,
                                                    "status": declaration["status"]}

        def settled() -> bool:
            for declaration_id, known in self.declarations.items():
                if known["status"] == "accepted":
                    continue
                now = self.api.get(self.broker, f"/temp-declarations/{declaration_id}")
                known["status"] = now["status"]
                if now["status"] == "rejected":              # corrected and declared again (退单重报)
                    if known["declared"] >= 3:
                        raise Refused("POST", f"/temp-declarations/{declaration_id}/declare", 409, {
                            "message": f"{known['number']} rejected three times: {now['return_info']}"})
                    self.api.post(self.broker, f"/temp-declarations/{declaration_id}/declare")
                    known["declared"] += 1
                    known["status"] = "declared"
            return all(known["status"] == "accepted" for known in self.declarations.values())

        self.customs.wait("the temp-storage declarations (INV101)", settled)
        for n, declaration_id in enumerate(self.declarations):
            for line in self.api.get(self.broker, f"/temp-declarations/{declaration_id}")["lines"]:
                if line["spot_check"] and not line["inspection_result"]:
                    op = self.operator(n)
                    seen = self.api.post(op, "/inspection/scan", {"scan": line["lpn"]}, replay=True)
                    self.api.post(op, f"/temp-declaration-lines/{seen['line']['id']}/inspection",
                                  {"result": "passed", "note": "查验通过 inspection passed"}, replay=True)
        for n, task in enumerate(self.api.every(self.boss, "/qc-tasks", status="open")):
            if task["lpn"] in self.lpns:
                op = self.operator(n)
                self.api.post(op, "/qc/scan", {"scan": task["lpn"]}, replay=True)
                failed = 1 if self.rng.random() < 0.05 else 0
                self.api.post(op, f"/qc-tasks/{task['id']}/complete",
                              {"failed_qty": failed, "defect_reason": "外观划痕 scratched" if failed else ""},
                              replay=True)

    def putaway_all(self) -> None:
        for n, lpn in enumerate(sorted(self.lpns)):
            self.put_away(lpn, self.operator(n))
        for asn_id in self.asns:
            self.api.post(self.operator(asn_id), f"/asns/{asn_id}/close")

    def put_away(self, lpn: str, op: str) -> None:
        """Every open putaway task of an LPN, to the suggested location, until the scan finds none (404)."""
        while True:
            shown = self.api.request("POST", op, "/putaway/scan", {"scan": lpn}, allow=(404,))
            if shown.status == 404:
                return
            task = shown.data["task"]
            if not task["suggested_location"]:
                raise Refused("POST", "/putaway/scan", 409, {"message": f"no putaway location for {lpn}"})
            self.api.post(op, f"/putaway-tasks/{task['id']}/complete",
                          {"location": task["suggested_location"]}, replay=True)

    # -- orders and their customs --

    def take_orders(self) -> None:
        """The platforms push the orders (a few invalid, a few sent twice); some buyers cancel at once."""
        for order in self.planned:
            self.survive(self.take_order, order)

    def take_order(self, order: dict) -> None:
        seller, body = self.sellers[order["seller_id"]], order["body"]
        if order["bad"]:
            self.api.request("POST", seller, "/orders", body, ok=(), allow=(422,))
            self.refused_orders += 1
            return
        created = self.api.post(seller, "/orders", body)
        if self.rng.random() < 0.02:                 # the platform missed the answer and sends it again
            again = self.api.request("POST", seller, "/orders", body, ok=(200,)).data
            self.duplicate_sends += 1
            if again["id"] != created["id"]:
                self.stats.replay_mismatches.append({"path": "/orders", "first": created["id"],
                                                     "again": again["id"]})
        if created["status"] == "received" and created.get("channel_code"):
            created = self.api.post(seller, f"/orders/{created['id']}/match")    # OUTBOUND_AUTO_MATCH is off
        self.orders[created["id"]] = {"order_no": created["order_no"], "seller": seller,
                                      "status": created["status"]}
        if created["status"] in ("received", "match_failed"):      # no channel fits, or documents disagree
            self.cancel(created["id"], "无法发运 cannot ship: " + (created.get("status_reason") or ""),
                        "cannot ship")
        elif self.rng.random() < self.options.cancel_rate:
            self.cancel(created["id"], "买家取消 buyer cancelled", "buyer, before allocation")

    def cancel(self, order_id: int, reason: str, why: str) -> None:
        order = self.orders[order_id]
        order["status"] = self.api.post(order["seller"], f"/orders/{order_id}/cancel",
                                        {"reason": reason[:300]})["status"]
        self.cancelled[why] += 1

    def open_orders(self, *states: str) -> list[int]:
        return [order_id for order_id, order in self.orders.items() if order["status"] in states]

    def order_customs(self) -> None:
        """Customs answers every export list: released, or refused — then the seller puts the data right and
        declares the list again, once; a list refused a second time and the seller cancels the order."""
        lists: dict[str, str] = {}

        def answered() -> bool:
            lists.clear()
            for row in self.api.every(self.broker, "/customs/records", kind="inventory", q=self.prefix,
                                      sort="id"):
                lists[row["order_no"]] = row["status"]           # an order's latest list wins
            return all(lists.get(self.orders[i]["order_no"]) in FINAL_LIST_STATES
                       for i in self.open_orders("matched"))

        self.customs.wait("the export lists (CEB603)", answered)
        refused = [i for i in self.open_orders("matched") if lists.get(self.orders[i]["order_no"]) not in RELEASED]
        for order_id in refused:
            self.api.post(self.orders[order_id]["seller"], f"/orders/{order_id}/redeclare-list")
            self.redeclared += 1
        if refused:
            self.customs.wait("the export lists declared again", answered)
        for order_id in self.open_orders("matched"):
            state = lists.get(self.orders[order_id]["order_no"])
            if state not in RELEASED:
                self.cancel(order_id, f"海关清单退单 list {state}", "customs rejected the list")

    def allocate(self) -> None:
        self.api.post(self.boss, "/orders/allocate")
        self.refresh_orders()
        for order_id in self.open_orders("allocated"):
            if self.rng.random() < self.options.cancel_rate / 2:
                self.cancel(order_id, "买家取消 buyer cancelled", "buyer, after allocation")

    def refresh_orders(self) -> None:
        for row in self.api.every(self.boss, "/orders", q=self.prefix):
            if row["id"] in self.orders:
                self.orders[row["id"]]["status"] = row["status"]

    # -- waves: plan, release, pick, pack --

    def work_waves(self) -> None:
        """Rounds of wave planning until no order waits: a short-picked order comes back in the next round."""
        shorts = self.options.short_picks
        for round_no in range(1, 4):
            planned = self.api.post(self.boss, "/waves/plan", {"max_orders": 48, "cart_slots": 24}, ok=(201,))
            if not planned:
                break
            for wave in planned:
                released = self.api.post(self.boss, f"/waves/{wave['id']}/release")
                self.waves[wave["id"]] = {"number": wave["number"], "kind": wave["kind"], "round": round_no,
                                          "status": released["status"]}
            self.cancel_in_waves(planned, picked=False)
            shorted: set[int] = set()
            for n, wave in enumerate(planned):
                shorts -= self.survive(self.pick, wave, self.operator(n), shorts > 0, shorted) or 0
            self.resolve_discrepancies()
            self.cancel_in_waves(planned, picked=True)
            for n, wave in enumerate(planned):
                self.pack(wave, self.operator(n + 1), shorted)
        self.refresh_orders()

    def cancel_in_waves(self, planned: list[dict], *, picked: bool) -> None:
        """A few buyers cancel once their order is in a wave: before picking (its picks are cancelled) or after
        (its units go back to storage from the cart slot, or from the single-item tote just its own)."""
        rate = self.options.packed_cancel_rate if picked else self.options.cancel_rate / 4
        for n, wave in enumerate(planned):
            tasks = self.api.get(self.boss, f"/waves/{wave['id']}")["tasks"]
            for order_id in sorted({t["order_id"] for t in tasks}):
                order = self.orders.get(order_id)
                if order is None or order["status"] == "cancelled" or self.rng.random() >= rate:
                    continue
                if not picked:
                    self.survive(self.cancel, order_id, "买家取消 buyer cancelled", "buyer, in a wave")
                    continue
                task = next(t for t in tasks if t["order_id"] == order_id)
                if task["status"] != "done":
                    continue
                lpn = (f"{wave['number']}-C{task['cart']}-{task['slot']:02d}" if wave["kind"] == "multi"
                       else f"{wave['number']}-B")
                self.survive(self.cancel, order_id, "买家取消 buyer cancelled after picking", "buyer, after picking")
                self.survive(self.put_away, lpn, self.operator(n))

    def pick(self, wave: dict, op: str, short_one: bool, shorted: set[int]) -> int:
        """Walk the wave's pick list; with ``short_one`` the first task of 2+ units comes up one short."""
        step = self.api.post(op, "/picking/start", {"scan": wave["number"]}, replay=True)
        made = 0
        while step["step"] != "done":
            task = step["task"]
            self.api.post(op, f"/pick-tasks/{task['id']}/location", {"scan": task["location"]}, replay=True)
            product = self.by_sku.get(task["sku"])
            self.api.post(op, f"/pick-tasks/{task['id']}/item",
                          {"scan": product.scan if product else task["sku"]}, replay=True)
            if short_one and not made and task["qty"] >= 2 and wave["kind"] == "multi":
                step = self.api.post(op, f"/pick-tasks/{task['id']}/short",
                                     {"found_qty": task["qty"] - 1, "reason": "short"}, replay=True)
                self.discrepancies.append(step["discrepancy"] | {"wave": wave["number"], "cart": task["cart"],
                                                                 "slot": task["slot"]})
                tasks = self.api.get(self.boss, f"/waves/{wave['id']}")["tasks"]
                shorted.add(next(t["order_id"] for t in tasks if t["id"] == task["id"]))
                made += 1
                continue
            step = self.api.post(op, f"/pick-tasks/{task['id']}/pick", {"qty": task["qty"]}, replay=True)
            if step["step"] == "slot":                   # multi-item: the cart slot (分拣车格口) scanned
                step = self.api.post(op, f"/pick-tasks/{task['id']}/pick",
                                     {"qty": task["qty"], "slot": task["slot_code"]}, replay=True)
        return made

    def resolve_discrepancies(self) -> None:
        """The supervisor counts the location of each short pick and finds the units after all (复盘找到): the
        stock stands, the order is allocated again for the next round, and what the picker did take goes back
        to storage from the cart slot. (A real loss would change the stock but not the account book until
        customs is told — the book check would then rightly fail.)"""
        for d in self.discrepancies:
            if d.get("resolved"):
                continue
            row = next((r for r in self.api.every(self.boss, "/pick-discrepancies", status="open")
                        if r["id"] == d["id"]), None)
            if row is None:
                continue
            counted = sum(s["qty"] for s in self.api.every(
                self.boss, "/stock", lpn=row["lpn"], status="available", location_code=row["location"],
                product_id=row["product_id"]))
            self.api.post(self.boss, f"/pick-discrepancies/{d['id']}/resolve",
                          {"counted_qty": counted, "note": "复盘找到 found on recount"})
            d["resolved"] = True
            self.put_away(f"{d['wave']}-C{d['cart']}-{d['slot']:02d}", self.operator(d["id"]))

    def pack(self, wave: dict, op: str, shorted: set[int]) -> None:
        orders: dict[int, dict] = {}
        for task in self.api.get(op, f"/waves/{wave['id']}")["tasks"]:
            if task["status"] == "done":
                orders.setdefault(task["order_id"], task)
        for order_id, task in orders.items():
            if order_id not in shorted and self.orders.get(order_id, {}).get("status") != "cancelled":
                self.survive(self.pack_order, wave, task, op)

    def pack_order(self, wave: dict, task: dict, op: str) -> None:
        """Multi-item: the cart slot's label, then every unit re-checked (复核). Single-item fast lane: the unit
        names its order. Then the material and the weight (within the tolerance), and the parcel is made."""
        if wave["kind"] == "multi":
            slot = f"{wave['number']}-C{task['cart']}-{task['slot']:02d}"
            shown = self.api.post(op, "/packing/start", {"scan": slot}, replay=True)
            scans = []
            for line in shown["order"]["lines"]:
                for _ in range(line["qty"]):
                    product = self.by_sku.get(line["sku"])
                    scans.append(product.scan if product else line["sku"])
                    shown = self.api.post(op, f"/packing/orders/{shown['order']['id']}/check",
                                          {"scans": scans}, replay=True)
        else:
            product = self.by_sku.get(task["sku"])
            scans = [product.scan if product else task["sku"]]
            shown = self.api.post(op, "/packing/fast-lane", {"wave": wave["number"], "scan": scans[0]},
                                  replay=True)
        order = shown["order"]
        units = Decimal(order["expected_weight_kg"])
        material = self.material(units, sum(line["qty"] for line in order["lines"]))
        scale = Decimal(self.rng.randrange(-15, 16)) / 1000                 # the scale's ± 15 g
        weight = units + Decimal(material["tare_weight_kg"] or "0") + scale
        closed = self.api.post(op, f"/packing/orders/{order['id']}/close", {
            "scans": scans, "material": material["code"],
            "weight_kg": str(max(weight, Decimal("0.010")).quantize(Decimal("0.001")))}, replay=True)
        self.parcels[order["id"]] = {"logistics_no": closed["parcel"]["logistics_no"],
                                     "channel": order["channel"], "country": order["country"],
                                     "weight": Decimal(closed["parcel"]["weight_kg"])}
        if order["id"] in self.orders:
            self.orders[order["id"]]["status"] = "packed"

    def cancel_packed(self) -> None:
        """A few buyers cancel after packing: the parcel's units go back to storage (return-to-stock)."""
        for n, order_id in enumerate(self.open_orders("packed")):
            if self.rng.random() < self.options.packed_cancel_rate:
                self.survive(self.cancel_after_packing, order_id, self.operator(n))

    def cancel_after_packing(self, order_id: int, op: str) -> None:
        self.cancel(order_id, "买家取消 buyer cancelled after packing", "buyer, after packing")
        self.put_away(self.parcels.pop(order_id)["logistics_no"], op)

    # -- bagging, loading, gate-out --

    def bagging(self) -> None:
        """Parcels by channel and destination into bags of up to 30, each sealed with its count and weight."""
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for _, parcel in sorted(self.parcels.items()):
            groups[(parcel["channel"], parcel["country"])].append(parcel)
        for n, ((channel, country), parcels) in enumerate(sorted(groups.items())):
            for start in range(0, len(parcels), BAG_SIZE):
                self.survive(self.bag, parcels[start:start + BAG_SIZE], channel, country, self.operator(n))

    def bag(self, parcels: list[dict], channel: str, country: str, op: str) -> None:
        bag = self.api.post(op, "/bags", {}, replay=True)
        for parcel in parcels:
            self.api.post(op, f"/bags/{bag['id']}/parcels", {"scan": parcel["logistics_no"]}, replay=True)
        weight = sum((p["weight"] for p in parcels), BAG_TARE_KG)
        sealed = self.api.post(op, f"/bags/{bag['id']}/seal",
                               {"count": len(parcels), "weight_kg": str(weight)}, replay=True)
        self.bags[bag["id"]] = {"sscc": sealed["sscc"], "channel": channel, "country": country}

    def loading(self) -> None:
        """One vehicle per carrier: its bags loaded, the manifest closed (every other one on a master air
        waybill, so the CEB607 goes out too), the vehicle out of the zone; sellers look up a few trackings."""
        by_carrier: dict[str, list[dict]] = defaultdict(list)
        for bag in self.bags.values():
            by_carrier[self.carrier_of.get(bag["channel"], bag["channel"])].append(bag)
        for n, (carrier, bags) in enumerate(sorted(by_carrier.items())):
            self.survive(self.load, carrier, bags, n)
        shipped = [order_id for order_id in self.orders if order_id in self.parcels]
        for order_id in shipped[::max(1, len(shipped) // 5)]:
            self.api.get(self.orders[order_id]["seller"], f"/orders/{order_id}/tracking")
            self.tracking_lookups += 1

    def load(self, carrier: str, bags: list[dict], n: int) -> None:
        op, rng = self.operator(n), self.rng
        vehicle = f"粤B·{rng.choice('CDEFG')}{rng.randrange(10000, 99999)}"
        manifest = self.api.post(op, "/manifests", {"carrier": carrier, "vehicle_no": vehicle,
                                                    "driver": "刘师傅"}, ok=(201,), replay=True)
        for bag in bags:
            self.api.post(op, f"/manifests/{manifest['id']}/bags", {"scan": bag["sscc"]}, replay=True)
        close = {}
        if n % 2 == 0:
            serial = rng.randrange(1_000_000, 9_999_999)
            close = {"bill_no": f"999-{serial}{serial % 7}", "traf_name": "CA1045",
                     "voyage_no": "CA1045/0615"}
        self.api.post(op, f"/manifests/{manifest['id']}/close", close, replay=True)
        gone = self.api.post(self.boss, f"/manifests/{manifest['id']}/gate-out", replay=True)
        self.manifests[manifest["id"]] = {"number": gone["number"], "carrier": carrier,
                                          "status": gone["status"]}


def _digits(text: str, rng: random.Random) -> str:
    """Replace each {dN} token in a phone or postal pattern with N random digits."""
    for size in (8, 7, 4, 3, 2):
        token = f"{{d{size}}}"
        while token in text:
            text = text.replace(token, "".join(str(rng.randrange(10)) for _ in range(size)), 1)
    return text
