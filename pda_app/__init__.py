"""The PDA web app, served under /pda: a thin page that renders steps; rules live in the API it calls."""
from flask import Blueprint, render_template

blp = Blueprint("pda", __name__, url_prefix="/pda", template_folder="templates", static_folder="static")


@blp.get("/")
def index():
    return render_template("pda.html")
