// Package wifi holds the builders of NetRL's two Wi-Fi programs on
// channelif's generic backend: NewChannel is NetRL's single Wi-Fi program
// (an 802.11a ad-hoc pair, ns3_wifi_sim), NewMultiUEBackend its multi-UE
// program (an AP and actively probing stations sending uplink,
// ns3_wifi_multi_ue_sim). Both use ns-3's 802.11a defaults with NetRL's
// changes: transmit power, LogDistance exponent, retry limits and constant
// rates of 54 Mb/s data and 6 Mb/s control, UDP/IPv4 with ARP to port 9.
//
// Each builder only makes one episode's network and says how a UE sends;
// the step clock, in-flight ids, RESET with the next run number, the line
// protocol and the per-UE CommChannel views are channelif's
// (channelif.SimBackend), the same for every technology.
package wifi
