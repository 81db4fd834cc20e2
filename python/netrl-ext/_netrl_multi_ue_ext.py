# SPDX-License-Identifier: GPL-2.0-only
"""NetRL's ``_netrl_multi_ue_ext`` module backed by netgym (opt-in:
installed by ``pip install ./python/netrl-ext``); see
``netgym.netrl_compat``."""

from netgym.netrl_compat import NS3WiFiMultiUEChannel, install_copy_replace

# NetRL 0.1.0 needs copy.replace (Python 3.13) on every Python it supports
install_copy_replace()

__all__ = ["NS3WiFiMultiUEChannel"]
