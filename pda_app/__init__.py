from flask import Blueprint

blp = Blueprint("pda", __name__, url_prefix="/pda", template_folder="templates", static_folder="static")
