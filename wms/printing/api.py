"""Printing routes: printer profiles (records); label rendering joins here."""
from flask_smorest import Blueprint

from wms.core.crud import register_api
from wms.printing.resources import printers

blp = Blueprint("printing", __name__, url_prefix="/api/v1", description="Printer profiles and labels")
register_api(blp, printers)
