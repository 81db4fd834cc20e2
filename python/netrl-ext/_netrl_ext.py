# SPDX-License-Identifier: GPL-2.0-only
"""NetRL's ``_netrl_ext`` module backed by netgym (opt-in: installed by
``pip install ./python/netrl-ext``). NetRL's ``NS3WiFiChannelFastConfig``
then runs on netgym's in-process 802.11a simulation; see
``netgym.netrl_compat`` for the differences from NetRL's ns-3 build."""

from netgym.netrl_compat import NS3WiFiChannel, install_copy_replace

# NetRL 0.1.0 needs copy.replace (Python 3.13) on every Python it supports
install_copy_replace()

__all__ = ["NS3WiFiChannel"]
