package nr5g

import (
	"fmt"
	"math"
	"sort"
)

// tbsTable is TS 38.214 Table 5.1.3.2-1: the TBS for N_info <= 3824.
var tbsTable = [...]int{
	24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192,
	208, 224, 240, 256, 272, 288, 304, 320, 336, 352, 368, 384, 408, 432, 456, 480, 504, 528, 552, 576,
	608, 640, 672, 704, 736, 768, 808, 848, 888, 928, 984, 1032, 1064, 1128, 1160, 1192, 1224, 1256,
	1288, 1320, 1352, 1416, 1480, 1544, 1608, 1672, 1736, 1800, 1864, 1928, 2024, 2088, 2152, 2216,
	2280, 2408, 2472, 2536, 2600, 2664, 2728, 2792, 2856, 2976, 3104, 3240, 3368, 3496, 3624, 3752, 3824,
}

// TBS38214 returns the transport block size in bits of TS 38.214 5.1.3.2
// (PDSCH; PUSCH without transform precoding uses the same procedure,
// 6.1.4.2) for modulation order qm, target code rate rX1024/1024, nPRB
// resource blocks of nSymb OFDM symbols, nDMRSPerPRB DM-RS resource elements
// per PRB in the allocation, an overhead of nOH resource elements per PRB
// (xOverhead: 0, 6, 12 or 18) and layers layers (scaling factor S = 1):
//
//  1. N'_RE = 12*nSymb - nDMRSPerPRB - nOH, N_RE = min(156, N'_RE) * nPRB
//  2. N_info = N_RE * R * Qm * layers
//  3. N_info <= 3824: n = max(3, floor(log2 N_info) - 6),
//     N'_info = max(24, 2^n * floor(N_info / 2^n)), and the TBS is the
//     smallest entry of Table 5.1.3.2-1 not below N'_info
//  4. N_info > 3824: n = floor(log2(N_info - 24)) - 5,
//     N'_info = max(3840, 2^n * round((N_info - 24) / 2^n)); with
//     C = ceil((N'_info + 24) / 3816) if R <= 1/4, C = ceil((N'_info + 24) / 8424)
//     if N'_info > 8424, else C = 1, TBS = 8*C*ceil((N'_info + 24)/(8*C)) - 24.
//
// Invalid arguments (qm not in {1, 2, 4, 6, 8}, a code rate outside
// (0, 1024), a negative count, no resource element) give 0. 5G-LENA does not
// use this procedure: its schedulers size blocks with Amc.CalculateTbSize.
func TBS38214(qm int, rX1024 float64, nPRB, nSymb, nDMRSPerPRB, nOH, layers int) int {
	tbs, err := tbs38214(qm, rX1024, nPRB, nSymb, nDMRSPerPRB, nOH, layers)
	if err != nil {
		return 0
	}
	return tbs
}

func tbs38214(qm int, rX1024 float64, nPRB, nSymb, nDMRSPerPRB, nOH, layers int) (int, error) {
	switch qm {
	case 1, 2, 4, 6, 8:
	default:
		return 0, fmt.Errorf("nr5g: modulation order %d not in {1, 2, 4, 6, 8}", qm)
	}
	if !(rX1024 > 0 && rX1024 < 1024) {
		return 0, fmt.Errorf("nr5g: code rate x1024 %g out of range (0, 1024)", rX1024)
	}
	if nPRB <= 0 || nSymb <= 0 || nSymb > 14 || nDMRSPerPRB < 0 || nOH < 0 || layers <= 0 || layers > 8 {
		return 0, fmt.Errorf("nr5g: invalid allocation (nPRB %d, nSymb %d, nDMRS %d, nOH %d, layers %d)",
			nPRB, nSymb, nDMRSPerPRB, nOH, layers)
	}
	nrePrime := 12*nSymb - nDMRSPerPRB - nOH
	if nrePrime <= 0 {
		return 0, fmt.Errorf("nr5g: no resource element left per PRB (12*%d - %d - %d)", nSymb, nDMRSPerPRB, nOH)
	}
	nre := min(156, nrePrime) * nPRB
	r := rX1024 / 1024
	nInfo := float64(nre) * r * float64(qm) * float64(layers)
	if nInfo <= 3824 {
		n := max(3, int(math.Floor(math.Log2(nInfo)))-6)
		p := math.Ldexp(1, n)
		nInfoQ := max(24, int(p*math.Floor(nInfo/p)))
		i := sort.SearchInts(tbsTable[:], nInfoQ)
		return tbsTable[i], nil
	}
	n := int(math.Floor(math.Log2(nInfo-24))) - 5
	p := math.Ldexp(1, n)
	nInfoQ := max(3840, int(p*math.Round((nInfo-24)/p)))
	c := 1
	switch {
	case r <= 0.25:
		c = ceilDiv(nInfoQ+24, 3816)
	case nInfoQ > 8424:
		c = ceilDiv(nInfoQ+24, 8424)
	}
	return 8*c*ceilDiv(nInfoQ+24, 8*c) - 24, nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
