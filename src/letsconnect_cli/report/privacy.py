"""Small-count suppression that subtraction cannot undo.

A count of 1 to K-1 people is hidden (primary suppression). Where the group's total can be known
(a region's participants, all participants with a role), hiding a single small count is not enough:
total minus the visible counts gives it back. So while the hidden people of a group number fewer
than K, the smallest visible count is hidden too (secondary suppression). Zero is never hidden: it
says nothing about anyone.
"""

from __future__ import annotations

from collections.abc import Iterable


def small(count: int, k: int) -> bool:
    """A count of people to hide: 1 to k-1 (k = 0 or 1 hides nothing)."""
    return 0 < count < k


def suppress_group(counts: dict[str, int], k: int, *, total_known: bool = True) -> set[str]:
    """The keys of a group whose counts are hidden."""
    hidden = {key for key, n in counts.items() if small(n, k)}
    if not total_known:
        return hidden
    visible = sorted((n, key) for key, n in counts.items() if key not in hidden and n > 0)
    hidden_people = sum(counts[key] for key in hidden)
    while 0 < hidden_people < k and visible:
        n, key = visible.pop(0)
        hidden.add(key)
        hidden_people += n
    return hidden


def suppress_within(
    counts: dict[str, int], groups: dict[str, str], k: int, hidden: Iterable[str] = ()
) -> set[str]:
    """Secondary suppression inside each group (countries within their region)."""
    result = set(hidden)
    members: dict[str, dict[str, int]] = {}
    for key, n in counts.items():
        members.setdefault(groups.get(key, ""), {})[key] = n
    for group in members.values():
        result |= suppress_group(group, k)
    return result
