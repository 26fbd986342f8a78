"""Whether the video can be watched, as the page says it: ``videos.availability`` and its reason.

The player response's ``playabilityStatus`` decides (its status is a code, the same in every UI
language; its reason is the message the player shows). A watch page with no player response and
no video metadata that shows a message in place of the video ("This video isn't available
anymore") is ``unavailable`` with that message. A page that says nothing gives null: a normal
``next`` response does not say whether its video plays.
"""

from __future__ import annotations

from pageclean.formats import selectors as sel
from pageclean.formats.display import first_text
from pageclean.formats.walk import Collected, dig, list_at, obj_at


def availability(
    initial: dict | None, player: dict | None, found: Collected, has_video: bool
) -> tuple[str | None, str | None, list[str]]:
    """(availability, the message as shown, warnings) for one page's responses.

    ``has_video`` says whether the page holds the video's own metadata (its title); a page without
    it that shows a message renderer is the page of an unavailable video.
    """
    status_obj = obj_at(player, "playabilityStatus") or obj_at(initial, "playabilityStatus")
    status = status_obj.get("status")
    reason = _reason(status_obj)
    if isinstance(status, str) and status:
        return _from_status(status, status_obj, reason, obj_at(player, "videoDetails"))
    if not has_video and (message := _shown_message(found)):
        return "unavailable", message, []
    if _members_badge(found):
        return "members_only", None, []
    return None, None, []


def _from_status(
    status: str, status_obj: dict, reason: str | None, details: dict
) -> tuple[str | None, str | None, list[str]]:
    value = sel.PLAYABILITY_STATUS.get(status)
    if value is None:
        return None, reason, [
            f"the player's playabilityStatus is {status!r}, a status pageclean does not know; "
            "availability is left null"
        ]
    if reason:
        lowered = reason.lower()
        value = next((refined for cue, refined in sel.REASON_CUES.get(status, ()) if cue in lowered), value)
    if status_obj.get(sel.AGE_GATE_KEY) and value != "ok":
        value = "age_restricted"
    if value in ("live_offline", "ok") and details.get("isUpcoming") is True:
        value = "live_upcoming"
    return value, reason if value != "ok" else None, []


def _reason(status_obj: dict) -> str | None:
    """The player's message: its reason, and the smaller line under it when there is one."""
    screen = obj_at(status_obj, "errorScreen", "playerErrorMessageRenderer")
    main = first_text(status_obj.get("reason"), screen.get("reason"))
    sub = first_text(screen.get("subreason"))
    if main and sub and sub not in main:
        return f"{main}\n{sub}"
    return main or sub


def _shown_message(found: Collected) -> str | None:
    """The text of the first message renderer the page shows (an alert only when it is an error)."""
    for key in sel.MESSAGE_RENDERERS:
        for renderer in found.all(key):
            if key in (sel.ALERT, sel.ALERT_WITH_BUTTON) and renderer.get("type") not in (None, "ERROR"):
                continue
            parts = [first_text(renderer.get(field)) for field in sel.MESSAGE_TEXT_KEYS]
            texts = list(dict.fromkeys(p for p in parts if p))
            if texts:
                return "\n".join(texts)
    return None


def _members_badge(found: Collected) -> bool:
    primary = found.first(sel.PRIMARY_INFO) or {}
    return any(
        dig(badge, "metadataBadgeRenderer", "style") == sel.MEMBERS_ONLY_BADGE for badge in list_at(primary, "badges")
    )
