package nr5g

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestUeMapOrder: the iteration order of libstdc++'s unordered_map, as
// GCC 12 gives it (a C++ program inserting and erasing keys), for the
// reference cell's RNTIs (1..10, then 11..14, then 7..10 erased: the
// order 5G-LENA's scheduler printed for that cell) and an arbitrary
// sequence with collisions and rehashes.
func TestUeMapOrder(t *testing.T) {
	var m ueMapOrder
	for k := uint16(1); k <= 10; k++ {
		m.insert(k)
	}
	require.Equal(t, []uint16{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, m.keys)
	for k := uint16(11); k <= 14; k++ {
		m.insert(k)
	}
	require.Equal(t, []uint16{14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, m.keys)
	for k := uint16(7); k <= 10; k++ {
		m.erase(k)
	}
	require.Equal(t, []uint16{14, 1, 2, 3, 4, 5, 6, 11, 12, 13}, m.keys)

	// 196 random inserts and erases of keys 1..80 and the final order
	// GCC 12's unordered_map<uint16_t, shared_ptr<...>> gives (rehashes at
	// sizes 14 and 30, collisions in the 13-, 29- and 59-bucket tables).
	m = ueMapOrder{}
	for _, op := range strings.Fields("+6 +45 +64 +12 +77 +3 +67 +75 +30 +19 +33 +46 +26 -64 +2 -45 +62 +32 +47 +20 +42 +53 +50 +61 -53 -46 +10 -32 +40 +41 +8 +53 +54 +4 +51 +64 -26 +11 +73 -73 +39 -77 +72 +73 +69 +37 +56 -53 -33 -67 +14 -56 -50 -37 +77 +63 +58 -19 +29 -40 +49 +71 +40 +32 +53 -6 +18 +37 +33 +46 -72 -58 -42 -63 +21 +28 +57 +42 -40 +48 +17 +59 -47 -28 +19 +65 -42 +13 -73 -29 +63 +31 +52 +27 -71 -52 +80 +73 +6 +23 -80 -2 -33 -59 -21 +45 +40 +26 -51 +71 +55 +58 +44 -64 -63 +60 +43 -40 +76 -3 +28 +51 -28 -57 +42 -44 +15 -51 +29 -46 +24 -77 +67 -12 -20 +66 +70 +47 +12 -69 +25 +16 -11 +11 +64 -13 -10 +57 -12 +63 +77 -53 -24 -60 +79 +33 +13 -27 +38 +22 +59 +40 +68 -26 +44 +21 +35 +53 -35 -48 +52 +9 -18 +51 +7 -31 +28 -73 -6 +24 -70 -68 +70 +72 -75 -62 +56 +75 +36 +20 -55 -58 -61 +27 +18 +46") {
		k, err := strconv.Atoi(op[1:])
		require.NoError(t, err)
		if op[0] == '+' {
			m.insert(uint16(k))
		} else {
			m.erase(uint16(k))
		}
	}
	var got []string
	for _, k := range m.keys {
		got = append(got, strconv.Itoa(int(k)))
	}
	require.Equal(t, "46 27 36 56 24 28 51 52 53 21 44 9 40 59 22 38 72 13 33 20 79 57 64 25 47 7 66 29 15 42 43 45 23 65 19 76 17 37 32 49 18 77 75 16 63 4 30 71 41 39 70 11 67 8 54 14", strings.Join(got, " "))
	require.Equal(t, 59, m.buckets)
}
