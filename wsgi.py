"""WSGI entry point: ``gunicorn -k gthread -w 1 --threads 32 wsgi:app`` (Socket.IO in threading mode).

Several workers need sticky sessions and WMS_REDIS_URL (the Socket.IO message queue).
"""
from wms import create_app
from wms.extensions import socketio  # noqa: F401  (for servers that want it)

app = create_app()
