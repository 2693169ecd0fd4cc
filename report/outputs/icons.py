"""Inline SVG icons for callouts on the site: decorative (aria-hidden), coloured by the callout's CSS."""

from __future__ import annotations

__all__ = ["callout_icon"]

# 16x16 shapes drawn for this project: a circled i, a light bulb, a warning triangle, a circled !, an octagon.
_PATHS = {
    "note": '<circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" stroke-width="1.5"/>'
            '<rect x="7.1" y="6.8" width="1.8" height="5" rx=".5"/><circle cx="8" cy="4.6" r="1.1"/>',
    "tip": '<path d="M8 1.2a4.8 4.8 0 0 0-2.9 8.6c.5.4.8 1 .8 1.6v.6h4.2v-.6c0-.6.3-1.2.8-1.6A4.8 4.8 0 0 0 8 1.2z"/>'
           '<rect x="5.9" y="12.8" width="4.2" height="1.3" rx=".5"/><rect x="6.6" y="14.5" width="2.8" height="1" rx=".5"/>',
    "warning": '<path d="M8 1.3 15.2 14.3H.8z" fill="none" stroke="currentColor" stroke-width="1.5" '
               'stroke-linejoin="round"/><rect x="7.1" y="5.6" width="1.8" height="5" rx=".5"/>'
               '<circle cx="8" cy="12.3" r="1.05"/>',
    "important": '<circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" stroke-width="1.5"/>'
                 '<rect x="7.1" y="3.8" width="1.8" height="5.6" rx=".5"/><circle cx="8" cy="11.6" r="1.1"/>',
    "caution": '<path d="M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z" fill="none" stroke="currentColor" '
               'stroke-width="1.5" stroke-linejoin="round"/><rect x="7.1" y="4" width="1.8" height="5.4" rx=".5"/>'
               '<circle cx="8" cy="11.7" r="1.1"/>',
}


def callout_icon(kind: str) -> str:
    """The `<svg>` of a callout kind; decorative, so hidden from assistive technology."""
    return (f'<svg class="callout-icon-svg" viewBox="0 0 16 16" width="16" height="16" fill="currentColor" '
            f'aria-hidden="true" focusable="false">{_PATHS[kind]}</svg>')
