"""Socket.IO namespace of the boards: staff sign in with their session or a bearer token and join rooms.

Rooms are named after the board (``inventory``, later ``inbound``/``outbound``); events are emitted by
``wms.events`` after commit. With WMS_REDIS_URL set, emits go through Redis so every worker's clients
receive them.
"""
from __future__ import annotations

from flask import request
from flask_socketio import Namespace, join_room, leave_room

from wms.auth.service import load_session_user, user_from_token
from wms.events import NAMESPACE

ROOMS = frozenset({"inventory", "inbound", "outbound"})
STAFF = frozenset({"admin", "supervisor", "operator", "customs"})


class BoardsNamespace(Namespace):
    def on_connect(self, auth=None):
        token = (auth or {}).get("token") if isinstance(auth, dict) else None
        user = user_from_token(token) if token else load_session_user()
        if user is None or user.role not in STAFF:
            return False          # refuses the connection
        return True

    def on_join(self, data):
        room = (data or {}).get("room")
        if room not in ROOMS:
            return {"ok": False, "error": f"unknown room {room!r}", "rooms": sorted(ROOMS)}
        join_room(room)
        return {"ok": True, "room": room, "sid": request.sid}

    def on_leave(self, data):
        room = (data or {}).get("room")
        leave_room(room)
        return {"ok": True}


def register(socketio) -> None:
    socketio.on_namespace(BoardsNamespace(NAMESPACE))
